package org.kmsconf.bench.flood;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kmsconf.bench.kms.KmsLoad;
import org.kmsconf.bench.kms.RemoteAdmin;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsConfigFile;
import org.kmsconf.kms.cli.KmsProcess;

/**
 * Floods a KMS ({@link KmsFloodTarget}) for longer than its clock-skew window while a legitimate client keeps doing
 * REQUEST and RESOLVE, then reports: attack rate and answers per kind, legitimate operations and every legitimate
 * failure (there must be none), the KMS's own refusal counts, replay-state size, heap and audit sampling from its
 * {@code /metrics}, and its resident memory (RSS, from /proc) at the start and at its peak.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.kmsconf.bench.flood.KmsFlood [--seconds 30] [--skew 10s] [--threads 4]
 *      [--max-messages 50000000] [--kinds GARBAGE,MALFORMED,...] [--sources 127.0.0.2,127.0.0.3]
 *      [--per-user-capacity N] [--xmx 256m]
 *      [--url http://127.0.0.1:8180 --admin-socket DIR/admin.sock [--pid PID]]   (a running KMS instead of a spawned one)
 * </pre>
 * By default it starts its own {@code kms serve} process (a temporary data directory, the given skew, loopback) and
 * kills it at the end. Loopback targets only; bounded by --seconds and --max-messages; exits 1 if any legitimate
 * operation failed.
 */
public final class KmsFlood {
    /** Options of one run. */
    public record Options(Duration duration, Duration skew, int threads, long maxMessages, List<String> kinds,
            List<InetAddress> sources, int perUserCapacity, String xmx, URI url, Path adminSocket, long pid) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(30), Duration.ofSeconds(10), 4, 50_000_000,
                    KmsFloodTarget.KINDS, List.of(), 100_000, "256m", null, null, -1);
        }
    }

    /** What a run measured. */
    public record Result(Flood.Report flood, String metrics, long rssStartKb, long rssPeakKb) {
        /** A series' value from the KMS's /metrics (sum over matching lines), e.g. {@code kms_refusals_total{refusal="MAC_FAILED"}}. */
        public double metric(String nameAndLabels) {
            return Scrape.sum(metrics, nameAndLabels);
        }
    }

    private KmsFlood() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Options o = Options.defaults();
        Duration duration = o.duration();
        Duration skew = o.skew();
        int threads = o.threads();
        long max = o.maxMessages();
        List<String> kinds = o.kinds();
        List<InetAddress> sources = new ArrayList<>();
        int perUser = o.perUserCapacity();
        String xmx = o.xmx();
        URI url = null;
        Path socket = null;
        long pid = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> duration = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--skew" -> skew = KmsConfigFile.parseDuration("--skew", args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--max-messages" -> max = Long.parseLong(args[++i]);
                case "--kinds" -> kinds = List.of(args[++i].split(","));
                case "--sources" -> {
                    for (String s : args[++i].split(",")) {
                        sources.add(InetAddress.getByName(s));
                    }
                }
                case "--per-user-capacity" -> perUser = Integer.parseInt(args[++i]);
                case "--xmx" -> xmx = args[++i];
                case "--url" -> url = URI.create(args[++i]);
                case "--admin-socket" -> socket = Path.of(args[++i]);
                case "--pid" -> pid = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: KmsFlood [--seconds N] [--skew D] [--threads N] [--max-messages N]"
                            + " [--kinds K,...] [--sources A,...] [--per-user-capacity N] [--xmx SIZE]"
                            + " [--url URL --admin-socket PATH [--pid PID]]");
                    System.exit(2);
                }
            }
        }
        Result r = run(new Options(duration, skew, threads, max, kinds, sources, perUser, xmx, url, socket, pid));
        print(r);
        System.exit(r.flood().legitimateFailures().isEmpty() ? 0 : 1);
    }

    /** Runs one flood (spawning a KMS unless {@code url} is given). */
    public static Result run(Options o) throws Exception {
        for (InetAddress a : o.sources()) {
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException("flood sources must be loopback addresses: " + a);
            }
        }
        KmsProcess spawned = null;
        URI url = o.url();
        Path socket = o.adminSocket();
        long pid = o.pid();
        if (url == null) {
            Path dir = Files.createTempDirectory("kmsflood");
            Path cfg = dir.resolve("kms.properties");
            Files.writeString(cfg, "kms.clock-skew=" + o.skew().toSeconds() + "s\n"
                    + "kms.replay.per-user-capacity=" + o.perUserCapacity() + "\n");
            Path data = dir.resolve("data");
            spawned = KmsProcess.start(List.of("-Xmx" + o.xmx(), KmsLoad.KMS_LOGGING), List.of("--data-dir",
                    data.toString(), "--config", cfg.toString(), "--listen", "127.0.0.1:0"));
            url = spawned.uri();
            socket = data.resolve("admin.sock");
            pid = spawned.pid();
        }
        try {
            long rssStart = ServedProcess.rssKb(pid);
            Flood.Report report;
            RssPeaks peaks = RssPeaks.start(pid);
            try (peaks; KmsFloodTarget target = new KmsFloodTarget(url, KmsConfig.DEFAULT_KMS_IDENTITY,
                    new RemoteAdmin(socket), o.sources())) {
                report = new Flood(target, o.kinds(), o.threads(), o.duration(), o.maxMessages()).run();
            }
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return new Result(report, metrics, rssStart, Math.max(peaks.peakKb(pid), ServedProcess.rssKb(pid)));
        } finally {
            if (spawned != null) {
                spawned.kill();
            }
        }
    }

    public static void print(Result r) {
        Flood.Report f = r.flood();
        System.out.printf(Locale.ROOT, "flood: %d messages in %.1f s (%.0f/s)%n", f.attackMessages(), f.seconds(),
                f.attackRate());
        f.answers().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-40s %10d%n", k, v));
        System.out.printf(Locale.ROOT, "legitimate: %d operations (REQUEST + RESOLVE), %d failed; latency p50 %.1f ms,"
                + " p99 %.1f ms, max %.1f ms%n", f.legitimateOk(), f.legitimateFailures().size(),
                f.legitP50Nanos() / 1e6, f.legitP99Nanos() / 1e6, f.legitMaxNanos() / 1e6);
        f.legitimateFailures().stream().limit(10).forEach(x -> System.out.println("  FAILED " + x));
        System.out.println("KMS /metrics:");
        for (String line : r.metrics().split("\n")) {
            if (!line.startsWith("#") && (line.startsWith("kms_refusals_total") || line.startsWith("kms_replay_")
                    || line.startsWith("kms_audit_sampled") || line.startsWith("kms_http_rejected")
                    || (line.startsWith("jvm_memory_used_bytes") && line.contains("area=\"heap\"")))) {
                System.out.println("  " + line);
            }
        }
        System.out.printf(Locale.ROOT, "KMS RSS: %d MiB at the start, %d MiB at the peak%n", r.rssStartKb() / 1024,
                r.rssPeakKb() / 1024);
    }
}
