package org.kmsconf.bench.sip;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kmsconf.app.Main;
import org.kmsconf.bench.flood.Flood;
import org.kmsconf.bench.flood.RssPeaks;
import org.kmsconf.bench.flood.Scrape;
import org.kmsconf.bench.flood.ServedProcess;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsConfigFile;
import org.kmsconf.kms.cli.KmsProcess;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.sip.Contact;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.MikeyKeyAgent;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.stack.SipStacks;
import org.kmsconf.sip.ue.UeConfig;
import org.kmsconf.sip.ue.UserAgent;

/**
 * Floods a real, separate {@code conference serve} process (and through it the {@code kms serve} process it RESOLVEs
 * at) with SIP INVITEs over UDP from other loopback addresses ({@link ConferenceFloodTarget}) while bob, a
 * legitimate participant on 127.0.0.1, keeps joining alice's conference and leaving it. By default the attackers send
 * open loop, as fast as the machine lets them (or at {@code --rate} messages a second in all), and count the answers
 * as they arrive; {@code --closed-loop} makes each wait for its answer before the next INVITE. {@code --transport}
 * is the legitimate participants' (the flood is UDP). Reports the attack rate and
 * answers per kind, every legitimate join's latency and every legitimate failure (there must be none), the
 * conference server's and the KMS's refusal counts from their own /metrics, and both processes' resident memory.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.kmsconf.bench.sip.ConferenceFlood [--seconds 30] [--threads 4]
 *      [--sources 127.0.0.2,127.0.0.3] [--rate-per-source 50] [--skew 10s] [--max-messages 5000000] [--xmx 256m]
 *      [--kinds GARBAGE,NO_KEY_MGMT,ALTERED_INIT,REPLAYED_INIT] [--closed-loop] [--rate PER_SECOND]
 *      [--transport udp|tcp] [--sip-port N]
 * </pre>
 * {@code --sip-port} fixes the conference server's SIP port (default: a free one), for a packet filter set up for it
 * (KernelFilterFloodTest).
 * Loopback only; bounded by --seconds and --max-messages; both servers are killed at the end; exits 1 if any
 * legitimate join failed.
 */
public final class ConferenceFlood {
    static final String FACTORY = "sip:factory.conference1@operator";
    private static final String KMS_DIR = "kms";

    /** Options of one run. */
    public record Options(Duration duration, int threads, List<InetAddress> sources, int ratePerSource,
            Duration skew, long maxMessages, String xmx, List<String> kinds, boolean openLoop, String transport,
            int rate, int sipPort) {
        public static Options defaults() throws IOException {
            return new Options(Duration.ofSeconds(30), 4,
                    List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3")), 50,
                    Duration.ofSeconds(10), 5_000_000, "256m", ConferenceFloodTarget.KINDS, true, "udp", 0, 0);
        }
    }

    /** What a run measured. */
    public record Result(Flood.Report flood, Map<String, Long> answers, String conferenceMetrics, String kmsMetrics,
            long conferenceRssPeakKb, long kmsRssPeakKb) {
        /**
         * The sum of the series of a metric, e.g. {@code kms_refusals_total{refusal="TICKET_MAC_FAILED"}}, in the
         * conference server's /metrics (or, with {@code kms}, the KMS's).
         */
        public double metric(boolean kms, String nameAndLabels) {
            return Scrape.sum(kms ? kmsMetrics : conferenceMetrics, nameAndLabels);
        }
    }

