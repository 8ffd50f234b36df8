package org.kmsconf.media.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;

/**
 * {@link SrtpContext} on the JDK's own AES/CTR/NoPadding and HmacSHA1 (SunJCE, which uses the CPU's AES and SHA
 * instructions). One Cipher per key and one Mac per key are kept and re-used; nothing is allocated per packet
 * except the JCE's IvParameterSpec copy. See docs/media.md for why this and not jitsi-srtp or libsrtp.
 */
final class JceSrtpContext implements SrtpContext {
    /** Upper bound on SSRCs per context (a conference leg carries one per other participant). */
    static final int MAX_STREAMS = 1024;

    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;
    private static final int SRTCP_INDEX = 4;
    private static final int SHA1_LEN = 20;
    private static final VarHandle BIG_ENDIAN_INT = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.BIG_ENDIAN);

    private final boolean sender;
    private final SrtpPolicy policy;
    private final boolean acceptAnySsrc;
    private final int rtpTagLen;
    private final int rtcpTagLen;

    private final byte[] rtpKey;
    private final byte[] rtpSalt;
    private final byte[] rtcpKey;
    private final byte[] rtcpSalt;
    private final SecretKeySpec rtpKeySpec;
    private final SecretKeySpec rtcpKeySpec;
    private final Cipher rtpCipher;
    private final Cipher rtcpCipher;
    private final Mac rtpMac;
    private final Mac rtcpMac;

    private final StreamTable streams = new StreamTable();
    private final byte[] iv = new byte[16];
    private final byte[] rocBytes = new byte[4];
    private final byte[] fullMac = new byte[SHA1_LEN];
    private final byte[] computedRtpTag;
    private final byte[] receivedRtpTag;
    private final byte[] computedRtcpTag;
    private final byte[] receivedRtcpTag;
    private boolean closed;

    JceSrtpContext(boolean sender, SrtpKeys keys, boolean acceptAnySsrc) {
        this.sender = sender;
        this.policy = keys.policy();
        this.acceptAnySsrc = acceptAnySsrc;
        this.rtpTagLen = policy.srtpTagLength();
        this.rtcpTagLen = policy.srtcpTagLength();
        byte[] mk = keys.masterKey();
        byte[] ms = keys.masterSalt();
        try {
            // SrtpKeys checked both lengths against the policy; the KDF relies on them (RFC 3711 §4.3.1, kdr = 0).
            int kl = policy.masterKeyLength();
            int sl = policy.masterSaltLength();
            int al = policy.sessionAuthKeyLength();
            byte[][] session = SrtpKdf.all(mk, ms,
                    new int[] {SrtpKdf.LABEL_RTP_ENCRYPTION, SrtpKdf.LABEL_RTP_SALT, SrtpKdf.LABEL_RTCP_ENCRYPTION,
                            SrtpKdf.LABEL_RTCP_SALT, SrtpKdf.LABEL_RTP_AUTH, SrtpKdf.LABEL_RTCP_AUTH},
                    new int[] {kl, sl, kl, sl, al, al});
            rtpKey = session[0];
            rtpSalt = session[1];
            rtcpKey = session[2];
            rtcpSalt = session[3];
            byte[] rtpAuth = session[4];
            byte[] rtcpAuth = session[5];
            try {
                rtpKeySpec = new SecretKeySpec(rtpKey, "AES");
                rtcpKeySpec = new SecretKeySpec(rtcpKey, "AES");
                rtpCipher = Cipher.getInstance("AES/CTR/NoPadding");
                rtcpCipher = Cipher.getInstance("AES/CTR/NoPadding");
                rtpMac = Mac.getInstance("HmacSHA1");
                rtpMac.init(new SecretKeySpec(rtpAuth, "HmacSHA1"));
                rtcpMac = Mac.getInstance("HmacSHA1");
                rtcpMac.init(new SecretKeySpec(rtcpAuth, "HmacSHA1"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/CTR or HmacSHA1 missing from the JDK", e);
            } finally {
                Arrays.fill(rtpAuth, (byte) 0);
                Arrays.fill(rtcpAuth, (byte) 0);
            }
        } finally {
            Arrays.fill(mk, (byte) 0);
            Arrays.fill(ms, (byte) 0);
        }
        computedRtpTag = new byte[rtpTagLen];
        receivedRtpTag = new byte[rtpTagLen];
        computedRtcpTag = new byte[rtcpTagLen];
        receivedRtcpTag = new byte[rtcpTagLen];
    }

    /**
     * The AES-CM keystream the packet path XORs onto a payload, for given session keys (RFC 3711 §B.2 check):
     * the same {@link #ctr} the packets go through, applied to zeros.
     */
    static byte[] keystream(byte[] sessionKey, byte[] sessionSalt, int ssrc, long index, int length) {
        try {
            byte[] out = new byte[length];
            ctr(Cipher.getInstance("AES/CTR/NoPadding"), new SecretKeySpec(sessionKey, "AES"), sessionSalt,
                    new byte[16], ssrc, index, out, 0, length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public SrtpPolicy policy() {
        return policy;
    }

    @Override
    public boolean isSender() {
        return sender;
    }

    @Override
    public void addStream(Ssrc ssrc, int initialRoc) {
        if (streams.get(ssrc.bits()) == null) {
            if (streams.size() >= MAX_STREAMS) {
                throw new IllegalStateException("too many SSRCs in one SRTP context (max " + MAX_STREAMS + ")");
            }
            streams.put(new StreamState(ssrc.bits(), initialRoc));
        }
    }

    @Override
    public void removeStream(Ssrc ssrc) {
        streams.remove(ssrc.bits());
    }

    @Override
    public boolean hasStream(Ssrc ssrc) {
        return streams.get(ssrc.bits()) != null;
    }

    @Override
    public SrtpContext rekeyed(SrtpKeys newKeys) {
        if (closed) {
            throw new IllegalStateException("SRTP context is closed");
        }
        JceSrtpContext next = new JceSrtpContext(sender, newKeys, acceptAnySsrc);
        streams.forEach(s -> next.streams.put(s.carriedOn()));
        return next;
    }

    @Override
    public long rolloverCounter(Ssrc ssrc) {
        StreamState s = streams.get(ssrc.bits());
        return s == null ? -1 : s.roc;
    }

    // ---------------------------------------------------------------- SRTP

    @Override
    public SrtpStatus protectRtp(PacketBuffer p) {
        requireDirection(true);
        byte[] b = p.array();
        int off = p.offset();
        int len = p.length();
        int hl = rtpHeaderLength(b, off, len);
        if (hl < 0) {
            return SrtpStatus.INVALID_PACKET;
        }
        if (p.spare() < rtpTagLen) {
            return SrtpStatus.NO_SPACE;
        }
        int ssrc = readInt(b, off + 8);
        StreamState s = sendingStream(ssrc);
        if (s == null) {
            return SrtpStatus.UNKNOWN_SSRC;
        }
        int seq = readShort(b, off + 2);
        long index = s.estimateIndex(seq);
        if (index < 0) {
            return SrtpStatus.INVALID_PACKET;
        }
        // RFC 3711 §9.1: never protect two packets with the same index under one key. A stream that restarts
        // its sequence numbers under an SSRC this context has already sent is refused, not re-encrypted with a
        // keystream used before (a relay forwarding a re-joined participant; a reordered packet is fine).
        SrtpStatus fresh = s.rtpWindow.check(index);
        if (fresh != SrtpStatus.OK) {
            return fresh;
        }
        long roc = index >>> 16;
        // RFC 3711 §4.1.1: IV = (k_s·2^16) XOR (SSRC·2^64) XOR (i·2^16)
        ctr(rtpCipher, rtpKeySpec, rtpSalt, ssrc, index, b, off + hl, len - hl);
        // RFC 3711 §4.2: tag = HMAC(k_a, authenticated portion || ROC), truncated
        rtpMac(b, off, len, roc);
        System.arraycopy(fullMac, 0, b, off + len, rtpTagLen);
        s.rtpWindow.accept(index);
        s.commit(index);
        p.length(len + rtpTagLen);
        return SrtpStatus.OK;
    }

    @Override
    public SrtpStatus unprotectRtp(PacketBuffer p) {
        return receiveRtp(p, true);
    }

    @Override
    public SrtpStatus authenticateRtp(PacketBuffer p) {
        return receiveRtp(p, false);
    }

    private SrtpStatus receiveRtp(PacketBuffer p, boolean decrypt) {
        requireDirection(false);
        byte[] b = p.array();
        int off = p.offset();
        int len = p.length() - rtpTagLen;
        if (len < RTP_HEADER) {
            return SrtpStatus.INVALID_PACKET;
        }
        int hl = rtpHeaderLength(b, off, len);
        if (hl < 0) {
            return SrtpStatus.INVALID_PACKET;
        }
        int ssrc = readInt(b, off + 8);
        StreamState known = streams.get(ssrc);
        StreamState s = known != null ? known : admitted(ssrc);
        if (s == null) {
            return SrtpStatus.UNKNOWN_SSRC;
        }
        int seq = readShort(b, off + 2);
        long index = s.estimateIndex(seq);
        if (index < 0) {
            return SrtpStatus.REPLAY_OLD;
        }
        SrtpStatus replay = s.rtpWindow.check(index);
        if (replay != SrtpStatus.OK) {
            return replay;
        }
        rtpMac(b, off, len, index >>> 16);
        if (!tagMatches(b, off + len, computedRtpTag, receivedRtpTag)) {
            return SrtpStatus.AUTH_FAIL;
        }
        if (decrypt) {
            ctr(rtpCipher, rtpKeySpec, rtpSalt, ssrc, index, b, off + hl, len - hl);
            p.length(len);
        }
        s.rtpWindow.accept(index);
        s.commit(index);
        if (s != known) {
            streams.put(s);
        }
        return SrtpStatus.OK;
    }

    // ---------------------------------------------------------------- SRTCP

    @Override
    public SrtpStatus protectRtcp(PacketBuffer p) {
        requireDirection(true);
        byte[] b = p.array();
        int off = p.offset();
        int len = p.length();
        if (!rtcpHeaderOk(b, off, len)) {
            return SrtpStatus.INVALID_PACKET;
        }
        if (p.spare() < SRTCP_INDEX + rtcpTagLen) {
            return SrtpStatus.NO_SPACE;
        }
        int ssrc = readInt(b, off + 4);
        StreamState s = sendingStream(ssrc);
        if (s == null) {
            return SrtpStatus.UNKNOWN_SSRC;
        }
        int index = s.nextSrtcpIndex;
        s.nextSrtcpIndex = (index + 1) & 0x7fffffff;
        // RFC 3711 §3.4: encrypt everything after the first 8 bytes; the IV uses the 31-bit SRTCP index
        ctr(rtcpCipher, rtcpKeySpec, rtcpSalt, ssrc, index, b, off + RTCP_HEADER, len - RTCP_HEADER);
        writeInt(b, off + len, 0x80000000 | index); // E = 1
        rtcpMac.update(b, off, len + SRTCP_INDEX);
        macFinal(rtcpMac);
        System.arraycopy(fullMac, 0, b, off + len + SRTCP_INDEX, rtcpTagLen);
        p.length(len + SRTCP_INDEX + rtcpTagLen);
        return SrtpStatus.OK;
    }

    @Override
    public SrtpStatus unprotectRtcp(PacketBuffer p) {
        requireDirection(false);
        byte[] b = p.array();
        int off = p.offset();
        int authLen = p.length() - rtcpTagLen;
        int len = authLen - SRTCP_INDEX;
        if (len < RTCP_HEADER || !rtcpHeaderOk(b, off, len)) {
            return SrtpStatus.INVALID_PACKET;
        }
        int eIndex = readInt(b, off + len);
        if ((eIndex & 0x80000000) == 0) {
            return SrtpStatus.INVALID_PACKET; // every policy we run has SRTCP encryption on (SP parameter 8 = 1)
        }
        int index = eIndex & 0x7fffffff;
        int ssrc = readInt(b, off + 4);
        StreamState known = streams.get(ssrc);
        StreamState s = known != null ? known : admitted(ssrc);
        if (s == null) {
            return SrtpStatus.UNKNOWN_SSRC;
        }
        SrtpStatus replay = s.rtcpWindow.check(index);
        if (replay != SrtpStatus.OK) {
            return replay;
        }
        rtcpMac.update(b, off, authLen);
        macFinal(rtcpMac);
        if (!tagMatches(b, off + authLen, computedRtcpTag, receivedRtcpTag)) {
            return SrtpStatus.AUTH_FAIL;
        }
        ctr(rtcpCipher, rtcpKeySpec, rtcpSalt, ssrc, index, b, off + RTCP_HEADER, len - RTCP_HEADER);
        s.rtcpWindow.accept(index);
        if (s != known) {
            streams.put(s);
        }
        p.length(len);
        return SrtpStatus.OK;
    }

    // ---------------------------------------------------------------- helpers

    /** The sender's state for an SSRC, made on its first packet; null when the context already holds MAX_STREAMS. */
    private StreamState sendingStream(int ssrc) {
        StreamState s = streams.get(ssrc);
        if (s == null && streams.size() < MAX_STREAMS) {
            s = new StreamState(ssrc, 0);
            streams.put(s);
        }
        return s;
    }

    /**
     * A state for an SSRC the receiver does not know yet, when it accepts any SSRC and has room, else null. The
     * caller keeps it only once a packet authenticates, so forged packets cannot fill the table.
     */
    private StreamState admitted(int ssrc) {
        return acceptAnySsrc && streams.size() < MAX_STREAMS ? new StreamState(ssrc, 0) : null;
    }

    /** Whether the tag at {@code b[at]} is the computed MAC truncated to the tag length, compared in constant time. */
    private boolean tagMatches(byte[] b, int at, byte[] computed, byte[] received) {
        System.arraycopy(fullMac, 0, computed, 0, computed.length);
        System.arraycopy(b, at, received, 0, received.length);
        return MessageDigest.isEqual(computed, received);
    }

    private void requireDirection(boolean wantSender) {
        if (closed) {
            throw new IllegalStateException("SRTP context is closed");
        }
        if (sender != wantSender) {
            throw new IllegalStateException(sender ? "a sending SRTP context cannot unprotect"
                    : "a receiving SRTP context cannot protect");
        }
    }

    private void ctr(Cipher c, SecretKeySpec key, byte[] salt, int ssrc, long index, byte[] b, int from, int n) {
        ctr(c, key, salt, iv, ssrc, index, b, from, n);
    }

    /** AES-CM (RFC 3711 §4.1.1) in place: IV = (k_s·2^16) XOR (SSRC·2^64) XOR (i·2^16), counter in the low 16 bits. */
    private static void ctr(Cipher c, SecretKeySpec key, byte[] salt, byte[] iv, int ssrc, long index,
                            byte[] b, int from, int n) {
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        xorSsrcAndIndex(iv, ssrc, index);
        try {
            c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            if (n > 0) {
                c.doFinal(b, from, n, b, from);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
    }

    private static void xorSsrcAndIndex(byte[] v, int ssrc, long index) {
        v[4] ^= (byte) (ssrc >>> 24);
        v[5] ^= (byte) (ssrc >>> 16);
        v[6] ^= (byte) (ssrc >>> 8);
        v[7] ^= (byte) ssrc;
        v[8] ^= (byte) (index >>> 40);
        v[9] ^= (byte) (index >>> 32);
        v[10] ^= (byte) (index >>> 24);
        v[11] ^= (byte) (index >>> 16);
        v[12] ^= (byte) (index >>> 8);
        v[13] ^= (byte) index;
    }

    private void rtpMac(byte[] b, int off, int len, long roc) {
        rtpMac.update(b, off, len);
        rocBytes[0] = (byte) (roc >>> 24);
        rocBytes[1] = (byte) (roc >>> 16);
        rocBytes[2] = (byte) (roc >>> 8);
        rocBytes[3] = (byte) roc;
        rtpMac.update(rocBytes, 0, 4);
        macFinal(rtpMac);
    }

    private void macFinal(Mac mac) {
        try {
            mac.doFinal(fullMac, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Length of the RTP header (fixed part, CSRCs, extension; RFC 3550 §5.1, §5.3.1), or -1 if malformed. */
    static int rtpHeaderLength(byte[] b, int off, int len) {
        if (len < RTP_HEADER || (b[off] & 0xc0) != 0x80) {
            return -1;
        }
        int hl = RTP_HEADER + 4 * (b[off] & 0x0f);
        if ((b[off] & 0x10) != 0) {
            if (hl + 4 > len) {
                return -1;
            }
            hl += 4 + 4 * readShort(b, off + hl + 2);
        }
        return hl <= len ? hl : -1;
    }

    private static boolean rtcpHeaderOk(byte[] b, int off, int len) {
        return len >= RTCP_HEADER && (b[off] & 0xc0) == 0x80;
    }

    static int readInt(byte[] b, int i) {
        return (int) BIG_ENDIAN_INT.get(b, i);
    }

    static int readShort(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static void writeInt(byte[] b, int i, int v) {
        BIG_ENDIAN_INT.set(b, i, v);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Arrays.fill(rtpKey, (byte) 0);
        Arrays.fill(rtpSalt, (byte) 0);
        Arrays.fill(rtcpKey, (byte) 0);
        Arrays.fill(rtcpSalt, (byte) 0);
        // Overwrite the key schedules the JCE objects keep with a zero key.
        try {
            byte[] zero = new byte[policy.masterKeyLength()];
            rtpCipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(zero, "AES"), new IvParameterSpec(new byte[16]));
            rtcpCipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(zero, "AES"), new IvParameterSpec(new byte[16]));
            rtpMac.init(new SecretKeySpec(new byte[20], "HmacSHA1"));
            rtcpMac.init(new SecretKeySpec(new byte[20], "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "SrtpContext[" + (sender ? "send" : "receive") + ", " + policy + ", ssrcs=" + streams.size() + "]";
    }
}
