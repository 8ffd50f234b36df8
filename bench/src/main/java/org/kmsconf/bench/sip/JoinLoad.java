package org.kmsconf.bench.sip;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.conference.Limits;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.focus.ServerConfig;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.MikeyKeyAgent;
import org.kmsconf.sip.media.ConferenceMedia;
import org.kmsconf.sip.media.RelayMedia;
import org.kmsconf.sip.stack.Capacity;
import org.kmsconf.sip.stack.SipStacks;
import org.kmsconf.sip.stack.SourceRateLimit;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.FlowListener;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UeConfig;
import org.kmsconf.sip.ue.UserAgent;
import org.slf4j.LoggerFactory;

/**
 * Load driver for conference joins (flow 3, call-in) through the whole system in one JVM on loopback: an embedded
 * KMS (in-memory H2, HTTP), a conference server (factory + foci, per-leg SRTP relay by default) and user agents, all
 * with the real MIKEY-TICKET key agents. It creates {@code --conferences} conferences (flow 1, not measured), then
 * has {@code --participants} users join each of them, {@code --threads} joins at a time, and reports joins per second
 * and latency percentiles:
 * <ul>
 *   <li><b>at the focus</b>: from the focus receiving the INVITE to its sending the 200 (RESOLVE with the KMS,
 *       checks, SSRC, relay leg: the server's own latency);</li>
 *   <li><b>INVITE→200</b>: from the UE sending the INVITE with its TRANSFER_INIT to the UE receiving the 200 with the
 *       TRANSFER_RESP; the focus's RESOLVE exchange with the KMS, its checks and the relay leg set-up are inside;</li>
 *   <li><b>join</b>: the UE's whole call-in: its ticket REQUEST to the KMS, then INVITE, 200, TRANSFER_RESP
 *       verification and key derivation, ACK.</li>
 * </ul>
 * Every party runs on the same cores as the load: the figures are for the system as a whole, not for one server.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.kmsconf.bench.sip.JoinLoad [--conferences 100] [--participants 5]
 *      [--threads 8] [--agents 25] [--warmup 60] [--transport udp|tcp] [--media relay|none]
 * </pre>
 */
public final class JoinLoad {
    static final String FACTORY = "sip:factory.conference1@operator";

    private JoinLoad() {
    }

