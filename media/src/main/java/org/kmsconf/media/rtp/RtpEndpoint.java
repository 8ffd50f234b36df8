package org.kmsconf.media.rtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.kmsconf.media.srtp.PacketBuffer;
import org.kmsconf.media.srtp.SrtpContext;
import org.kmsconf.media.srtp.SrtpStatus;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.message.Ssrc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user agent's media end: one UDP socket (RTP and RTCP multiplexed, RFC 5761) sending one PCMU stream under its
 * own SSRC through an SRTP sending context, and receiving, unprotecting and counting what arrives; each direction
 * under the SRTP policy negotiated for its crypto session ({@link SrtpKeys#policy()}). The receive
 * thread starts at {@link #open}; sending is explicit ({@link #send}) or paced in the background
 * ({@link #startSending}). Close it to stop both and zero the keys.
 */
public final class RtpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtpEndpoint.class);
    private static final int MAX_DATAGRAM = 2048;
    private static final int RTP_HEADER = 12;
    private static final VarHandle BIG_ENDIAN_INT = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.BIG_ENDIAN);
    /** Seconds from 1900 (NTP epoch) to 1970. */
    private static final long NTP_UNIX_OFFSET = 2208988800L;

    private final DatagramSocket socket;
    private final Ssrc ssrc;
    /** Guarded by "this" (the sender's lock). */
    private SrtpContext tx;
    /** Guarded by {@link #rxLock}. */
    private SrtpContext rx;
    private final Object rxLock = new Object();
    private final Thread receiver;
    private volatile InetSocketAddress remote;
    private volatile MediaListener listener;
    private volatile boolean closed;
    private Thread pacer;

    // sender state, guarded by "this"
    private final PacketBuffer sendBuf = PacketBuffer.allocate(MAX_DATAGRAM);
    private int seq;
    private int timestamp;
    private boolean first = true;
    private long octetsSent;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong rtcpSent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong authenticated = new AtomicLong();
    private final AtomicLong rtcpAuthenticated = new AtomicLong();
    private final AtomicLong rejectedAuth = new AtomicLong();
    private final AtomicLong rejectedReplay = new AtomicLong();
    private final AtomicLong rejectedSsrc = new AtomicLong();
    private final AtomicLong rejectedInvalid = new AtomicLong();
    private final Map<Ssrc, LongAdder> bySsrc = new ConcurrentHashMap<>();

    /** Called on the receive thread for each authenticated, decrypted RTP packet. */
    @FunctionalInterface
    public interface MediaListener {
        void onMedia(Ssrc ssrc, int seq, int timestamp, byte[] packet, int payloadOffset, int payloadLength);
    }

    private RtpEndpoint(DatagramSocket socket, Ssrc ssrc, SrtpContext tx, SrtpContext rx) {
        this.socket = socket;
        this.ssrc = ssrc;
        this.tx = tx;
        this.rx = rx;
        SecureRandom r = new SecureRandom();
        this.seq = r.nextInt(1 << 15); // RFC 3550 §5.1 random initial values, kept low so ROC 0 holds a while
        this.timestamp = r.nextInt();
        this.receiver = new Thread(this::receiveLoop, "rtp-rx-" + ssrc);
        this.receiver.setDaemon(true);
    }

    /**
     * Opens an endpoint on an ephemeral port of {@code bind}.
     *
     * @see #open(InetSocketAddress, Ssrc, SrtpKeys, SrtpKeys, Ssrc...)
     */
    public static RtpEndpoint open(InetAddress bind, Ssrc ssrc, SrtpKeys sendKeys, SrtpKeys receiveKeys,
                                   Ssrc... expectedSsrcs) {
        return open(new InetSocketAddress(bind, 0), ssrc, sendKeys, receiveKeys, expectedSsrcs);
    }

    /**
     * Opens an endpoint bound to exactly {@code bind} (port 0: an ephemeral one): the address a user agent put in its
     * SDP, so that the port it advertised is the one that sends and receives (RTP and RTCP, RFC 5761).
     *
     * @param ssrc         this endpoint's SSRC (as agreed in SDP / assigned by the focus)
     * @param sendKeys     keys of the crypto session this party sends with, with the SRTP policy negotiated for it
     * @param receiveKeys  keys of the crypto session the peer (or focus) sends with, with its negotiated policy
     * @param expectedSsrcs SSRCs accepted from the peer; none = any SSRC (a conference leg, where the focus relays
     *                     every other participant's stream)
     */
    public static RtpEndpoint open(InetSocketAddress bind, Ssrc ssrc, SrtpKeys sendKeys, SrtpKeys receiveKeys,
                                   Ssrc... expectedSsrcs) {
        SrtpContext tx = SrtpContext.sender(sendKeys);
        SrtpContext rx = expectedSsrcs.length == 0 ? SrtpContext.receiverForAnySsrc(receiveKeys)
                : SrtpContext.receiver(receiveKeys);
        for (Ssrc s : expectedSsrcs) {
            rx.addStream(s, 0);
        }
        try {
            DatagramSocket socket = new DatagramSocket(bind);
            socket.setReceiveBufferSize(1 << 20);
            RtpEndpoint e = new RtpEndpoint(socket, ssrc, tx, rx);
            e.receiver.start();
            return e;
        } catch (SocketException e) {
            tx.close();
            rx.close();
            throw new UncheckedIOException("cannot bind an RTP socket on " + bind.getAddress().getHostAddress() + ":"
                    + bind.getPort() + ": " + e.getMessage(), e);
        }
    }

    public Ssrc ssrc() {
        return ssrc;
    }

    /**
     * New keys from a new MIKEY exchange on the same call: the same socket and SSRC, and the sequence number, ROC
     * and SRTCP index go on under the new keys in both directions (RFC 3711 re-keying), so nobody who kept state
     * for this stream (the focus relaying it to the others) sees it jump back.
     */
    public void rekey(SrtpKeys sendKeys, SrtpKeys receiveKeys) {
        synchronized (this) {
            SrtpContext old = tx;
            tx = old.rekeyed(sendKeys);
            old.close();
        }
        synchronized (rxLock) {
            SrtpContext old = rx;
            rx = old.rekeyed(receiveKeys);
            old.close();
        }
    }

    /** The sequence number the next RTP packet will carry. */
    public synchronized int nextSequence() {
        return seq;
    }

    /**
     * Sets the sequence number of the first RTP packet instead of a random one (RFC 3550 §5.1 recommends random;
     * the demo's forged stream starts ahead of a real one so that it reaches the receiver's authentication check).
     *
     * @throws IllegalStateException once a packet has been sent
     */
    public synchronized void firstSequence(int sequence) {
        if (!first || sent.get() != 0) {
            throw new IllegalStateException("the first RTP packet has already been sent");
        }
        this.seq = sequence & 0xffff;
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Where media is sent (the peer's or the focus's leg port). */
    public void remote(InetSocketAddress remote) {
        this.remote = remote;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public void onMedia(MediaListener l) {
        this.listener = l;
    }

    /** Sends one 20 ms frame from {@code source}. */
    public synchronized void sendFrame(PayloadSource source) {
        InetSocketAddress dst = requireRemote();
        byte[] b = sendBuf.array();
        b[0] = (byte) 0x80; // V=2, no padding, no extension, CC=0
        b[1] = (byte) ((first ? 0x80 : 0) | PayloadSource.PCMU); // marker on the first packet of the talkspurt
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        writeInt(b, 4, timestamp);
        writeInt(b, 8, ssrc.bits());
        source.nextFrame(b, RTP_HEADER);
        sendBuf.set(0, RTP_HEADER + PayloadSource.FRAME_SAMPLES);
        SrtpStatus st = tx.protectRtp(sendBuf);
        if (st != SrtpStatus.OK) {
            throw new IllegalStateException("SRTP protect failed: " + st);
        }
        transmit(dst);
        sent.incrementAndGet();
        octetsSent += PayloadSource.FRAME_SAMPLES;
        first = false;
        seq = (seq + 1) & 0xffff;
        timestamp += PayloadSource.FRAME_SAMPLES;
    }

    /** Sends {@code count} frames, {@code interval} apart (zero: back to back), on the calling thread. */
    public void send(PayloadSource source, int count, Duration interval) {
        long next = System.nanoTime();
        for (int i = 0; i < count && !closed && !Thread.currentThread().isInterrupted(); i++) {
            sendFrame(source);
            if (!interval.isZero()) {
                next += interval.toNanos();
                sleepUntil(next);
            }
        }
    }

    /** Starts sending 20 ms frames in real time on a background thread until {@link #stopSending()}. */
    public synchronized void startSending(PayloadSource source) {
        if (pacer != null) {
            return;
        }
        requireRemote();
        pacer = new Thread(() -> {
            try {
                send(source, Integer.MAX_VALUE, Duration.ofMillis(20));
            } catch (RuntimeException e) {
                if (!closed && !Thread.currentThread().isInterrupted()) {
                    LOG.warn("RTP sender {} stopped: {}", ssrc, e.getMessage());
                }
            }
        }, "rtp-tx-" + ssrc);
        pacer.setDaemon(true);
        pacer.start();
    }

    public void stopSending() {
        Thread t;
        synchronized (this) {
            t = pacer;
            pacer = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Sends an RTCP sender report (RFC 3550 §6.4.1) for this endpoint's stream, as SRTCP. */
    public synchronized void sendSenderReport() {
        InetSocketAddress dst = requireRemote();
        byte[] b = sendBuf.array();
        b[0] = (byte) 0x80; // V=2, RC=0
        b[1] = (byte) 200; // SR
        b[2] = 0;
        b[3] = 6; // 28 bytes = 7 words
        writeInt(b, 4, ssrc.bits());
        long now = System.currentTimeMillis();
        long ntpSec = now / 1000 + NTP_UNIX_OFFSET;
        long ntpFrac = ((now % 1000) << 32) / 1000;
        writeInt(b, 8, (int) ntpSec);
        writeInt(b, 12, (int) ntpFrac);
        writeInt(b, 16, timestamp);
        writeInt(b, 20, (int) sent.get());
        writeInt(b, 24, (int) octetsSent);
        sendBuf.set(0, 28);
        SrtpStatus st = tx.protectRtcp(sendBuf);
        if (st != SrtpStatus.OK) {
            throw new IllegalStateException("SRTCP protect failed: " + st);
        }
        transmit(dst);
        rtcpSent.incrementAndGet();
    }

    public RtpStats stats() {
        Map<Ssrc, Long> per = new HashMap<>();
        bySsrc.forEach((k, v) -> per.put(k, v.sum()));
        return new RtpStats(sent.get(), rtcpSent.get(), received.get(), authenticated.get(), rtcpAuthenticated.get(),
                rejectedAuth.get(), rejectedReplay.get(), rejectedSsrc.get(), rejectedInvalid.get(), Map.copyOf(per));
    }

    /** Waits until {@code n} RTP packets of {@code fromSsrc} have authenticated; false on timeout. */
    public boolean awaitReceived(Ssrc fromSsrc, long n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stats().authenticatedFrom(fromSsrc) < n) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopSending();
        socket.close();
        try {
            receiver.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            tx.close();
        }
        synchronized (rxLock) {
            rx.close();
        }
    }

    private InetSocketAddress requireRemote() {
        InetSocketAddress dst = remote;
        if (dst == null) {
            throw new IllegalStateException("no remote address set for RTP endpoint " + ssrc);
        }
        if (closed) {
            throw new IllegalStateException("RTP endpoint is closed");
        }
        return dst;
    }

    private void transmit(InetSocketAddress dst) {
        try {
            socket.send(new DatagramPacket(sendBuf.array(), sendBuf.offset(), sendBuf.length(), dst));
        } catch (IOException e) {
            throw new UncheckedIOException("sending to " + dst + " failed", e);
        }
    }

    private void receiveLoop() {
        PacketBuffer buf = PacketBuffer.allocate(MAX_DATAGRAM);
        DatagramPacket dp = new DatagramPacket(buf.array(), MAX_DATAGRAM);
        while (!closed) {
            try {
                dp.setLength(MAX_DATAGRAM);
                socket.receive(dp);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("RTP receive on port {} stopped: {}", localPort(), e.toString());
                }
                return;
            }
            onDatagram(buf.set(0, dp.getLength()));
        }
    }

    private void onDatagram(PacketBuffer p) {
        received.incrementAndGet();
        byte[] b = p.array();
        int len = p.length();
        boolean rtcp = len >= 2 && (b[1] & 0xff) >= 192 && (b[1] & 0xff) <= 223; // RFC 5761 §4
        SrtpStatus st;
        synchronized (rxLock) {
            st = rtcp ? rx.unprotectRtcp(p) : rx.unprotectRtp(p);
        }
        switch (st) {
            case OK -> {
                if (rtcp) {
                    rtcpAuthenticated.incrementAndGet();
                    return;
                }
                authenticated.incrementAndGet();
                Ssrc from = Ssrc.of(readInt(b, 8));
                bySsrc.computeIfAbsent(from, k -> new LongAdder()).increment();
                MediaListener l = listener;
                if (l != null) {
                    int hl = RTP_HEADER + 4 * (b[0] & 0x0f);
                    if ((b[0] & 0x10) != 0 && hl + 4 <= p.length()) {
                        hl += 4 + 4 * ((b[hl + 2] & 0xff) << 8 | (b[hl + 3] & 0xff));
                    }
                    int payloadLen = Math.max(0, p.length() - hl);
                    l.onMedia(from, (b[2] & 0xff) << 8 | (b[3] & 0xff), readInt(b, 4), b, hl, payloadLen);
                }
            }
            case AUTH_FAIL -> rejectedAuth.incrementAndGet();
            case REPLAY_FAIL, REPLAY_OLD -> rejectedReplay.incrementAndGet();
            case UNKNOWN_SSRC -> rejectedSsrc.incrementAndGet();
            default -> rejectedInvalid.incrementAndGet();
        }
    }

    private static void sleepUntil(long deadline) {
        long wait;
        while ((wait = deadline - System.nanoTime()) > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("sender interrupted");
            }
        }
    }

    private static int readInt(byte[] b, int i) {
        return (int) BIG_ENDIAN_INT.get(b, i);
    }

    private static void writeInt(byte[] b, int i, int v) {
        BIG_ENDIAN_INT.set(b, i, v);
    }

    @Override
    public String toString() {
        return "RtpEndpoint[ssrc=" + ssrc + ", port=" + localPort() + "]";
    }
}
