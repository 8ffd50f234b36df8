/*
 * One-off comparison of our JCE SrtpContext with jitsi-srtp 1.1-23-gaf3cd06 (the managed version) in one JVM,
 * same loop for both: AES_CM_128_HMAC_SHA1_80, 160-byte payload, copy into the work buffer, then protect (or
 * unprotect from a ring of 65 536 pre-protected packets, resetting the receiver when the ring wraps).
 * Not compiled by Maven (jitsi-srtp is not a dependency of any module); scripts/bench-media.sh --jitsi
 * fetches jitsi-srtp with Maven and runs this file with `java -cp ... SrtpImplementations.java`.
 * The recipe follows shared notes: SunJCE pinned for AES, JUL silenced, one context per SSRC.
 */
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.logging.Level;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.utils.ByteArrayBuffer;
import org.jitsi.utils.logging2.LoggerImpl;
import org.kmsconf.media.srtp.PacketBuffer;
import org.kmsconf.media.srtp.SrtpContext;
import org.kmsconf.media.srtp.SrtpStatus;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.message.Ssrc;

public class SrtpImplementations {
    static final int SSRC = 0x11223344;
    static final int RING = 65536;
    static final byte[] KEY = new byte[16];
    static final byte[] SALT = new byte[14];

    /** ByteArrayBuffer as the notes describe it. */
    static final class Buf implements ByteArrayBuffer {
        byte[] b;
        int off;
        int len;

        Buf(byte[] b, int off, int len) {
            this.b = b;
            this.off = off;
            this.len = len;
        }

        public byte[] getBuffer() { return b; }
        public int getOffset() { return off; }
        public int getLength() { return len; }
        public void setLength(int l) { len = l; }
        public void setOffset(int o) { off = o; }
        public boolean isInvalid() { return false; }
        public void readRegionToBuff(int o, int l, byte[] out) { System.arraycopy(b, off + o, out, 0, l); }
        public void grow(int n) {
            if (b.length - off - len < n) {
                b = Arrays.copyOf(b, off + len + n);
            }
        }
        public void append(byte[] d, int n) {
            grow(n);
            System.arraycopy(d, 0, b, off + len, n);
            len += n;
        }
        public void shrink(int n) { len = Math.max(0, len - n); }
    }

    interface Op {
        void run(int i) throws Exception;
    }

    /** Each operation's own packet counter, so rounds continue where the previous one stopped. */
    static final int[] COUNTER = new int[4];

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        java.util.logging.Logger.getLogger("org.jitsi").setLevel(Level.OFF);
        java.util.logging.Logger.getLogger("").setLevel(Level.OFF);
        Aes.setFactoryClassName("SunJCE");
        for (int i = 0; i < 16; i++) KEY[i] = (byte) (1 + 13 * i);
        for (int i = 0; i < 14; i++) SALT[i] = (byte) (1 + 7 * i);
        SrtpPolicy pol = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
        LoggerImpl log = new LoggerImpl("srtp");
        SrtpKeys keys = new SrtpKeys(1, KEY, SALT, org.kmsconf.mikey.crypto.SrtpPolicy.DEFAULT);

        byte[] plain = new byte[172];
        for (int i = 12; i < plain.length; i++) plain[i] = (byte) (0xd5 ^ i);
        byte[][] wire = new byte[RING][];
        SrtpContext pre = SrtpContext.sender(keys);
        PacketBuffer pb = PacketBuffer.allocate(1500);
        for (int s = 0; s < RING; s++) {
            header(plain, s);
            pb.copyFrom(plain, 0, plain.length);
            pre.protectRtp(pb);
            wire[s] = pb.toByteArray();
        }

        // ours
        SrtpContext oTx = SrtpContext.sender(keys);
        SrtpContext oRx = SrtpContext.receiver(keys);
        oRx.addStream(Ssrc.of(SSRC), 0);
        Op oursProtect = i -> {
            header(plain, i & 0xffff);
            pb.copyFrom(plain, 0, plain.length);
            if (oTx.protectRtp(pb) != SrtpStatus.OK) throw new IllegalStateException();
        };
        Op oursUnprotect = i -> {
            int k = i & (RING - 1);
            pb.copyFrom(wire[k], 0, wire[k].length);
            if (oRx.unprotectRtp(pb) != SrtpStatus.OK) throw new IllegalStateException("ours " + i);
            if (k == RING - 1) {
                oRx.removeStream(Ssrc.of(SSRC));
                oRx.addStream(Ssrc.of(SSRC), 0);
            }
        };

        // jitsi
        SrtpContextFactory txF = new SrtpContextFactory(true, KEY, SALT, pol, pol, log);
        SrtpContextFactory rxF = new SrtpContextFactory(false, KEY, SALT, pol, pol, log);
        SrtpCryptoContext jTx = txF.deriveContext(SSRC, 0);
        SrtpCryptoContext[] jRx = {rxF.deriveContext(SSRC, 0)};
        byte[] arr = new byte[1500];
        Buf jb = new Buf(arr, 0, 0);
        Op jitsiProtect = i -> {
            header(plain, i & 0xffff);
            System.arraycopy(plain, 0, jb.b, 0, plain.length);
            jb.off = 0;
            jb.len = plain.length;
            if (jTx.transformPacket(jb) != SrtpErrorStatus.OK) throw new IllegalStateException();
        };
        Op jitsiUnprotect = i -> {
            int k = i & (RING - 1);
            System.arraycopy(wire[k], 0, jb.b, 0, wire[k].length);
            jb.off = 0;
            jb.len = wire[k].length;
            if (jRx[0].reverseTransformPacket(jb, false) != SrtpErrorStatus.OK) throw new IllegalStateException("jitsi " + i);
            if (k == RING - 1) {
                jRx[0] = rxF.deriveContext(SSRC, 0);
            }
        };

        String[] names = {"kmsconf protect", "jitsi-srtp protect", "kmsconf unprotect", "jitsi-srtp unprotect"};
        Op[] ops = {oursProtect, jitsiProtect, oursUnprotect, jitsiUnprotect};
        double[][] rates = new double[4][3];
        for (int round = -1; round < 3; round++) { // round -1 is warm-up
            for (int o = 0; o < 4; o++) {
                int count = round < 0 ? n / 2 : n;
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    ops[o].run(COUNTER[o]++);
                }
                double r = count / ((System.nanoTime() - t0) / 1e9);
                if (round >= 0) rates[o][round] = r;
            }
        }
        System.out.printf("%d packets x 3 rounds, 160-byte payload, AES_CM_128_HMAC_SHA1_80, JDK %s%n", n,
                System.getProperty("java.version"));
        for (int o = 0; o < 4; o++) {
            double[] r = rates[o].clone();
            Arrays.sort(r);
            System.out.printf("%-22s median %,10.0f pkt/s  (min %,.0f, max %,.0f)%n", names[o], r[1], r[0], r[2]);
        }
    }

    static void header(byte[] b, int seq) {
        b[0] = (byte) 0x80;
        b[1] = 0;
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        b[8] = (byte) (SSRC >>> 24);
        b[9] = (byte) (SSRC >>> 16);
        b[10] = (byte) (SSRC >>> 8);
        b[11] = (byte) SSRC;
    }
}
