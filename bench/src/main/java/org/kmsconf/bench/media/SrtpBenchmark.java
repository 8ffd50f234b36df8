package org.kmsconf.bench.media;

import java.util.concurrent.TimeUnit;
import org.kmsconf.media.srtp.PacketBuffer;
import org.kmsconf.media.srtp.SrtpContext;
import org.kmsconf.media.srtp.SrtpStatus;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP protect / unprotect of one RTP packet with a 160-byte payload (PCMU 20 ms), single thread, as
 * packets per second. Each operation copies the packet into the work buffer first (as a real sender or relay
 * does); bench/src/main/c/srtp_bench.c does exactly the same with libsrtp2 for the side-by-side figure
 * (scripts/bench-media.sh runs both).
 *
 * <p>Unprotect cycles through 65 536 packets protected in advance (SEQ 0..65535, ROC 0); when the ring wraps,
 * the receiver's stream is reset (once per 65 536 operations) so the indices are fresh again.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SrtpBenchmark {
    static final int SSRC = 0x11223344;
    static final int PAYLOAD = 160;
    static final int RING = 65536;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32", "AES_256_CM_HMAC_SHA1_80"})
    public SrtpPolicy profile;

    private SrtpContext tx;
    private SrtpContext rx;
    private SrtpContext relayTx;
    private final byte[] plain = new byte[12 + PAYLOAD];
    private PacketBuffer work;
    private byte[][] wire;
    private int seq;
    private int next;

    @Setup
    public void setUp() {
        SrtpKeys keys = keys(profile, 1);
        tx = SrtpContext.sender(keys);
        rx = SrtpContext.receiver(keys);
        rx.addStream(Ssrc.of(SSRC), 0);
        relayTx = SrtpContext.sender(keys(profile, 2));
        work = PacketBuffer.allocate(1500);
        rtpHeader(plain, 0);
        for (int i = 12; i < plain.length; i++) {
            plain[i] = (byte) (0xd5 ^ i);
        }
        SrtpContext pre = SrtpContext.sender(keys);
        wire = new byte[RING][];
        for (int s = 0; s < RING; s++) {
            rtpHeader(plain, s);
            work.copyFrom(plain, 0, plain.length);
            check(pre.protectRtp(work));
            wire[s] = work.toByteArray();
        }
    }

    static SrtpKeys keys(SrtpPolicy profile, int seed) {
        byte[] k = new byte[profile.masterKeyLength()];
        byte[] s = new byte[profile.masterSaltLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (seed + 13 * i);
        }
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (seed + 7 * i);
        }
        return new SrtpKeys(1, k, s, profile);
    }

    static void rtpHeader(byte[] b, int seq) {
        b[0] = (byte) 0x80;
        b[1] = 0;
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        int ts = seq * 160;
        b[4] = (byte) (ts >>> 24);
        b[5] = (byte) (ts >>> 16);
        b[6] = (byte) (ts >>> 8);
        b[7] = (byte) ts;
        b[8] = (byte) (SSRC >>> 24);
        b[9] = (byte) (SSRC >>> 16);
        b[10] = (byte) (SSRC >>> 8);
        b[11] = (byte) SSRC;
    }

    private static void check(SrtpStatus st) {
        if (st != SrtpStatus.OK) {
            throw new IllegalStateException("SRTP failed: " + st);
        }
    }

    /** RTP → SRTP. The sequence number advances, so the ROC rolls over every 65 536 packets as in real life. */
    @Benchmark
    public int protect() {
        seq = (seq + 1) & 0xffff;
        plain[2] = (byte) (seq >>> 8);
        plain[3] = (byte) seq;
        work.copyFrom(plain, 0, plain.length);
        check(tx.protectRtp(work));
        return work.length();
    }

    /** SRTP → RTP: replay check, tag check, decryption. */
    @Benchmark
    public int unprotect() {
        byte[] w = wire[next];
        work.copyFrom(w, 0, w.length);
        check(rx.unprotectRtp(work));
        if (++next == RING) {
            next = 0;
            rx.removeStream(Ssrc.of(SSRC));
            rx.addStream(Ssrc.of(SSRC), 0);
        }
        return work.length();
    }

    /** What the focus does per packet and receiving leg with fan-out 1: unprotect, then protect under another key. */
    @Benchmark
    public int relayOne() {
        unprotect();
        check(relayTx.protectRtp(work));
        return work.length();
    }
}
