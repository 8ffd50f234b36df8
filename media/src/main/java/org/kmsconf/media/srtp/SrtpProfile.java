package org.kmsconf.media.srtp;

import java.util.Map;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/**
 * The SRTP protection profiles this implementation supports (RFC 3711 §8.2 defaults, RFC 4568 names,
 * RFC 6188 for AES-256). All use AES counter mode, HMAC-SHA1 with a 160-bit session auth key, a 112-bit salt,
 * key derivation rate 0 and no MKI. SRTCP always uses an 80-bit tag, also for the _32 profile (RFC 4568 §6.2.1).
 */
public enum SrtpProfile {
    AES_CM_128_HMAC_SHA1_80(16, 10),
    AES_CM_128_HMAC_SHA1_32(16, 4),
    AES_256_CM_HMAC_SHA1_80(32, 10);

    /** The default profile (RFC 3711 §8.2 and our PROFILE.md). */
    public static final SrtpProfile DEFAULT = AES_CM_128_HMAC_SHA1_80;

    // SRTP policy parameter types of the MIKEY SP payload, Prot type 0 (RFC 3830 §6.10.1, digest §5).
    public static final int SP_ENCR_ALG = 0;
    public static final int SP_ENCR_KEY_LEN = 1;
    public static final int SP_AUTH_ALG = 2;
    public static final int SP_AUTH_KEY_LEN = 3;
    public static final int SP_SALT_KEY_LEN = 4;
    public static final int SP_PRF = 5;
    public static final int SP_KEY_DERIVATION_RATE = 6;
    public static final int SP_SRTP_ENCRYPTION = 7;
    public static final int SP_SRTCP_ENCRYPTION = 8;
    public static final int SP_FEC_ORDER = 9;
    public static final int SP_SRTP_AUTHENTICATION = 10;
    public static final int SP_AUTH_TAG_LEN = 11;
    public static final int SP_SRTP_PREFIX_LEN = 12;

    // Parameter values.
    private static final int ENCR_AES_CM = 1;
    private static final int AUTH_HMAC_SHA1 = 1;
    private static final int PRF_AES_CM = 0;
    private static final int ON = 1;
    private static final int FEC_THEN_SRTP = 0;

    private final int masterKeyLength;
    private final int rtpTagLength;

    SrtpProfile(int masterKeyLength, int rtpTagLength) {
        this.masterKeyLength = masterKeyLength;
        this.rtpTagLength = rtpTagLength;
    }

    /** Master key length = session encryption key length, bytes (16 or 32). */
    public int masterKeyLength() {
        return masterKeyLength;
    }

    /** Master salt = session salt length, bytes. */
    public int saltLength() {
        return 14;
    }

    /** Session authentication key length, bytes (HMAC-SHA1). */
    public int authKeyLength() {
        return 20;
    }

    /** SRTP authentication tag length, bytes. */
    public int rtpTagLength() {
        return rtpTagLength;
    }

    /** SRTCP authentication tag length, bytes (always 10). */
    public int rtcpTagLength() {
        return 10;
    }

