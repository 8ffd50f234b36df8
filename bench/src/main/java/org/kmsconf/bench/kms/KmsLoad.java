package org.kmsconf.bench.kms;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.kmsconf.kms.KmsAdmin;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kms.store.KmsStore;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketRequest;
import org.kmsconf.mikey.exchange.TransferInitiator;
import org.kmsconf.mikey.exchange.TransferResponder;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.replay.ReplayCache;

/**
 * Load driver for the KMS HTTP interface: many concurrent keep-alive clients, each a pair of users doing REQUEST
 * (initiator gets a ticket) then RESOLVE (responder resolves it), for a bounded time; reports throughput,
 * p50/p99/p99.9 latency per exchange and the CPU time per operation. Not JMH: this measures the whole server (HTTP,
 * store, protocol, replay cache, audit, metrics).
 *
 * <p>Modes: {@code pregen} (default) builds every client's messages before the measured window and sends them over
 * a lean keep-alive client ({@code --http raw}, or the KMS client library with {@code --http jdk}), so the window
 * measures the KMS; {@code live} does the whole MIKEY work of both users per operation through the client library,
 * on the same cores.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.kmsconf.bench.kms.KmsLoad [--mode pregen|live] [--http raw|jdk]
 *      [--clients 32] [--seconds 10] [--warmup 3] [--per-client N]
 *      [--store mem|h2file] [--data-dir DIR] [--jdbc-url URL --jdbc-user U]
 *      [--url http://host:port --data-dir DIR | --jdbc-url URL]   (target a running KMS; provisions through its admin
 *                                                               socket DIR/admin.sock, or its PostgreSQL store)
 * </pre>
 * The clients run in this JVM, on the same cores as an in-process KMS.
 */
public final class KmsLoad {
    private static final String KMS_ID = KmsConfig.DEFAULT_KMS_IDENTITY;

