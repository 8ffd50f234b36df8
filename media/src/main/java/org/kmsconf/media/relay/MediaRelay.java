package org.kmsconf.media.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kmsconf.media.srtp.PacketBuffer;
import org.kmsconf.media.srtp.SrtpContext;
import org.kmsconf.media.srtp.SrtpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The focus's media relay: an RTP translator (RFC 3550 §7) that keeps every stream's SSRC and re-protects it
 * per leg. One thread serves every leg of every conference through one {@link Selector}; all SRTP contexts are
 * confined to it, so the packet path takes no lock. Per packet received on a leg:
 * <ol>
 * <li>an SRTP packet whose SSRC is not the leg's agreed one is dropped ({@code rejectedSsrc});</li>
 * <li>it is unprotected with the participant→focus key; a failure (tag, replay, malformed) drops it, counted;</li>
 * <li>for every other leg of the conference with a known address it is copied, protected with that leg's
 *     focus→participant key under the original SSRC, and sent from that leg's socket.</li>
 * </ol>
 * SRTCP takes the same path; once decrypted, every source its compound packet speaks for (each report's sender,
 * each SDES chunk, each BYE source) must be the leg's SSRC. RTP and RTCP share the leg's port (rtcp-mux, RFC 5761
 * §4: second octet 192-223 means RTCP). The participant's address is learnt, and learnt again, only from packets
 * that authenticated.
 */
