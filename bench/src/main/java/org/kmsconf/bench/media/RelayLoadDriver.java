package org.kmsconf.bench.media;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.kmsconf.media.relay.LegStats;
import org.kmsconf.media.relay.MediaRelay;
import org.kmsconf.media.relay.RelayConference;
import org.kmsconf.media.relay.RelayLeg;
import org.kmsconf.media.relay.RelayMode;
import org.kmsconf.media.srtp.PacketBuffer;
import org.kmsconf.media.srtp.SrtpContext;
import org.kmsconf.media.srtp.SrtpStatus;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;

/**
 * Load driver for the focus relay over real UDP sockets on loopback. For each conference size and each
 * {@link RelayMode}, N simulated participants (one socket and one SRTP sender each) send 160-byte PCMU packets
 * round-robin as fast as one driver thread can to their legs; the relay forwards each to the N-1 others, whose
 * sockets nobody reads (the kernel drops what overflows, as a congested receiver would). Measured over the
 * measurement window: packets forwarded per second, and the relay thread's CPU time (ThreadMXBean) per forwarded
 * packet, from which the forwarding capacity of one fully used core follows.
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar org.kmsconf.bench.media.RelayLoadDriver \
 *        [--sizes 3,5,10,20,50] [--warmup 1] [--seconds 3] [--burst 1] [--markdown FILE] [--svg FILE] [--csv FILE]
 * </pre>
 */
public final class RelayLoadDriver {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final SrtpPolicy PROFILE = SrtpPolicy.DEFAULT;
    private static final int PAYLOAD = 160;
    private static final int AUDIO_PPS = 50;
    /** Packets the driver sends for one participant before moving to the next (so the relay reads in batches). */
    static int burst = 1;

