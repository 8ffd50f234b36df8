package org.kmsconf.bench.sip;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
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
import org.kmsconf.sip.stack.Capacity;
import org.kmsconf.sip.stack.SipStacks;
import org.kmsconf.sip.stack.SourceRateLimit;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.FlowListener;
import org.kmsconf.sip.ue.RosterEvent;
import org.kmsconf.sip.ue.UeConfig;
import org.kmsconf.sip.ue.UserAgent;
import org.slf4j.LoggerFactory;

/**
 * Load driver for the protected conference event package: one conference with {@code --subscribers} participants,
 * each subscribed to its state (NOTIFY bodies sealed per subscriber under its leg's K(0xE0), CMS AuthEnvelopedData),
 * then {@code --rounds} times one more participant joins and leaves. For each join it measures, from the focus
 * sending the 200 to the newcomer's INVITE:
 * <ul>
 *   <li><b>first NOTIFY</b>: until the focus sends the first NOTIFY about it (the 100 ms of the issue);</li>
 *   <li><b>fan-out</b>: until the focus has sent the NOTIFY to every subscriber (a sealed body each);</li>
 *   <li><b>all rosters</b>: until every subscriber has verified, decrypted and applied it.</li>
 * </ul>
 * Everything runs in one JVM on loopback (KMS, conference server, every user agent): the figures are for the
 * system as a whole on this machine.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.kmsconf.bench.sip.NotifyFanOut [--subscribers 50] [--rounds 30]
 *      [--transport udp|tcp]
 * </pre>
 */
public final class NotifyFanOut {
    static final String FACTORY = "sip:factory.conference1@operator";

    private NotifyFanOut() {
    }

    public static void main(String[] args) throws Exception {
        int subscribers = 50;
        int rounds = 30;
        String transport = "udp";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--subscribers" -> subscribers = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--transport" -> transport = args[++i];
                case "--help", "-h" -> {
                    System.out.println("usage: NotifyFanOut [--subscribers N] [--rounds N] [--transport udp|tcp]");
                    return;
                }
                default -> {
                    System.err.println("NotifyFanOut: unknown option " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        if (subscribers < 2 || rounds < 1) {
            System.err.println("NotifyFanOut: at least 2 subscribers and 1 round");
            System.exit(2);
        }
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.WARN);
        }
        int code;
        try (World w = new World(subscribers, transport)) {
            System.out.printf(Locale.ROOT, "NotifyFanOut: %d subscribers, %d rounds, SIP over %s, %d cores%n",
                    subscribers, rounds, transport.toUpperCase(Locale.ROOT), Runtime.getRuntime().availableProcessors());
            w.setUp();
            w.round(); // warm-up (class loading, JIT)
            w.round();
            long[][] r = new long[3][rounds];
            for (int i = 0; i < rounds; i++) {
                long[] one = w.round();
                for (int k = 0; k < 3; k++) {
                    r[k][i] = one[k];
                }
            }
            System.out.println("from the 200 to the newcomer (ms)   p50     p90     max");
            line("first NOTIFY sent", r[0]);
            line("NOTIFY sent to all " + subscribers, r[1]);
            line("all " + subscribers + " rosters updated", r[2]);
            code = 0;
        }
        System.exit(code); // JAIN-SIP leaves a non-daemon thread behind
    }