    /**
     * The profile described by the SRTP parameters of a MIKEY SP payload (Prot type 0). {@code params} maps
     * parameter type to value bytes; a type that is absent takes the RFC 3830 §6.10.1 default (AES-CM, 16,
     * HMAC-SHA1, 20, 14, AES-CM PRF, KDR 0, encryption and authentication on, tag 10, prefix 0).
     *
     * @throws MikeyException with {@link ErrorCode#INVALID_SPPAR} naming the first parameter we cannot honour:
     *         anything but AES-CM + HMAC-SHA1, a key derivation rate other than 0 (we derive session keys once),
     *         encryption or authentication switched off, a prefix, or an RFC 4771/7714 parameter (types 13-20).
     */
    public static SrtpProfile fromSpParameters(Map<Integer, byte[]> params) {
        for (Integer type : params.keySet()) {
            if (type < 0 || type > SP_SRTP_PREFIX_LEN) {
                throw refuse("SRTP policy parameter type " + type + " is not supported (RFC 4771 / RFC 7714 options)");
            }
        }
        require(params, SP_ENCR_ALG, ENCR_AES_CM, "encryption algorithm must be AES-CM (1)");
        long keyLen = value(params, SP_ENCR_KEY_LEN, 16);
        require(params, SP_AUTH_ALG, AUTH_HMAC_SHA1, "authentication algorithm must be HMAC-SHA-1 (1)");
        require(params, SP_AUTH_KEY_LEN, 20, "session auth key length must be 20");
        require(params, SP_SALT_KEY_LEN, 14, "session salt length must be 14");
        require(params, SP_PRF, PRF_AES_CM, "SRTP PRF must be AES-CM (0)");
        require(params, SP_KEY_DERIVATION_RATE, 0,
                "key derivation rate must be 0 (session keys are derived once; re-keying is a new MIKEY exchange)");
        require(params, SP_SRTP_ENCRYPTION, ON, "SRTP encryption must be on");
        require(params, SP_SRTCP_ENCRYPTION, ON, "SRTCP encryption must be on");
        require(params, SP_FEC_ORDER, FEC_THEN_SRTP, "FEC order must be 0 (FEC then SRTP)");
        require(params, SP_SRTP_AUTHENTICATION, ON, "SRTP authentication must be on");
        require(params, SP_SRTP_PREFIX_LEN, 0, "SRTP prefix length must be 0");
        long tagLen = value(params, SP_AUTH_TAG_LEN, 10);
        if (keyLen == 16 && tagLen == 10) {
            return AES_CM_128_HMAC_SHA1_80;
        }
        if (keyLen == 16 && tagLen == 4) {
            return AES_CM_128_HMAC_SHA1_32;
        }
        if (keyLen == 32 && tagLen == 10) {
            return AES_256_CM_HMAC_SHA1_80;
        }
        throw refuse("unsupported key length " + keyLen + " / tag length " + tagLen
                + " (supported: 16/10, 16/4, 32/10)");
    }

    /**
     * As {@link #fromSpParameters(Map)}, also refusing an MKI in the SRTP packets: this implementation (like
     * jitsi-srtp) has no MKI support and our profile puts none in packets (the SPI lives in the MIKEY key data only).
     */
    public static SrtpProfile fromSpParameters(Map<Integer, byte[]> params, int mkiLengthInPackets) {
        if (mkiLengthInPackets != 0) {
            throw refuse("an MKI in SRTP packets is not supported (MKI length " + mkiLengthInPackets + ")");
        }
        return fromSpParameters(params);
    }

    /** The SP parameters (type to value) that describe this profile, e.g. for building an SP payload. */
    public Map<Integer, byte[]> toSpParameters() {
        return Map.ofEntries(
                Map.entry(SP_ENCR_ALG, new byte[] {ENCR_AES_CM}),
                Map.entry(SP_ENCR_KEY_LEN, new byte[] {(byte) masterKeyLength}),
                Map.entry(SP_AUTH_ALG, new byte[] {AUTH_HMAC_SHA1}),
                Map.entry(SP_AUTH_KEY_LEN, new byte[] {20}),
                Map.entry(SP_SALT_KEY_LEN, new byte[] {14}),
                Map.entry(SP_PRF, new byte[] {PRF_AES_CM}),
                Map.entry(SP_KEY_DERIVATION_RATE, new byte[] {0}),
                Map.entry(SP_SRTP_ENCRYPTION, new byte[] {ON}),
                Map.entry(SP_SRTCP_ENCRYPTION, new byte[] {ON}),
                Map.entry(SP_SRTP_AUTHENTICATION, new byte[] {ON}),
                Map.entry(SP_AUTH_TAG_LEN, new byte[] {(byte) rtpTagLength}));
    }

    private static void require(Map<Integer, byte[]> params, int type, long expected, String what) {
        long v = value(params, type, expected);
        if (v != expected) {
            throw refuse("SP parameter " + type + " = " + v + ": " + what);
        }
    }

    /** Big-endian unsigned value of a parameter (RFC 3830 §6.10: lengths vary, KDR is 4 bytes), or the default. */
    private static long value(Map<Integer, byte[]> params, int type, long dflt) {
        byte[] v = params.get(type);
        if (v == null) {
            return dflt;
        }
        if (v.length == 0 || v.length > 4) {
            throw refuse("SP parameter " + type + " has length " + v.length + " (expected 1 to 4 bytes)");
        }
        long r = 0;
        for (byte b : v) {
            r = (r << 8) | (b & 0xff);
        }
        return r;
    }

    private static MikeyException refuse(String message) {
        return new MikeyException(ErrorCode.INVALID_SPPAR, message);
    }
}
