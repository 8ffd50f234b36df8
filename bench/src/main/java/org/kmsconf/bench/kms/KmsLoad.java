package org.kmsconf.bench.kms;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kms.cli.KmsProcess;
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
 * Load driver for the KMS, measured from outside: it starts {@code kms serve} as separate processes (or targets
 * running ones), drives them over HTTP keep-alive connections with a realistic mix, and counts the KMS processes'
 * whole CPU time from /proc (every thread: HTTP, MIKEY, store, journals, audit writer, JIT, GC).
 *
 * <p>The mix, per client thread, in a closed loop: a user picked at random among {@code --users} asks for a fresh
 * ticket for another random user (REQUEST); the responder resolves that very ticket (RESOLVE, the ticket issued in
 * this run); with probability {@code --refused} the request comes instead from a user whom a policy rule denies
 * (answered with a MIKEY error, no RESOLVE). Every answer is checked: a REQUEST_RESP is verified and opened (the
 * ticket is used for the RESOLVE), a RESOLVE answer must not be an error, a refused request must be one.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.kmsconf.bench.kms.KmsLoad [--clients 8] [--users 200] [--refused 0.05]
 *      [--seconds 15] [--warmup 10] [--store h2file|postgres] [--nodes 1..3]
 *      [--jdbc-url jdbc:postgresql://127.0.0.1:5432/test --jdbc-user postgres] [--kms-jvm "-Xmx1g"]
 *      [--url http://host:port,... --admin-socket PATH --pid PID,...]   (KMS processes started elsewhere)
 * </pre>
 * The last line, {@code RESULT key=value ...}, is for scripts (bench/krb5/run.sh).
 */
public final class KmsLoad {
    private static final String KMS_ID = KmsConfig.DEFAULT_KMS_IDENTITY;
    /** How long a client waits for one answer before it gives up on the request (and counts it wrong). */
    static final long ANSWER_TIMEOUT_SECONDS = 10;
    /** A spawned kms serve logs as {@code kmsconf kms serve} does by default (bench's kms-serve-logback.xml). */
    public static final String KMS_LOGGING = "-Dlogback.configurationFile=kms-serve-logback.xml";

    private KmsLoad() {
    }

    /** The load's options. */
    record Options(int clients, int users, double refused, int seconds, int warmup, String store, int nodes,
            String jdbcUrl, String jdbcUser, List<String> kmsJvm, List<URI> urls, Path adminSocket, List<Long> pids) {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        int clients = 8;
        int users = 200;
        double refused = 0.05;
        int seconds = 15;
        int warmup = 10;
        String store = "h2file";
        int nodes = 1;
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:5432/test";
        String jdbcUser = "postgres";
        List<String> kmsJvm = List.of("-Xmx1g");
        List<URI> urls = List.of();
        Path adminSocket = null;
        List<Long> pids = List.of();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--refused" -> refused = Double.parseDouble(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--store" -> store = args[++i];
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--jdbc-url" -> jdbcUrl = args[++i];
                case "--jdbc-user" -> jdbcUser = args[++i];
                case "--kms-jvm" -> kmsJvm = List.of(args[++i].strip().split("\\s+"));
                case "--url" -> urls = Arrays.stream(args[++i].split(",")).map(URI::create).toList();
                case "--admin-socket" -> adminSocket = Path.of(args[++i]);
                case "--pid" -> pids = Arrays.stream(args[++i].split(",")).map(Long::valueOf).toList();
                case "--help", "-h" -> {
                    System.out.println("usage: KmsLoad [--clients N] [--users N] [--refused F] [--seconds S]"
                            + " [--warmup S] [--store h2file|postgres] [--nodes N] [--jdbc-url URL] [--jdbc-user U]"
                            + " [--kms-jvm OPTS] [--url U1,U2 --admin-socket PATH --pid P1,P2]");
                    return;
                }
                default -> {
                    System.err.println("KmsLoad: unknown option " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        if (!urls.isEmpty() && (adminSocket == null || pids.size() != urls.size())) {
            throw new IllegalArgumentException("--url needs --admin-socket (to provision) and one --pid per address"
                    + " (to read the KMS's CPU time)");
        }
        if (users < 2 || clients < 1 || refused < 0 || refused >= 1 || nodes < 1) {
            throw new IllegalArgumentException("need --users >= 2, --clients >= 1, 0 <= --refused < 1, --nodes >= 1");
        }
        Options o = new Options(clients, users, refused, seconds, warmup, store, nodes, jdbcUrl, jdbcUser, kmsJvm,
                urls, adminSocket, pids);
        System.exit(run(o) ? 0 : 1);
    }

    /** Runs one measurement; false if any answer was wrong (the rates then do not count). */
    static boolean run(Options o) throws Exception {
        List<KmsProcess> spawned = new ArrayList<>();
        Path dir = null;
        String schema = null;
        try {
            List<URI> urls = o.urls();
            List<Long> pids = o.pids();
            Path socket = o.adminSocket();
            if (urls.isEmpty()) {
                dir = Files.createTempDirectory("kmsload");
                Path cfg = dir.resolve("kms.properties");
                // the replay partitions must hold every message of the run (all within the ±300 s skew window)
                Files.writeString(cfg, "kms.replay.capacity=4000000\n");
                List<String> common = new ArrayList<>(List.of("--config", cfg.toString(), "--listen", "127.0.0.1:0",
                        "--master-key-file", dir.resolve("master.key").toString()));
                if (o.store().equals("postgres")) {
                    schema = "kmsload_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
                    common.addAll(List.of("--jdbc-url", o.jdbcUrl(), "--jdbc-user", o.jdbcUser(), "--db-schema",
                            schema));
                } else if (!o.store().equals("h2file") || o.nodes() != 1) {
                    throw new IllegalArgumentException("--store h2file (one node) or postgres (1 to 3 nodes)");
                }
                socket = dir.resolve("admin.sock");
                urls = new ArrayList<>();
                pids = new ArrayList<>();
                for (int n = 0; n < o.nodes(); n++) {
                    List<String> a = new ArrayList<>(common);
                    a.addAll(List.of("--data-dir", dir.resolve("node" + n).toString()));
                    if (n == 0) {
                        a.addAll(List.of("--admin-socket", socket.toString()));
                    }
                    List<String> jvm = new ArrayList<>(o.kmsJvm());
                    jvm.add(KMS_LOGGING);
                    KmsProcess p = KmsProcess.start(jvm, a);
                    spawned.add(p);
                    urls.add(p.uri());
                    pids.add(p.pid());
                }
            }
            return measure(o, urls, pids, new RemoteAdmin(socket));
        } finally {
            for (KmsProcess p : spawned) {
                p.close();
            }
            if (schema != null) {
                try (Connection c = DriverManager.getConnection(o.jdbcUrl(), o.jdbcUser(), null);
                        Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    /** A provisioned user and its key. */
    record User(String uri, ProvisionedKey key, KeyMaterial psk) {
    }

    static boolean measure(Options o, List<URI> urls, List<Long> pids, RemoteAdmin admin) throws Exception {
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        List<User> users = new ArrayList<>();
        for (int i = 0; i < o.users(); i++) {
            String uri = "sip:load" + i + "-" + run + "@operator";
            ProvisionedKey k = admin.addUser("load" + i + "-" + run, uri, false);
            users.add(new User(uri, k, KeyMaterial.of(k.psk())));
        }
        String deniedUri = "sip:denied-" + run + "@operator";
        ProvisionedKey dk = admin.addUser("denied-" + run, deniedUri, false);
        admin.run("policy", "deny", "--from", deniedUri, "--to", "*");
        User denied = new User(deniedUri, dk, KeyMaterial.of(dk.psk()));

        System.out.printf(Locale.ROOT, "KMS %s (pid %s), store %s, %d clients, %d users, %.0f%% refused,"
                + " %d s warm-up + %d s measured%n", urls, pids, o.urls().isEmpty() ? o.store() : "(running)",
                o.clients(), o.users(), o.refused() * 100, o.warmup(), o.seconds());
        Window warm = new Window(o, urls, users, denied, o.warmup());
        warm.run();
        System.out.printf(Locale.ROOT, "warm-up: %d ops, %d wrong%n", warm.ops(), warm.errors.get());
        Window w = new Window(o, urls, users, denied, o.seconds());
        boolean postgres = o.store().equals("postgres");
        long db0 = postgres ? postgresCpu() : 0;
        long kms0 = kmsCpu(pids);
        long self0 = selfCpu();
        java.util.Map<String, Long> threads0 = KmsProcess.threadCpuNanos(pids.get(0));
        double[] reads0 = storeReads(urls);
        w.run();
        double[] reads1 = storeReads(urls);
        long kmsCpu = kmsCpu(pids) - kms0;
        long dbCpu = postgres ? postgresCpu() - db0 : 0;
        java.util.Map<String, Long> threads1 = KmsProcess.threadCpuNanos(pids.get(0));
        long selfCpu = selfCpu() - self0;
        long ops = w.ops();
        report("REQUEST", w.latencies(0), o.seconds());
        report("RESOLVE", w.latencies(1), o.seconds());
        report("REFUSED", w.latencies(2), o.seconds());
        long[] all = w.allLatencies();
        report("ALL", all, o.seconds());
        double rate = ops / (double) o.seconds();
        double usPerOp = kmsCpu / 1e3 / Math.max(1, ops);
        System.out.printf(Locale.ROOT, "TOTAL    %8.0f ops/s   (%d wrong answers)%n", rate, w.errors.get());
        System.out.printf(Locale.ROOT, "KMS CPU  %8.1f us per op: the whole kms serve process%s (/proc/<pid>/stat utime"
                + " + stime: every thread, JIT and GC included), %.0f ops per KMS core-second%n", usPerOp,
                pids.size() > 1 ? "es" : "", 1e6 / usPerOp);
        StringBuilder where = new StringBuilder();
        threads1.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0).sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> where.append(String.format(Locale.ROOT, "  %s %.1f", e.getKey(),
                        e.getValue() / 1e3 / Math.max(1, ops) * pids.size())));
        System.out.println("KMS CPU by thread, us per op (first node):" + where);
        System.out.printf(Locale.ROOT, "STORE    %8.4f reads per op behind the read cache (all nodes: %.0f cached look-ups"
                + " that missed, %.0f directory version reads, %.0f identity index loads)%n",
                (reads1[0] - reads0[0] + reads1[2] - reads0[2]) / Math.max(1, ops), reads1[0] - reads0[0],
                reads1[1] - reads0[1], reads1[2] - reads0[2]);
        if (postgres) {
            System.out.printf(Locale.ROOT, "DATABASE %8.1f us per op: every postgres process of this machine (/proc),"
                    + " so only meaningful when nothing else uses PostgreSQL%n", dbCpu / 1e3 / Math.max(1, ops));
        }
        System.out.printf(Locale.ROOT, "DRIVER   %8.1f us per op (this JVM: the clients' MIKEY work and HTTP), %d cores,"
                + " load average %.1f at the end%n", selfCpu / 1e3 / Math.max(1, ops),
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "RESULT ops=%d seconds=%d ops_per_s=%.0f kms_cpu_s=%.3f kms_us_per_op=%.1f"
                + " kms_ops_per_core_s=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d%n", ops, o.seconds(), rate, kmsCpu / 1e9,
                usPerOp, 1e6 / usPerOp, all.length == 0 ? 0 : pct(all, 0.5) / 1e6,
                all.length == 0 ? 0 : pct(all, 0.99) / 1e6, w.errors.get());
        if (w.errors.get() > 0) {
            System.out.println("INVALID RUN: some answers were wrong; the rates above do not count");
        }
        return w.errors.get() == 0;
    }

    /** The store-read counters of {@code GET /metrics}, summed over the nodes: cache loads, version reads, index loads. */
    static double[] storeReads(List<URI> urls) throws IOException, InterruptedException {
        String[] names = {"kms_store_cache_loads_total", "kms_store_directory_version_reads_total",
                "kms_store_identity_index_loads_total"};
        double[] sum = new double[names.length];
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (URI u : urls) {
            String body = http.send(java.net.http.HttpRequest.newBuilder(u.resolve("/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                for (int i = 0; i < names.length; i++) {
                    if (line.startsWith(names[i] + " ") || line.startsWith(names[i] + "{")) {
                        sum[i] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            }
        }
        return sum;
    }

    /** One timed window: the client threads and what they measured (0 REQUEST, 1 RESOLVE, 2 refused REQUEST). */
    static final class Window {
        private final Options o;
        private final List<URI> urls;
        private final List<User> users;
        private final User denied;
        private final long nanos;
        private final long[][][] lat;
        private final int[][] count;
        private final RawHttpClient[] https;
        final AtomicLong errors = new AtomicLong();

        Window(Options o, List<URI> urls, List<User> users, User denied, int seconds) {
            this.o = o;
            this.urls = urls;
            this.users = users;
            this.denied = denied;
            this.nanos = seconds * 1_000_000_000L;
            this.lat = new long[o.clients()][3][];
            this.count = new int[o.clients()][3];
            this.https = new RawHttpClient[o.clients()];
            for (long[][] l : lat) {
                for (int k = 0; k < 3; k++) {
                    l[k] = new long[1 << 16];
                }
            }
        }

        void run() throws InterruptedException {
            long end = System.nanoTime() + nanos;
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < o.clients(); i++) {
                int c = i;
                https[c] = new RawHttpClient(urls.get(c % urls.size()), null, 0);
                Thread t = new Thread(() -> client(c, end), "load-" + i);
                t.start();
                threads.add(t);
            }
            // the clients' reads block without a timeout (no poll(2) per answer): this ends a request that waits
            // for its answer longer than ANSWER_TIMEOUT_SECONDS by closing its connection, and its client then counts
            // a wrong answer
            Thread watchdog = new Thread(() -> {
                while (threads.stream().anyMatch(Thread::isAlive)) {
                    long now = System.nanoTime();
                    for (int i = 0; i < https.length; i++) {
                        if (https[i].closeIfStuck(now, ANSWER_TIMEOUT_SECONDS * 1_000_000_000L)) {
                            System.err.println("load-" + i + ": no answer within " + ANSWER_TIMEOUT_SECONDS
                                    + " s: connection closed");
                        }
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            for (Thread t : threads) {
                t.join();
            }
            watchdog.interrupt();
        }

        private void client(int c, long end) {
            SplittableRandom random = new SplittableRandom(c * 7919L + System.nanoTime());
            PartyContext ctx = new PartyContext(Clock.systemUTC(), drbg(), new ReplayCache(1_000_000,
                    ReplayCache.DEFAULT_SKEW, Clock.systemUTC()));
            try (RawHttpClient http = https[c]) {
                while (System.nanoTime() < end) {
                    try {
                        if (random.nextDouble() < o.refused()) {
                            User peer = users.get(random.nextInt(users.size()));
                            TicketRequest tr = request(denied, peer, ctx);
                            long t0 = System.nanoTime();
                            byte[] a = http.post(tr.message());
                            add(c, 2, System.nanoTime() - t0);
                            if (KmsClient.errorCodeOf(a).isEmpty()) {
                                wrong("a denied request was granted");
                            }
                            continue;
                        }
                        int ia = random.nextInt(users.size());
                        int ib = random.nextInt(users.size() - 1);
                        User a = users.get(ia);
                        User b = users.get(ib >= ia ? ib + 1 : ib);
                        TicketRequest tr = request(a, b, ctx);
                        long t0 = System.nanoTime();
                        byte[] answer = http.post(tr.message());
                        add(c, 0, System.nanoTime() - t0);
                        TicketGrant g = tr.processResponse(answer);
                        byte[] ti = TransferInitiator.create(g, new TransferInitiator.Spec(a.uri(), b.uri(),
                                List.of(Ssrc.of(0x1234))), ctx).message();
                        g.destroy();
                        byte[] ri = TransferResponder.receive(ti, ctx).resolveInit(b.uri(), KMS_ID,
                                b.key().keyId(), b.psk());
                        long t1 = System.nanoTime();
                        byte[] rr = http.post(ri);
                        add(c, 1, System.nanoTime() - t1);
                        if (KmsClient.errorCodeOf(rr).isPresent()) {
                            wrong("a RESOLVE of a fresh ticket was refused: " + KmsClient.errorCodeOf(rr).get());
                        }
                    } catch (RuntimeException e) {
                        wrong(e.toString());
                    }
                }
            }
        }

        private static TicketRequest request(User from, User to, PartyContext ctx) {
            return TicketRequest.create(TicketRequest.Spec.conferencing(from.uri(), KMS_ID, from.key().keyId(),
                    List.of(to.uri()), AlgorithmSet.SET_128), from.psk(), ctx);
        }

        private void wrong(String what) {
            if (errors.incrementAndGet() <= 3) {
                System.err.println("wrong answer: " + what);
            }
        }

        private void add(int c, int kind, long nanos) {
            long[] l = lat[c][kind];
            if (count[c][kind] == l.length) {
                lat[c][kind] = l = Arrays.copyOf(l, l.length * 2);
            }
            l[count[c][kind]++] = nanos;
        }

        long ops() {
            long n = 0;
            for (int[] c : count) {
                n += c[0] + c[1] + c[2];
            }
            return n;
        }

        long[] latencies(int kind) {
            long[] all = new long[0];
            for (int c = 0; c < lat.length; c++) {
                int at = all.length;
                all = Arrays.copyOf(all, at + count[c][kind]);
                System.arraycopy(lat[c][kind], 0, all, at, count[c][kind]);
            }
            Arrays.sort(all);
            return all;
        }

        long[] allLatencies() {
            long[] a = latencies(0);
            long[] b = latencies(1);
            long[] r = latencies(2);
            long[] all = Arrays.copyOf(a, a.length + b.length + r.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            System.arraycopy(r, 0, all, a.length + b.length, r.length);
            Arrays.sort(all);
            return all;
        }
    }

    /** CPU time of the KMS processes (all threads) so far. */
    static long kmsCpu(List<Long> pids) throws IOException {
        long sum = 0;
        for (long pid : pids) {
            sum += KmsProcess.cpuNanos(pid);
        }
        return sum;
    }

    /** CPU time of every process named postgres on this machine so far (the database server's share). */
    static long postgresCpu() throws IOException {
        long sum = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (Files.readString(p.resolve("comm")).strip().equals("postgres")) {
                        sum += KmsProcess.cpuNanos(Long.parseLong(name));
                    }
                } catch (IOException e) {
                    // the process ended meanwhile
                }
            }
        }
        return sum;
    }

    /** CPU time of this JVM so far (the driver). */
    static long selfCpu() throws IOException {
        return KmsProcess.cpuNanos(ProcessHandle.current().pid());
    }

    /** One DRBG per client thread: the default SecureRandom serialises every thread on one lock. */
    static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    static void report(String name, long[] sorted, int seconds) {
        if (sorted.length == 0) {
            System.out.printf(Locale.ROOT, "%-8s no samples%n", name);
            return;
        }
        System.out.printf(Locale.ROOT, "%-8s %8.0f ops/s   p50 %6.2f ms   p99 %6.2f ms   p99.9 %6.2f ms   max %6.2f ms%n",
                name, sorted.length / (double) seconds, pct(sorted, 0.50) / 1e6, pct(sorted, 0.99) / 1e6,
                pct(sorted, 0.999) / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    static long pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(q * sorted.length) - 1))];
    }

    static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