    public static void main(String[] args) throws Exception {
        int conferences = 100;
        int participants = 5;
        int threads = 8;
        int agents = 25;
        int warmup = 60;
        String transport = "udp";
        String mediaMode = "relay";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--conferences" -> conferences = Integer.parseInt(args[++i]);
                case "--participants" -> participants = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--agents" -> agents = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--transport" -> transport = args[++i];
                case "--media" -> mediaMode = args[++i];
                case "--help", "-h" -> {
                    System.out.println("usage: JoinLoad [--conferences N] [--participants N] [--threads N]"
                            + " [--agents N] [--warmup N] [--transport udp|tcp] [--media relay|none]");
                    return;
                }
                default -> {
                    System.err.println("JoinLoad: unknown option " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        if (participants > agents) {
            System.err.println("JoinLoad: --participants must not exceed --agents");
            System.exit(2);
        }
        quietLogs();
        int code;
        try (JoinWorld w = new JoinWorld(agents, transport, mediaMode)) {
            System.out.printf(Locale.ROOT, "JoinLoad: %d conferences × %d participants, %d joins at a time, %d user "
                    + "agents, SIP over %s, media %s, %d cores%n", conferences, participants, threads, agents,
                    transport.toUpperCase(Locale.ROOT), mediaMode, Runtime.getRuntime().availableProcessors());
            if (warmup > 0) {
                Result r = w.round(warmup, participants, threads);
                System.out.printf(Locale.ROOT, "warm-up: %d conferences, %d joins (%d failed)%n", warmup, r.joins(),
                        r.failures());
            }
            Result r = w.round(conferences, participants, threads);
            r.print();
            code = r.failures() == 0 ? 0 : 1;
        }
        System.exit(code); // JAIN-SIP leaves a non-daemon thread behind
    }

    static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /**
     * CPU time of the live threads, by party, from the thread names: {@code kms-*} the KMS (Jetty, audit, store),
     * {@code conf-*} the conference server's SIP stack and workers, {@code media-relay*} the relay, the rest the
     * user agents and this driver. Threads that end during a round take their time with them (none should).
     */
    static Map<String, Long> cpuByParty() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> m = new java.util.TreeMap<>();
        for (long id : mx.getAllThreadIds()) {
            java.lang.management.ThreadInfo ti = mx.getThreadInfo(id);
            long t = mx.getThreadCpuTime(id);
            if (ti == null || t < 0) {
                continue;
            }
            String n = ti.getThreadName();
            String party = n.startsWith("kms-") ? "KMS" : n.startsWith("conf-") ? "conference server"
                    : n.startsWith("media-relay") ? "relay" : "user agents + driver";
            m.merge(party, t, Long::sum);
        }
        return m;
    }

    private static void quietLogs() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.WARN);
        }
    }

    /** Figures of one measured round. */
    record Result(int conferences, int joins, int failures, long wallNanos, long cpuNanos, Map<String, Long> cpuByParty,
                  long[] joinNanos, long[] inviteNanos, long[] focusNanos, String firstFailure) {
        double joinsPerSecond() {
            return joins * 1e9 / wallNanos;
        }

        void print() {
            System.out.printf(Locale.ROOT, "%d conferences created, %d joins in %.2f s: %.0f joins/s, %d failed%n",
                    conferences, joins, wallNanos / 1e9, joinsPerSecond(), failures);
            // CPU time of the whole process (KMS + conference server + user agents) per join: what the machine
            // pays for one join whatever else runs on it; cores / that = the most joins/s it could do.
            double cpuMs = cpuNanos / 1e6 / joins;
            System.out.printf(Locale.ROOT, "CPU per join (all parties): %.2f ms → at most %.0f joins/s on %d cores%n",
                    cpuMs, Runtime.getRuntime().availableProcessors() * 1000 / cpuMs,
                    Runtime.getRuntime().availableProcessors());
            // The servers' share (threads named by party): what a KMS + conference server would pay per join with
            // the user agents running elsewhere.
            StringBuilder b = new StringBuilder("  by party (thread CPU):");
            long servers = 0;
            for (var e : cpuByParty.entrySet()) {
                b.append(String.format(Locale.ROOT, " %s %.2f ms", e.getKey(), e.getValue() / 1e6 / joins));
                if (!e.getKey().equals("user agents + driver")) {
                    servers += e.getValue();
                }
            }
            System.out.println(b);
            double serverMs = servers / 1e6 / joins;
            System.out.printf(Locale.ROOT, "  KMS + conference server: %.2f ms per join → at most %.0f joins/s on %d "
                    + "cores with the user agents elsewhere%n", serverMs,
                    Runtime.getRuntime().availableProcessors() * 1000 / serverMs,
                    Runtime.getRuntime().availableProcessors());
            System.out.println("latency (ms)         p50     p90     p99     max");
            line("at the focus", focusNanos);
            line("INVITE→200 (UE)", inviteNanos);
            line("join (REQUEST+INVITE)", joinNanos);
            if (firstFailure != null) {
                System.out.println("first failure: " + firstFailure);
            }
        }

        private static void line(String what, long[] ns) {
            if (ns.length == 0) {
                System.out.printf(Locale.ROOT, "%-20s  (none)%n", what);
                return;
            }
            long[] s = ns.clone();
            Arrays.sort(s);
            System.out.printf(Locale.ROOT, "%-20s %6.1f  %6.1f  %6.1f  %6.1f%n", what, pct(s, 50), pct(s, 90),
                    pct(s, 99), s[s.length - 1] / 1e6);
        }

        private static double pct(long[] sorted, int p) {
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
        }
    }

    /** KMS, conference server and user agents on loopback. */
    static final class JoinWorld implements AutoCloseable {
        final KmsServer kms = KmsServer.start(KmsConfig.inMemory().build());
        final KmsClient client = KmsClient.builder().address(kms.uri()).build();
        final Directory directory = new Directory();
        final ConferenceServer server;
        final ConferenceMedia media;
        final List<UserAgent> ues = new ArrayList<>();
        /** INVITE sent (UE side) per Call-ID, and INVITE→200 durations. */
        final Map<String, Long> inviteSent = new ConcurrentHashMap<>();
        final Map<String, Long> inviteAnswered = new ConcurrentHashMap<>();
        /** At the focus: INVITE received → 200 sent, per Call-ID (its RESOLVE, checks and relay leg inside). */
        final Map<String, Long> focusReceived = new ConcurrentHashMap<>();
        final Map<String, Long> focusAnswered = new ConcurrentHashMap<>();
        final FlowListener focusTiming = e -> {
            if (e instanceof FlowEvent.SipMessage m && m.party().startsWith("sip:focus")) {
                if (m.direction() == FlowEvent.Direction.RECEIVED && m.what().equals("INVITE")) {
                    focusReceived.putIfAbsent(m.callId(), System.nanoTime());
                } else if (m.direction() == FlowEvent.Direction.SENT && m.what().equals("200 INVITE")) {
                    Long t0 = focusReceived.get(m.callId());
                    if (t0 != null) {
                        focusAnswered.putIfAbsent(m.callId(), System.nanoTime() - t0);
                    }
                }
            }
        };
        final FlowListener timing = e -> {
            if (e instanceof FlowEvent.SipMessage m && m.party().startsWith("sip:ue")) {
                if (m.direction() == FlowEvent.Direction.SENT && m.what().equals("INVITE")) {
                    inviteSent.putIfAbsent(m.callId(), System.nanoTime());
                } else if (m.direction() == FlowEvent.Direction.RECEIVED && m.what().equals("200 INVITE")) {
                    Long t0 = inviteSent.get(m.callId());
                    if (t0 != null) {
                        inviteAnswered.putIfAbsent(m.callId(), System.nanoTime() - t0);
                    }
                }
            }
        };

        JoinWorld(int agents, String transport, String mediaMode) throws Exception {
            ProvisionedKey confsys = kms.admin().addUser(NewUser.of("confsys", FACTORY));
            kms.admin().addFactory(FACTORY);
            media = mediaMode.equals("none") ? null : RelayMedia.start(InetAddress.getLoopbackAddress());
            // All user agents send from 127.0.0.1 and create many conferences: the per-source rate and the
            // per-creator limit would measure themselves, not the join path, so the benchmark lifts them.
            server = ConferenceServer.start(ServerConfig.of(FACTORY, "127.0.0.1", 0, directory, agent(confsys))
                    .withMedia(media).withTrace(focusTiming).withTimeout(Duration.ofSeconds(10))
                    .withLimits(Limits.DEFAULT.withMaxConferences(1_000_000).withMaxConferencesPerCreator(1_000_000))
                    .withCapacity(new Capacity(32, 4096, SourceRateLimit.NONE)));
            server.register(directory, transport);
            for (int i = 0; i < agents; i++) {
                String id = "sip:ue" + i + "@operator";
                ProvisionedKey k = kms.admin().addUser(NewUser.of("ue" + i, id).canCreateConferences(true));
                // No media is sent: the address only fills the SDP (the relay would learn the real one). No
                // subscription to the conference state either: this measures the join path (NotifyFanOut measures
                // the event package).
                UserAgent ua = UserAgent.start(UeConfig.of(id, "127.0.0.1", 0,
                        new InetSocketAddress("127.0.0.1", 9), directory, agent(k)).withTrace(timing)
                        .withTimeout(Duration.ofSeconds(10)).withSubscribe(false));
                directory.put(id, ua.contact(transport));
                ues.add(ua);
            }
        }

        private KeyAgent agent(ProvisionedKey k) {
            return new MikeyKeyAgent(client, kms.kmsIdentity(), k.keyId(), KeyMaterial.of(k.psk()),
                    AlgorithmSet.SET_128, PartyContext.system());
        }

        private final AtomicInteger next = new AtomicInteger();

        /** Creates {@code n} conferences (not measured), then has {@code per} users join each; measures the joins. */
        Result round(int n, int per, int threads) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<String> foci = new ArrayList<>();
                List<List<UserAgent>> members = new ArrayList<>();
                List<Future<String>> created = new ArrayList<>();
                for (int c = 0; c < n; c++) {
                    int base = next.getAndIncrement() * per;
                    List<UserAgent> m = new ArrayList<>();
                    for (int p = 0; p < per; p++) {
                        m.add(ues.get((base + p) % ues.size()));
                    }
                    members.add(m);
                    List<String> others = m.subList(1, m.size()).stream().map(UserAgent::identity).toList();
                    created.add(pool.submit(() -> m.get(0).createConference(FACTORY, others).focusUri()));
                }
                for (Future<String> f : created) {
                    foci.add(f.get());
                }
                inviteSent.clear();
                inviteAnswered.clear();
                focusReceived.clear();
                focusAnswered.clear();
                List<Future<Long>> joins = new ArrayList<>();
                long start = System.nanoTime();
                long cpu0 = processCpuNanos();
                Map<String, Long> party0 = cpuByParty();
                for (int p = 0; p < per; p++) { // round-robin over conferences, as callers would arrive
                    for (int c = 0; c < n; c++) {
                        UserAgent ua = members.get(c).get(p);
                        String focus = foci.get(c);
                        joins.add(pool.submit(() -> {
                            long t0 = System.nanoTime();
                            ua.join(focus);
                            return System.nanoTime() - t0;
                        }));
                    }
                }
                List<Long> ok = new ArrayList<>();
                int failures = 0;
                String firstFailure = null;
                for (Future<Long> f : joins) {
                    try {
                        ok.add(f.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures++;
                        if (firstFailure == null) {
                            firstFailure = e.getCause().toString();
                        }
                    }
                }
                long wall = System.nanoTime() - start;
                long cpu = processCpuNanos() - cpu0;
                Map<String, Long> party = cpuByParty();
                party0.forEach((k, v) -> party.merge(k, -v, Long::sum));
                long[] joinNs = ok.stream().mapToLong(Long::longValue).toArray();
                long[] inviteNs = inviteAnswered.values().stream().mapToLong(Long::longValue).toArray();
                long[] focusNs = focusAnswered.values().stream().mapToLong(Long::longValue).toArray();
                // hang up, so that later rounds start from empty conferences
                List<Future<?>> byes = new ArrayList<>();
                for (int c = 0; c < n; c++) {
                    for (UserAgent ua : members.get(c)) {
                        String focus = foci.get(c);
                        byes.add(pool.submit(() -> {
                            try {
                                ua.leave(focus);
                            } catch (Exception ignored) {
                                // not in it (its join failed)
                            }
                            return null;
                        }));
                    }
                }
                for (Future<?> f : byes) {
                    f.get();
                }
                return new Result(n, n * per, failures, wall, cpu, party, joinNs, inviteNs, focusNs, firstFailure);
            } finally {
                pool.shutdownNow();
            }
        }

        @Override
        public void close() {
            List<AutoCloseable> all = new ArrayList<>(ues);
            all.add(server);
            SipStacks.closeAll(all);
            if (media != null) {
                media.close();
            }
            client.close();
            kms.close();
        }
    }
}