    private KmsLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            // benchmarks.jar has no logback.xml (DEBUG to the console by default): one audit line per request would
            // measure the console. Warnings and errors only.
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        int clients = 32;
        int seconds = 10;
        int warmup = 3;
        String store = "mem";
        String url = null;
        Path dataDir = null;
        String jdbcUrl = null;
        String jdbcUser = null;
        String mode = "pregen";
        int perClient = 0;
        String http = "raw";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--store" -> store = args[++i];
                case "--url" -> url = args[++i];
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--jdbc-url" -> jdbcUrl = args[++i];
                case "--jdbc-user" -> jdbcUser = args[++i];
                case "--mode" -> mode = args[++i];
                case "--per-client" -> perClient = Integer.parseInt(args[++i]);
                case "--http" -> http = args[++i];
                case "--help", "-h" -> {
                    System.out.println("usage: KmsLoad [--mode pregen|live] [--http raw|jdk] [--per-client N] [--clients N] [--seconds S] [--warmup S]"
                            + " [--store mem|h2file] [--data-dir DIR] [--jdbc-url URL] [--jdbc-user U]"
                            + " [--url http://host:port]");
                    return;
                }
                default -> {
                    System.err.println("KmsLoad: unknown option " + a + " (try --help)");
                    System.exit(2);
                }
            }
        }

        KmsConfig.Builder cb = switch (store) {
            case "mem" -> KmsConfig.inMemory();
            case "h2file" -> KmsConfig.inMemory().jdbcUrl(null).dataDir(dataDir != null ? dataDir
                    : java.nio.file.Files.createTempDirectory("kmsload"));
            default -> throw new IllegalArgumentException("--store mem or h2file");
        };
        if (jdbcUrl != null) {
            cb.jdbcUrl(jdbcUrl).jdbcUser(jdbcUser);
        }
        if (url != null && dataDir != null) {
            cb.jdbcUrl(null).dataDir(dataDir).masterKeyHex(null);
        }
        // The replay cache must hold every message of the run (all within the ±300 s skew window): a full cache
        // refuses (Invalid TS), which would show up as errors and fake throughput.
        KmsConfig config = cb.listen("127.0.0.1", 0).maxThreads(Math.max(16, clients + 8)).replayCapacity(2_000_000)
                .build();

        KmsServer server = null;
        KmsStore provisioning = null;
        RemoteAdmin remote = null;
        URI target;
        if (url == null) {
            server = KmsServer.start(config);
            provisioning = server.store();
            target = server.uri();
        } else if (dataDir != null) {
            // a running KMS on its embedded store: the store is locked; its admin socket provisions
            remote = new RemoteAdmin(config.effectiveAdminSocket());
            target = URI.create(url);
        } else {
            provisioning = KmsStore.open(config.store(), config.kmsIdentity(), false);
            target = URI.create(url);
        }
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        KmsAdmin admin = provisioning == null ? null : new KmsAdmin(provisioning);
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String a = "sip:load-a" + i + "-" + run + "@operator";
            String b = "sip:load-b" + i + "-" + run + "@operator";
            ProvisionedKey ka = admin != null ? admin.addUser(NewUser.of("load-a" + i + "-" + run, a))
                    : remote.addUser("load-a" + i + "-" + run, a, false);
            ProvisionedKey kb = admin != null ? admin.addUser(NewUser.of("load-b" + i + "-" + run, b))
                    : remote.addUser("load-b" + i + "-" + run, b, false);
            pairs.add(new Pair(a, ka, b, kb));
        }
        KmsClient client = KmsClient.builder().address(target).requestTimeout(Duration.ofSeconds(10)).build();

        System.out.printf(Locale.ROOT, "KMS %s, store %s, mode %s, http %s, %d clients, %d s warm-up + %d s measured%n",
                target, url != null ? "(remote)" : store, mode, mode.equals("live") ? "jdk" : http, clients, warmup,
                seconds);
        Result warm = runFor(pairs, client, warmup);
        System.out.printf(Locale.ROOT, "warm-up: %d ops%n", warm.requests.length + warm.resolves.length);
        Result r;
        long cpu0 = 0;
        long kmsCpu0 = 0;
        if (mode.equals("live")) {
            cpu0 = processCpuNanos();
            kmsCpu0 = kmsThreadsCpuNanos();
            r = runFor(pairs, client, seconds);
        } else if (mode.equals("pregen")) {
            // enough for 30 000 ops/s over the window unless told otherwise
            int n = perClient > 0 ? perClient : Math.max(500, 15_000 * seconds / clients);
            List<Prepared> prepared = prepare(pairs, client, n);
            cpu0 = processCpuNanos();
            kmsCpu0 = kmsThreadsCpuNanos();
            r = sendPrepared(prepared, client, seconds, http.equals("raw") ? target : null);
        } else {
            throw new IllegalArgumentException("--mode pregen or live");
        }
        report("REQUEST", r.requests, seconds);
        report("RESOLVE", r.resolves, seconds);
        long cpu = r.cpuAtEnd() - cpu0;
        long ops = r.requests.length + r.resolves.length;
        System.out.printf(Locale.ROOT, "TOTAL    %8.0f ops/s   (%d errors)%n", ops / (double) seconds, r.errors);
        if (r.errors > 0) {
            System.out.println("INVALID RUN: some answers were errors or refusals; the rates above do not count");
        }
        System.out.printf(Locale.ROOT, "CPU      %8.1f us per op (this JVM: KMS + clients%s), %d cores, load average %.1f"
                + " at the end%n", cpu / 1e3 / Math.max(1, ops), mode.equals("pregen") ? "' HTTP"
                : "' HTTP and MIKEY work", Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        if (server != null) {
            double kmsPerOp = (r.kmsCpuAtEnd() - kmsCpu0) / 1e3 / Math.max(1, ops);
            System.out.printf(Locale.ROOT, "KMS CPU  %8.1f us per op (the KMS's threads: HTTP, MIKEY, store, audit;"
                    + " JIT and GC not included): %.0f ops/s per core%n", kmsPerOp, 1e6 / kmsPerOp);
        }
        if (server != null) {
            server.close();
        } else if (provisioning != null) {
            provisioning.close();
        }
    }

    record Pair(String aUri, ProvisionedKey a, String bUri, ProvisionedKey b) {
    }

    /** One client's messages built ahead: fresh REQUEST_INITs, and RESOLVE_INITs of one ticket (J = 1: reusable). */
    record Prepared(List<TicketRequest> requests, List<byte[]> resolves) {
    }

    /**
     * pregen mode: each client's REQUEST_INITs and RESOLVE_INITs are built before the measured window (one REQUEST
     * round trip per client for the ticket), so the window measures the KMS, not the clients' MIKEY work on the same
     * two cores. Every answer is still checked: REQUEST answers fully (REQUEST_RESP verified and opened), RESOLVE
     * answers for being RESOLVE_RESP rather than an error.
     */
    static List<Prepared> prepare(List<Pair> pairs, KmsClient client, int perClient) throws InterruptedException {
        long t0 = System.nanoTime();
        List<Prepared> out = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (Pair p : pairs) {
            Prepared prep = new Prepared(new ArrayList<>(perClient), new ArrayList<>(perClient));
            out.add(prep);
            Thread t = new Thread(() -> {
                KeyMaterial pa = KeyMaterial.of(p.a().psk());
                KeyMaterial pb = KeyMaterial.of(p.b().psk());
                PartyContext ca = new PartyContext(Clock.systemUTC(), drbg(), new ReplayCache(1_000_000,
                        ReplayCache.DEFAULT_SKEW, Clock.systemUTC()));
                TicketRequest first = TicketRequest.create(TicketRequest.Spec.conferencing(p.aUri(), KMS_ID,
                        p.a().keyId(), List.of(p.bUri()), AlgorithmSet.SET_128), pa, ca);
                TicketGrant g = first.processResponse(client.exchange(first.message()));
                byte[] ti = TransferInitiator.create(g, new TransferInitiator.Spec(p.aUri(), p.bUri(),
                        List.of(Ssrc.of(0x1234))), ca).message();
                for (int i = 0; i < perClient; i++) {
                    prep.requests().add(TicketRequest.create(TicketRequest.Spec.conferencing(p.aUri(), KMS_ID,
                            p.a().keyId(), List.of(p.bUri()), AlgorithmSet.SET_128), pa, ca));
                    // a fresh responder context each time: the same TRANSFER_INIT is resolved again (ticket reuse)
                    PartyContext cb = new PartyContext(Clock.systemUTC(), drbg(), new ReplayCache(16,
                            ReplayCache.DEFAULT_SKEW, Clock.systemUTC()));
                    prep.resolves().add(TransferResponder.receive(ti, cb).resolveInit(p.bUri(), KMS_ID,
                            p.b().keyId(), pb));
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf(Locale.ROOT, "prepared %d messages per client in %.1f s%n", 2 * perClient,
                (System.nanoTime() - t0) / 1e9);
        return out;
    }

    /** Sends the prepared messages; with {@code raw} non-null through one {@link RawHttpClient} per thread. */
    static Result sendPrepared(List<Prepared> prepared, KmsClient client, int seconds, URI raw)
            throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        int n = prepared.size();
        long[][] req = new long[n][];
        long[][] res = new long[n][];
        int[] reqN = new int[n];
        int[] resN = new int[n];
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<List<byte[]>> requestAnswers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Prepared p = prepared.get(i);
            req[i] = new long[p.requests().size()];
            res[i] = new long[p.resolves().size()];
            List<byte[]> answers = new ArrayList<>();
            requestAnswers.add(answers);
            int idx = i;
            Thread t = new Thread(() -> {
                RawHttpClient rawClient = raw != null ? new RawHttpClient(raw) : null;
                java.util.function.UnaryOperator<byte[]> send = rawClient != null ? rawClient::post : client::exchange;
                int k = 0;
                while (System.nanoTime() < end && k < p.requests().size()) {
                    try {
                        long t0 = System.nanoTime();
                        byte[] a = send.apply(p.requests().get(k).message());
                        req[idx][reqN[idx]++] = System.nanoTime() - t0;
                        answers.add(a);
                        long t1 = System.nanoTime();
                        byte[] b = send.apply(p.resolves().get(k));
                        res[idx][resN[idx]++] = System.nanoTime() - t1;
                        if (KmsClient.errorCodeOf(b).isPresent()) {
                            errors.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        if (errors.incrementAndGet() <= 3) {
                            System.err.println("error: " + e.getMessage());
                        }
                    }
                    k++;
                }
                if (k == p.requests().size() && System.nanoTime() < end) {
                    System.err.println("client " + idx + " ran out of prepared messages before the window ended");
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long cpuAtEnd = processCpuNanos();
        long kmsCpuAtEnd = kmsThreadsCpuNanos();
        // verify every REQUEST answer completely (MAC, KEMAC) after the window
        for (int i = 0; i < n; i++) {
            List<byte[]> answers = requestAnswers.get(i);
            for (int k = 0; k < answers.size(); k++) {
                try {
                    prepared.get(i).requests().get(k).processResponse(answers.get(k)).destroy();
                } catch (RuntimeException e) {
                    if (errors.incrementAndGet() <= 3) {
                        System.err.println("bad REQUEST answer: " + e.getMessage());
                    }
                }
            }
        }
        return new Result(merge(java.util.Arrays.asList(req), reqN), merge(java.util.Arrays.asList(res), resN),
                errors.get(), cpuAtEnd, kmsCpuAtEnd);
    }

    /** Sorted latencies, errors, and the JVM's CPU time when the window closed (before any answer checking). */
    record Result(long[] requests, long[] resolves, long errors, long cpuAtEnd, long kmsCpuAtEnd) {
    }

    static Result runFor(List<Pair> pairs, KmsClient client, int seconds) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<long[]> req = new ArrayList<>();
        List<long[]> res = new ArrayList<>();
        int[] reqN = new int[pairs.size()];
        int[] resN = new int[pairs.size()];
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            long[] rq = new long[2_000_000 / pairs.size() + 1000];
            long[] rs = new long[rq.length];
            req.add(rq);
            res.add(rs);
            int idx = i;
            Pair p = pairs.get(i);
            Thread t = new Thread(() -> {
                KeyMaterial pa = KeyMaterial.of(p.a().psk());
                KeyMaterial pb = KeyMaterial.of(p.b().psk());
                PartyContext ca = new PartyContext(Clock.systemUTC(), drbg(), new ReplayCache());
                PartyContext cbx = new PartyContext(Clock.systemUTC(), drbg(), new ReplayCache());
                try {
                    while (System.nanoTime() < end && reqN[idx] < rq.length) {
                        try {
                            TicketRequest tr = TicketRequest.create(TicketRequest.Spec.conferencing(p.aUri(), KMS_ID,
                                    p.a().keyId(), List.of(p.bUri()), AlgorithmSet.SET_128), pa, ca);
                            byte[] msg = tr.message();
                            long t0 = System.nanoTime();
                            byte[] answer = client.exchange(msg);
                            rq[reqN[idx]++] = System.nanoTime() - t0;
                            TicketGrant g = tr.processResponse(answer);
                            TransferInitiator ti = TransferInitiator.create(g,
                                    new TransferInitiator.Spec(p.aUri(), p.bUri(), List.of(Ssrc.of(0x1234))), ca);
                            TransferResponder r = TransferResponder.receive(ti.message(), cbx);
                            byte[] ri = r.resolveInit(p.bUri(), KMS_ID, p.b().keyId(), pb);
                            long t1 = System.nanoTime();
                            byte[] rr = client.exchange(ri);
                            rs[resN[idx]++] = System.nanoTime() - t1;
                            r.processResolveResponse(rr);
                            r.destroy();
                            g.destroy();
                        } catch (RuntimeException e) {
                            if (errors.incrementAndGet() <= 3) {
                                System.err.println("error: " + e.getMessage());
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + i);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        long cpuAtEnd = processCpuNanos();
        long kmsCpuAtEnd = kmsThreadsCpuNanos();
        return new Result(merge(req, reqN), merge(res, resN), errors.get(), cpuAtEnd, kmsCpuAtEnd);
    }

    /** CPU time of the KMS's own threads (HTTP threads running the service, audit writer) so far. */
    static long kmsThreadsCpuNanos() {
        var tm = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (var info : tm.getThreadInfo(tm.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("kms-")) {
                long t = tm.getThreadCpuTime(info.getThreadId());
                sum += Math.max(0, t);
            }
        }
        return sum;
    }

    /** CPU time used by this JVM so far (all threads). */
    static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /** One DRBG per client thread: the default SecureRandom serialises every thread on one lock. */
    static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    static long[] merge(List<long[]> parts, int[] counts) {
        int n = Arrays.stream(counts).sum();
        long[] all = new long[n];
        int at = 0;
        for (int i = 0; i < parts.size(); i++) {
            System.arraycopy(parts.get(i), 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        return all;
    }

    static void report(String name, long[] sorted, int seconds) {
        if (sorted.length == 0) {
            System.out.printf(Locale.ROOT, "%-8s no samples%n", name);
            return;
        }
        System.out.printf(Locale.ROOT, "%-8s %8.0f ops/s   p50 %6.2f ms   p99 %6.2f ms   p99.9 %6.2f ms   max %6.2f ms%n",
                name, sorted.length / (double) seconds, ms(pct(sorted, 0.50)), ms(pct(sorted, 0.99)),
                ms(pct(sorted, 0.999)), ms(sorted[sorted.length - 1]));
    }

    static long pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