    record Result(RelayMode mode, int participants, double seconds, long offered, long inbound, long forwarded,
                  long rejected, long sendDropped, long cpuNanos, long driverCpuNanos) {
        double forwardedPerSecond() {
            return forwarded / seconds;
        }

        double cpuUtilisation() {
            return cpuNanos / (seconds * 1e9);
        }

        double driverUtilisation() {
            return driverCpuNanos / (seconds * 1e9);
        }

        double nanosPerForward() {
            return forwarded == 0 ? Double.NaN : (double) cpuNanos / forwarded;
        }

        /** Forwarded packets per second one fully used core would give at this cost. */
        double capacityPerCore() {
            return 1e9 / nanosPerForward();
        }
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = {3, 5, 10, 20, 50};
        double warmup = 1;
        double seconds = 3;
        Path markdown = null;
        Path svg = null;
        Path csv = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--markdown" -> markdown = Path.of(args[++i]);
                case "--svg" -> svg = Path.of(args[++i]);
                case "--csv" -> csv = Path.of(args[++i]);
                case "--burst" -> burst = Integer.parseInt(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("usage: RelayLoadDriver [--sizes 3,5,10,20,50] [--warmup S] [--seconds S] [--burst K]"
                            + " [--markdown FILE] [--svg FILE] [--csv FILE]");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        if (seconds <= 0 || seconds > 60 || warmup < 0 || warmup > 60) {
            System.err.println("--seconds and --warmup must be within 0..60");
            System.exit(2);
        }
        // Per-leg open/close lines would drown the figures (the bench jar has no logging configuration of its own).
        if (org.slf4j.LoggerFactory.getLogger("org.kmsconf") instanceof ch.qos.logback.classic.Logger lb) {
            lb.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        List<Result> results = new ArrayList<>();
        for (int n : sizes) {
            for (RelayMode mode : RelayMode.values()) {
                Result r = run(mode, n, warmup, seconds);
                results.add(r);
                System.err.printf(Locale.ROOT, "%-31s N=%2d  forwarded %,10.0f pkt/s  relay CPU %5.1f %%  driver CPU %5.1f %%"
                        + "  %6.0f ns/fwd%n", mode, n, r.forwardedPerSecond(), 100 * r.cpuUtilisation(),
                        100 * r.driverUtilisation(), r.nanosPerForward());
            }
        }
        String table = table(results, seconds);
        System.out.println(table);
        if (markdown != null) {
            Files.writeString(markdown, table, StandardCharsets.UTF_8);
        }
        if (svg != null) {
            Files.writeString(svg, RelayCostPlot.svg(results), StandardCharsets.UTF_8);
        }
        if (csv != null) {
            StringBuilder sb = new StringBuilder("mode,participants,seconds,offered,inbound,forwarded,rejected,"
                    + "send_dropped,relay_cpu_ns,driver_cpu_ns\n");
            for (Result r : results) {
                sb.append(String.format(Locale.ROOT, "%s,%d,%.3f,%d,%d,%d,%d,%d,%d,%d%n", r.mode(), r.participants(),
                        r.seconds(), r.offered(), r.inbound(), r.forwarded(), r.rejected(), r.sendDropped(),
                        r.cpuNanos(), r.driverCpuNanos()));
            }
            Files.writeString(csv, sb, StandardCharsets.UTF_8);
        }
    }

    static Result run(RelayMode mode, int n, double warmup, double seconds) throws Exception {
        SecureRandom random = new SecureRandom();
        try (MediaRelay relay = MediaRelay.start(LOOPBACK, mode)) {
            RelayConference conf = relay.conference("load");
            List<DatagramChannel> sockets = new ArrayList<>();
            List<SrtpContext> senders = new ArrayList<>();
            List<InetSocketAddress> legPorts = new ArrayList<>();
            List<RelayLeg> legs = new ArrayList<>();
            int[] ssrcs = new int[n];
            try {
                for (int i = 0; i < n; i++) {
                    String uri = "sip:load" + i + "@example.org";
                    SrtpKeys up = keys(random);
                    SrtpKeys down = keys(random);
                    DatagramChannel ch = DatagramChannel.open();
                    ch.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
                    ch.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
                    ch.bind(new InetSocketAddress(LOOPBACK, 0));
                    sockets.add(ch);
                    Ssrc ssrc = conf.ssrcs().assign(uri);
                    ssrcs[i] = ssrc.bits();
                    RelayLeg leg = conf.addLeg(uri, (InetSocketAddress) ch.getLocalAddress(), ssrc, up, down);
                    legs.add(leg);
                    legPorts.add(leg.localAddress());
                    senders.add(SrtpContext.sender(up));
                }
                Driver driver = new Driver(sockets, senders, legPorts, ssrcs);
                Thread t = new Thread(driver, "relay-load-driver");
                t.setDaemon(true);
                t.start();
                Thread.sleep((long) (warmup * 1000));
                LegStats s0 = relay.stats();
                long cpu0 = relay.cpuTimeNanos();
                java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                long d0 = mx.getThreadCpuTime(driver.threadId);
                long off0 = driver.offered;
                long t0 = System.nanoTime();
                Thread.sleep((long) (seconds * 1000));
                LegStats s1 = relay.stats();
                long cpu1 = relay.cpuTimeNanos();
                long d1 = mx.getThreadCpuTime(driver.threadId);
                long off1 = driver.offered;
                long t1 = System.nanoTime();
                driver.stop = true;
                t.join(2000);
                return new Result(mode, n, (t1 - t0) / 1e9, off1 - off0, s1.authenticated() - s0.authenticated(),
                        s1.relayedOut() - s0.relayedOut(), s1.rejected() - s0.rejected(),
                        s1.sendDropped() - s0.sendDropped(), cpu1 - cpu0, d1 - d0);
            } finally {
                for (DatagramChannel ch : sockets) {
                    ch.close();
                }
                for (SrtpContext c : senders) {
                    c.close();
                }
            }
        }
    }

    /** One thread sending for every simulated participant in turn, as fast as it can. */
    static final class Driver implements Runnable {
        private final List<DatagramChannel> sockets;
        private final List<SrtpContext> senders;
        private final List<InetSocketAddress> legPorts;
        private final int[] ssrcs;
        volatile boolean stop;
        volatile long offered;
        volatile long threadId;

        Driver(List<DatagramChannel> sockets, List<SrtpContext> senders, List<InetSocketAddress> legPorts,
               int[] ssrcs) {
            this.sockets = sockets;
            this.senders = senders;
            this.legPorts = legPorts;
            this.ssrcs = ssrcs;
        }

        @Override
        public void run() {
            threadId = Thread.currentThread().getId();
            PacketBuffer p = PacketBuffer.allocate(1500);
            ByteBuffer bb = ByteBuffer.wrap(p.array());
            byte[] b = p.array();
            int n = ssrcs.length;
            int[] seq = new int[n];
            long sent = 0;
            try {
                while (!stop) {
                    for (int k = 0; k < n * burst; k++) {
                        int i = k / burst;
                        int s = seq[i]++ & 0xffff;
                        int ts = s * PAYLOAD;
                        b[0] = (byte) 0x80;
                        b[1] = 0;
                        b[2] = (byte) (s >>> 8);
                        b[3] = (byte) s;
                        b[4] = (byte) (ts >>> 24);
                        b[5] = (byte) (ts >>> 16);
                        b[6] = (byte) (ts >>> 8);
                        b[7] = (byte) ts;
                        b[8] = (byte) (ssrcs[i] >>> 24);
                        b[9] = (byte) (ssrcs[i] >>> 16);
                        b[10] = (byte) (ssrcs[i] >>> 8);
                        b[11] = (byte) ssrcs[i];
                        Arrays.fill(b, 12, 12 + PAYLOAD, (byte) 0xff);
                        p.set(0, 12 + PAYLOAD);
                        if (senders.get(i).protectRtp(p) != SrtpStatus.OK) {
                            throw new IllegalStateException("protect failed");
                        }
                        bb.clear().limit(p.length());
                        sockets.get(i).send(bb, legPorts.get(i));
                        sent++;
                    }
                    offered = sent;
                }
            } catch (IOException e) {
                if (!stop) {
                    System.err.println("driver stopped: " + e);
                }
            }
        }
    }

    private static SrtpKeys keys(SecureRandom r) {
        byte[] k = new byte[PROFILE.masterKeyLength()];
        byte[] s = new byte[PROFILE.masterSaltLength()];
        r.nextBytes(k);
        r.nextBytes(s);
        return new SrtpKeys(1, k, s, PROFILE);
    }

    /** Largest conference in which everyone talks at once (N·(N-1)·50 forwards/s) that one core can carry. */
    static int maxAllTalking(double capacity) {
        int n = 2;
        while ((double) (n + 1) * n * AUDIO_PPS <= capacity) {
            n++;
        }
        return n;
    }

    static String table(List<Result> results, double seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Relay over loopback UDP, %s, %d-byte payloads, %.0f s per case.%n%n",
                PROFILE, PAYLOAD, seconds));
        sb.append("| participants | mode | inbound pkt/s | forwarded pkt/s | relay thread CPU | driver thread CPU "
                + "| relay CPU per forwarded packet | forwarded per relay CPU-second | rejected | send drops |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | %.0f %% | %.0f %% | %.2f µs | %,.0f | %d | %d |%n",
                    r.participants(), r.mode() == RelayMode.PER_LEG_KEYS ? "per-leg keys" : "no re-encryption",
                    r.inbound() / r.seconds(), r.forwardedPerSecond(), 100 * r.cpuUtilisation(),
                    100 * r.driverUtilisation(),
                    r.nanosPerForward() / 1000, r.capacityPerCore(), r.rejected(), r.sendDropped()));
        }
        sb.append("\n| participants | per-leg keys: extra CPU per forwarded packet vs no re-encryption "
                + "| all talking (N·(N-1)·50 pkt/s): largest N one core carries, per-leg keys |\n|---:|---:|---:|\n");
        for (int i = 0; i + 1 < results.size(); i += 2) {
            Result perLeg = results.get(i).mode() == RelayMode.PER_LEG_KEYS ? results.get(i) : results.get(i + 1);
            Result plain = perLeg == results.get(i) ? results.get(i + 1) : results.get(i);
            sb.append(String.format(Locale.ROOT, "| %d | %+.2f µs (%+.0f %%) | %d |%n", perLeg.participants(),
                    (perLeg.nanosPerForward() - plain.nanosPerForward()) / 1000,
                    100 * (perLeg.nanosPerForward() / plain.nanosPerForward() - 1),
                    maxAllTalking(perLeg.capacityPerCore())));
        }
        return sb.toString();
    }
}