    private ConferenceFlood() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Options o = Options.defaults();
        Duration duration = o.duration();
        int threads = o.threads();
        List<InetAddress> sources = o.sources();
        int rate = o.ratePerSource();
        Duration skew = o.skew();
        long max = o.maxMessages();
        String xmx = o.xmx();
        List<String> kinds = o.kinds();
        boolean openLoop = o.openLoop();
        String transport = o.transport();
        int attackRate = o.rate();
        int sipPort = o.sipPort();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--seconds" -> duration = Duration.ofSeconds(Long.parseLong(args[++i]));
                    case "--threads" -> threads = Integer.parseInt(args[++i]);
                    case "--sources" -> {
                        List<InetAddress> s = new ArrayList<>();
                        for (String a : args[++i].split(",")) {
                            s.add(InetAddress.getByName(a));
                        }
                        sources = s;
                    }
                    case "--rate-per-source" -> rate = Integer.parseInt(args[++i]);
                    case "--skew" -> skew = KmsConfigFile.parseDuration("--skew", args[++i]);
                    case "--max-messages" -> max = Long.parseLong(args[++i]);
                    case "--xmx" -> xmx = args[++i];
                    case "--kinds" -> kinds = List.of(args[++i].split(","));
                    case "--closed-loop" -> openLoop = false;
                    case "--transport" -> transport = args[++i];
                    case "--rate" -> attackRate = Integer.parseInt(args[++i]);
                    case "--sip-port" -> sipPort = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("ConferenceFlood: " + e.getMessage() + "\nusage: ConferenceFlood [--seconds N]"
                    + " [--threads N] [--sources A,...] [--rate-per-source N] [--skew D] [--max-messages N]"
                    + " [--xmx SIZE] [--kinds K,...] [--closed-loop] [--rate PER_SECOND] [--transport udp|tcp]"
                    + " [--sip-port N]");
            System.exit(2);
        }
        Result r = run(new Options(duration, threads, sources, rate, skew, max, xmx, kinds, openLoop, transport,
                attackRate, sipPort));
        print(r);
        System.exit(r.flood().legitimateFailures().isEmpty() ? 0 : 1);
    }

    /** Provisions a KMS, starts it and a conference server as processes, floods, reads their metrics, kills them. */
    public static Result run(Options o) throws Exception {
        Path dir = Files.createTempDirectory("conference-flood");
        Path kmsData = dir.resolve(KMS_DIR);
        cli("kms", "init", "--data-dir", kmsData.toString());
        User confsys = user(dir, "confsys", FACTORY, "c0c0c0c0c0c0c0c0", false);
        cli("conference-system", "add-factory", FACTORY, "--data-dir", kmsData.toString());
        User alice = user(dir, "alice", "sip:alice@operator", "a1a1a1a1a1a1a1a1", true);
        User bob = user(dir, "bob", "sip:bob@operator", "b0b0b0b0b0b0b0b0", false);
        User carol = user(dir, "carol", "sip:carol@operator", "ca0ca0ca0ca0ca0c", false);
        Path kmsConfig = dir.resolve("kms.properties");
        Files.writeString(kmsConfig, "kms.clock-skew=" + o.skew().toSeconds() + "s\n");
        int sipPort = o.sipPort() != 0 ? o.sipPort() : freePort();
        Path directoryFile = dir.resolve("directory.txt");
        Files.writeString(directoryFile, FACTORY + " 127.0.0.1:" + sipPort + "\nsip:*.conference1@operator 127.0.0.1:"
                + sipPort + "\n");
        List<String> jvm = List.of("-Xmx" + o.xmx());
        KmsProcess kms = KmsProcess.start(jvm, List.of("--data-dir", kmsData.toString(), "--config",
                kmsConfig.toString(), "--listen", "127.0.0.1:0"));
        try (kms) {
            String kmsUrl = kms.uri().resolve("/kms").toString();
            try (ServedProcess conference = ServedProcess.start(jvm, Main.class.getName(), List.of("conference",
                    "serve", "--factory", FACTORY, "--key-id", confsys.keyIdHex(), "--psk-file",
                    confsys.pskFile().toString(), "--kms", kmsUrl, "--sip-listen", "127.0.0.1:" + sipPort,
                    "--directory", directoryFile.toString(), "--data-dir", dir.resolve("conference").toString(),
                    "--admin-listen", "127.0.0.1:0", "--rate-per-source", Integer.toString(o.ratePerSource())))) {
                conference.awaitLine("conference server:", 60);
                URI admin = URI.create(conference.awaitLine("admin interface: ", 10).split(" ")[0]);
                conference.discardOutput();
                return flood(o, kms.pid(), conference, kms.uri(), admin, sipPort, alice, bob, carol);
            }
        }
    }

    private static Result flood(Options o, long kmsPid, ServedProcess conference, URI kmsUrl, URI admin,
            int sipPort, User alice, User bob, User carol) throws Exception {
        Directory directory = new Directory();
        Contact server = new Contact("127.0.0.1", sipPort, o.transport());
        directory.put(FACTORY, server).put("sip:*.conference1@operator", server);
        try (KmsClient client = KmsClient.builder().address(kmsUrl).build()) {
            List<UserAgent> ues = new ArrayList<>();
            try {
                UserAgent a = ue(alice, client, directory, o.transport(), ues);
                UserAgent b = ue(bob, client, directory, o.transport(), ues);
                UserAgent.Created created = a.createConference(FACTORY, List.of(bob.identity(), carol.identity()));
                String focus = created.focusUri();
                a.join(focus, created.ticket());
                KeyAgent bobKeys = agent(bob, client);
                KeyAgent carolKeys = agent(carol, client);
                ConferenceFloodTarget.Init toAlter = new ConferenceFloodTarget.Init(bob.identity(), bobKeys.offer(
                        bobKeys.requestTicket(bob.identity(), List.of(focus)), focus, Ssrcs.UNASSIGNED).message());
                ConferenceFloodTarget.Init toReplay = new ConferenceFloodTarget.Init(carol.identity(),
                        carolKeys.offer(carolKeys.requestTicket(carol.identity(), List.of(focus)), focus,
                                Ssrcs.UNASSIGNED).message());
                Flood.Report report;
                Map<String, Long> answers;
                RssPeaks peaks = RssPeaks.start(kmsPid, conference.pid());
                try (peaks; ConferenceFloodTarget target = new ConferenceFloodTarget(new InetSocketAddress("127.0.0.1",
                        sipPort), focus, o.sources(), toAlter, toReplay, () -> {
                            b.join(focus);
                            b.leave(focus);
                            return null;
                        }, o.openLoop(), o.rate() > 0 ? 1_000_000_000L * o.threads() / o.rate() : 0)) {
                    // a participant's pace, not a flood of its own: the per-source rate limit applies to 127.0.0.1 too
                    report = new Flood(target, o.kinds(), o.threads(), o.duration(), o.maxMessages(),
                            Duration.ofMillis(100)).run();
                    answers = target.answers();
                }
                HttpClient http = HttpClient.newHttpClient();
                String conferenceMetrics = get(http, admin.resolve("/metrics"));
                String kmsMetrics = get(http, kmsUrl.resolve("/metrics"));
                return new Result(report, answers, conferenceMetrics, kmsMetrics, peaks.peakKb(conference.pid()),
                        peaks.peakKb(kmsPid));
            } finally {
                SipStacks.closeAll(new ArrayList<AutoCloseable>(ues));
            }
        }
    }

    public static void print(Result r) {
        Flood.Report f = r.flood();
        System.out.printf(Locale.ROOT, "flood: %d INVITEs and datagrams in %.1f s (%.0f/s)%n", f.attackMessages(),
                f.seconds(), f.attackRate());
        f.answers().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-40s %10d%n", k, v));
        if (!r.answers().isEmpty()) {
            System.out.println("final answers received (open loop):");
            r.answers().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-40s %10d%n", k, v));
        }
        System.out.printf(Locale.ROOT, "legitimate: %d joins (join + leave), %d failed; latency p50 %.1f ms,"
                + " p99 %.1f ms, max %.1f ms%n", f.legitimateOk(), f.legitimateFailures().size(),
                f.legitP50Nanos() / 1e6, f.legitP99Nanos() / 1e6, f.legitMaxNanos() / 1e6);
        f.legitimateFailures().stream().limit(10).forEach(x -> System.out.println("  FAILED " + x));
        System.out.println("conference server /metrics:");
        printMatching(r.conferenceMetrics(), "conference_sip_overload_refusals", "conference_sip_udp_dropped",
                "jvm_memory_used_bytes");
        System.out.println("KMS /metrics:");
        printMatching(r.kmsMetrics(), "kms_refusals_total", "kms_replay_entries", "jvm_memory_used_bytes");
        System.out.printf(Locale.ROOT, "peak RSS: conference server %d MiB, KMS %d MiB%n",
                r.conferenceRssPeakKb() / 1024, r.kmsRssPeakKb() / 1024);
    }

    private static void printMatching(String metrics, String... prefixes) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            for (String p : prefixes) {
                if (line.startsWith(p) && (!p.startsWith("jvm_memory") || line.contains("area=\"heap\""))) {
                    System.out.println("  " + line);
                }
            }
        }
    }

    /** A user provisioned at the KMS: identity, key id and the file holding its PSK. */
    private record User(String identity, String keyIdHex, Path pskFile, byte[] psk) {
    }

    private static User user(Path dir, String name, String identity, String keyIdHex, boolean creator)
            throws IOException {
        byte[] psk = new byte[16];
        new java.security.SecureRandom().nextBytes(psk);
        Path file = dir.resolve(name + ".psk");
        Files.writeString(file, HexFormat.of().formatHex(psk) + "\n");
        List<String> args = new ArrayList<>(List.of("user", "add", name, "--data-dir", dir.resolve(KMS_DIR).toString(),
                "--identity", identity, "--psk-file", file.toString(), "--key-id-hex", keyIdHex));
        if (creator) {
            args.add("--can-create-conferences");
        }
        cli(args.toArray(String[]::new));
        return new User(identity, keyIdHex, file, psk);
    }

    private static void cli(String... args) {
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        if (cl.execute(args) != 0) {
            throw new IllegalStateException("kmsconf " + String.join(" ", args) + ": " + err);
        }
    }

    private static KeyAgent agent(User u, KmsClient client) {
        return new MikeyKeyAgent(client, KmsConfig.DEFAULT_KMS_IDENTITY, HexFormat.of().parseHex(u.keyIdHex()),
                KeyMaterial.of(u.psk()), AlgorithmSet.SET_128, PartyContext.system());
    }

    private static UserAgent ue(User u, KmsClient client, Directory directory, String transport,
            List<UserAgent> started)
            throws IOException {
        UserAgent ua = UserAgent.start(UeConfig.of(u.identity(), "127.0.0.1", 0, new InetSocketAddress("127.0.0.1", 9),
                directory, agent(u, client)).withSubscribe(false).withTimeout(Duration.ofSeconds(10)));
        started.add(ua);
        directory.put(u.identity(), ua.contact(transport));
        return ua;
    }

    private static String get(HttpClient http, URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