public final class MediaRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaRelay.class);
    private static final int MAX_DATAGRAM = 2048;
    /** Datagrams read from one leg before looking at the others (fairness). */
    private static final int BURST = 32;

    private final InetAddress bindAddress;
    private final RelayMode mode;
    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Map<String, RelayConference> conferences = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile LegStats retired = LegStats.ZERO;

    // Relay-thread buffers.
    private final PacketBuffer in = PacketBuffer.allocate(MAX_DATAGRAM);
    private final ByteBuffer inBytes = ByteBuffer.wrap(in.array());
    private final PacketBuffer out = PacketBuffer.allocate(MAX_DATAGRAM);
    private final ByteBuffer outBytes = ByteBuffer.wrap(out.array());

    private MediaRelay(InetAddress bindAddress, RelayMode mode) throws IOException {
        this.bindAddress = bindAddress;
        this.mode = mode;
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "media-relay");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts a relay whose legs bind sockets on {@code bindAddress} (per-leg keys: the product). */
    public static MediaRelay start(InetAddress bindAddress) {
        return start(bindAddress, RelayMode.PER_LEG_KEYS);
    }

    /** Starts a relay in the given mode; {@link RelayMode#FORWARD_AUTHENTICATED_UNTOUCHED} is for benchmarks only. */
    public static MediaRelay start(InetAddress bindAddress, RelayMode mode) {
        try {
            return new MediaRelay(bindAddress, mode);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the media relay", e);
        }
    }

    public InetAddress bindAddress() {
        return bindAddress;
    }

    public RelayMode mode() {
        return mode;
    }

    /** The conference with this id, created empty on first use. */
    public RelayConference conference(String conferenceId) {
        return conferences.computeIfAbsent(conferenceId, id -> new RelayConference(this, id));
    }

    /** The conferences that have been asked for and not closed. */
    public Map<String, RelayConference> conferences() {
        return Map.copyOf(conferences);
    }

    /** Counters summed over every leg, including legs already closed. */
    public LegStats stats() {
        LegStats s = retired;
        for (RelayConference c : conferences.values()) {
            s = s.plus(c.stats());
        }
        return s;
    }

    /** CPU time the relay thread has used, nanoseconds (ThreadMXBean), or -1 if the JVM cannot tell. */
    public long cpuTimeNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(thread.getId()) : -1;
    }

    /** Stops the relay thread and closes every leg. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        for (RelayConference c : conferences.values()) {
            c.close();
        }
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the relay selector: {}", e.toString());
        }
    }

    // ---------------------------------------------------------------- called by conferences

    /**
     * Runs a task on the relay thread and waits for it (so callers see its effect on return). Once the relay
     * thread has ended (after {@link #close()}), the task runs on the caller's thread instead.
     */
    void runOnRelayThread(IoTask task) {
        if (Thread.currentThread() == thread || !thread.isAlive()) {
            runTask(task);
            return;
        }
        AtomicBoolean claimed = new AtomicBoolean();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable wrapped = () -> {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            try {
                task.run();
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        };
        tasks.add(wrapped);
        selector.wakeup();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            while (true) {
                try {
                    done.get(50, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException e) {
                    if (!thread.isAlive()) {
                        wrapped.run(); // the relay thread ended before taking it
                    } else if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the media relay did not answer within 5 s", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the media relay", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("media relay task failed: " + e.getCause(), e.getCause());
        }
    }

    private static void runTask(IoTask task) {
        try {
            task.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SelectionKey register(RelayLeg leg) throws IOException {
        if (!running) {
            throw new IllegalStateException("the media relay is closed");
        }
        return leg.channel.register(selector, SelectionKey.OP_READ, leg);
    }

    void retire(LegStats s) {
        retired = retired.plus(s);
    }

    void forget(RelayConference c) {
        conferences.remove(c.id(), c);
    }

    @FunctionalInterface
    interface IoTask {
        void run() throws IOException;
    }

    // ---------------------------------------------------------------- the relay thread

    private void loop() {
        while (running) {
            try {
                selector.select();
                Runnable t;
                while ((t = tasks.poll()) != null) {
                    t.run();
                }
                var keys = selector.selectedKeys();
                for (var it = keys.iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (k.isValid() && k.isReadable()) {
                        drain((RelayLeg) k.attachment());
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("media relay: {}", e.toString());
            }
        }
        Runnable t;
        while ((t = tasks.poll()) != null) {
            t.run();
        }
    }

    private void drain(RelayLeg leg) throws IOException {
        for (int i = 0; i < BURST && !leg.closed; i++) {
            inBytes.clear();
            SocketAddress from = leg.channel.receive(inBytes);
            if (from == null) {
                return;
            }
            onPacket(leg, inBytes.position(), from);
        }
    }

    private void onPacket(RelayLeg leg, int len, SocketAddress from) {
        leg.received++;
        SrtpContext inbound = leg.inbound;
        if (inbound == null) {
            leg.rejectedInvalid++; // not keyed yet: nothing can authenticate
            return;
        }
        byte[] b = in.array();
        in.set(0, len);
        boolean rtcp = len >= 2 && (b[1] & 0xff) >= 192 && (b[1] & 0xff) <= 223;
        int ssrcAt = rtcp ? 4 : 8;
        if (len < ssrcAt + 4) {
            leg.rejectedInvalid++;
            return;
        }
        int ssrc = (b[ssrcAt] & 0xff) << 24 | (b[ssrcAt + 1] & 0xff) << 16 | (b[ssrcAt + 2] & 0xff) << 8
                | (b[ssrcAt + 3] & 0xff);
        if (ssrc != leg.ssrcBits) {
            leg.rejectedSsrc++;
            return;
        }
        boolean untouched = mode == RelayMode.FORWARD_AUTHENTICATED_UNTOUCHED && !rtcp;
        SrtpStatus st = rtcp ? inbound.unprotectRtcp(in)
                : untouched ? inbound.authenticateRtp(in) : inbound.unprotectRtp(in);
        switch (st) {
            case OK -> { }
            case AUTH_FAIL -> {
                leg.rejectedAuth++;
                return;
            }
            case REPLAY_FAIL, REPLAY_OLD -> {
                leg.rejectedReplay++;
                return;
            }
            case UNKNOWN_SSRC -> {
                leg.rejectedSsrc++;
                return;
            }
            default -> {
                leg.rejectedInvalid++;
                return;
            }
        }
        // Every source an RTCP compound packet speaks for must be the leg's own stream, not only the first one.
        if (rtcp && !RtcpCompound.onlyFrom(b, 0, in.length(), leg.ssrcBits)) {
            leg.rejectedSsrc++;
            return;
        }
        leg.authenticated++;
        if (from instanceof InetSocketAddress isa && !isa.equals(leg.remote)) {
            leg.remote = isa; // learnt, or learnt again, from an authenticated packet only
        }
        if (!rtcp && !leg.conference().mayRelayRtp(leg)) {
            leg.floorDropped++; // floor control: only the holder speaks
            return;
        }
        int plainLen = in.length();
        for (RelayLeg to : leg.conference().legs) {
            InetSocketAddress dst = to.remote;
            SrtpContext outbound = to.outbound;
            if (to == leg || dst == null || to.closed || outbound == null) {
                continue;
            }
            ByteBuffer send;
            if (untouched) {
                inBytes.clear().limit(plainLen);
                send = inBytes;
            } else {
                System.arraycopy(b, 0, out.array(), 0, plainLen);
                out.set(0, plainLen);
                SrtpStatus ps = rtcp ? outbound.protectRtcp(out) : outbound.protectRtp(out);
                if (ps != SrtpStatus.OK) {
                    to.sendDropped++;
                    continue;
                }
                outBytes.clear().limit(out.length());
                send = outBytes;
            }
            try {
                if (to.channel.send(send, dst) > 0) {
                    to.relayedOut++;
                } else {
                    to.sendDropped++; // socket buffer full
                }
            } catch (IOException e) {
                to.sendDropped++;
            }
        }
    }
}