    private static void line(String what, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%-34s %6.1f  %6.1f  %6.1f%n", what, pct(s, 50), pct(s, 90),
                s[s.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /** KMS, a signalling-only conference server and the user agents on loopback. */
    static final class World implements AutoCloseable {
        final KmsServer kms = KmsServer.start(KmsConfig.inMemory().build());
        final KmsClient client = KmsClient.builder().address(kms.uri()).build();
        final Directory directory = new Directory();
        final int subscribers;
        final ConferenceServer server;
        final List<UserAgent> ues = new ArrayList<>();
        final UserAgent newcomer;
        final Set<String> subscriberIds = ConcurrentHashMap.newKeySet();
        /** Focus-side times of the current round. */
        final AtomicLong okSent = new AtomicLong();
        final List<Long> notifySent = new CopyOnWriteArrayList<>();
        final List<Long> rosterSeen = new CopyOnWriteArrayList<>();
        volatile boolean joining;
        String focus;

        World(int subscribers, String transport) throws Exception {
            this.subscribers = subscribers;
            ProvisionedKey confsys = kms.admin().addUser(NewUser.of("confsys", FACTORY));
            kms.admin().addFactory(FACTORY);
            FlowListener focusTiming = e -> {
                if (e instanceof FlowEvent.SipMessage m && m.party().startsWith("sip:focus")
                        && m.direction() == FlowEvent.Direction.SENT) {
                    if (m.what().equals("200 INVITE") && joining) {
                        okSent.compareAndSet(0, System.nanoTime());
                    } else if (m.what().equals("NOTIFY") && subscriberIds.contains(m.to()) && okSent.get() != 0) {
                        notifySent.add(System.nanoTime());
                    }
                }
            };
            server = ConferenceServer.start(ServerConfig.of(FACTORY, "127.0.0.1", 0, directory, agent(confsys))
                    .withTrace(focusTiming).withTimeout(Duration.ofSeconds(10))
                    .withLimits(Limits.DEFAULT.withMaxParticipants(subscribers + 1))
                    .withCapacity(new Capacity(32, 4096, SourceRateLimit.NONE)));
            server.register(directory, transport);
            for (int i = 0; i <= subscribers; i++) {
                String id = "sip:ue" + i + "@operator";
                ProvisionedKey k = kms.admin().addUser(NewUser.of("ue" + i, id).canCreateConferences(true));
                UserAgent ua = UserAgent.start(UeConfig.of(id, "127.0.0.1", 0, new InetSocketAddress("127.0.0.1", 9),
                        directory, agent(k)).withTimeout(Duration.ofSeconds(10)));
                directory.put(id, ua.contact(transport));
                ues.add(ua);
            }
            newcomer = ues.remove(ues.size() - 1);
        }

        private KeyAgent agent(ProvisionedKey k) {
            return new MikeyKeyAgent(client, kms.kmsIdentity(), k.keyId(), KeyMaterial.of(k.psk()),
                    AlgorithmSet.SET_128, PartyContext.system());
        }

        /** The conference, everyone joined and subscribed, every roster complete. */
        void setUp() throws Exception {
            List<String> others = new ArrayList<>(ues.subList(1, ues.size()).stream().map(UserAgent::identity)
                    .toList());
            others.add(newcomer.identity());
            UserAgent.Created c = ues.get(0).createConference(FACTORY, others);
            focus = c.focusUri();
            ues.get(0).join(focus, c.ticket());
            for (UserAgent ua : ues.subList(1, ues.size())) {
                ua.join(focus);
            }
            for (UserAgent ua : ues) {
                subscriberIds.add(ua.identity());
                ua.setRosterListener((events, roster) -> {
                    if (events.stream().anyMatch(e -> e.kind() == RosterEvent.Kind.JOINED
                            && e.identity().equals(newcomer.identity()))) {
                        rosterSeen.add(System.nanoTime());
                    }
                });
            }
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (UserAgent ua : ues) {
                while (connected(ua) < ues.size()) {
                    if (System.nanoTime() > end) {
                        throw new IllegalStateException(ua.identity() + " sees " + connected(ua) + " participants");
                    }
                    Thread.sleep(20);
                }
            }
        }

        private long connected(UserAgent ua) {
            return ua.roster(focus).map(r -> r.users().stream().filter(u -> u.endpoints().stream()
                    .anyMatch(e -> e.media().size() > 0)).count()).orElse(0L);
        }

        /** The newcomer joins (measured), then leaves; returns {first NOTIFY, all NOTIFYs, all rosters} in ns. */
        long[] round() throws Exception {
            okSent.set(0);
            notifySent.clear();
            rosterSeen.clear();
            joining = true;
            newcomer.join(focus);
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((notifySent.size() < subscribers || rosterSeen.size() < subscribers) && System.nanoTime() < end) {
                Thread.sleep(1);
            }
            joining = false;
            if (notifySent.size() < subscribers || rosterSeen.size() < subscribers) {
                throw new IllegalStateException("only " + notifySent.size() + " NOTIFYs sent and "
                        + rosterSeen.size() + " rosters updated");
            }
            long t0 = okSent.get();
            long first = notifySent.stream().mapToLong(Long::longValue).min().orElseThrow() - t0;
            long last = notifySent.stream().mapToLong(Long::longValue).max().orElseThrow() - t0;
            long rosters = rosterSeen.stream().mapToLong(Long::longValue).max().orElseThrow() - t0;
            newcomer.leave(focus);
            long settle = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (ues.stream().anyMatch(ua -> connected(ua) != ues.size()) && System.nanoTime() < settle) {
                Thread.sleep(5);
            }
            return new long[] {first, last, rosters};
        }

        @Override
        public void close() {
            List<AutoCloseable> all = new ArrayList<>(ues);
            all.add(newcomer);
            all.add(server);
            SipStacks.closeAll(all);
            client.close();
            kms.close();
        }
    }
}
