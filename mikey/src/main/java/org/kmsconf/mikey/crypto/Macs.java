package org.kmsconf.mikey.crypto;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The KEMAC and V payload MACs: HMAC-SHA-1-160 (RFC 3830 §6.2, full 160 bits) and HMAC-SHA-256-256 (RFC 6043 §6.2,
 * full 256 bits), computed over several byte parts so that "message without MAC || Identity_i || Identity_r ..."
 * (RFC 6043 Table 5.2) needs no concatenation. One {@link Mac} per thread and algorithm is reused and re-keyed with
 * a public constant after each call.
 */
public final class Macs {
    private static final ThreadLocal<Mac> HMAC_SHA1 = ThreadLocal.withInitial(() -> Prf.newMac("HmacSHA1"));
    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> Prf.newMac("HmacSHA256"));

    private Macs() {
    }

    /** MAC over the concatenation of {@code parts}. */
    public static byte[] compute(MacAlg alg, KeyMaterial key, byte[]... parts) {
        Mac mac = init(alg, key);
        try {
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } finally {
            Scrub.mac(mac);
        }
    }

    /** MAC over {@code msg[off, off+len)} followed by {@code trailing} parts. */
    public static byte[] compute(MacAlg alg, KeyMaterial key, byte[] msg, int off, int len, byte[]... trailing) {
        Mac mac = init(alg, key);
        try {
            mac.update(msg, off, len);
            for (byte[] p : trailing) {
                mac.update(p);
            }
            return mac.doFinal();
        } finally {
            Scrub.mac(mac);
        }
    }

    /** Constant-time check of {@code expected} against the MAC over {@code parts}. */
    public static boolean verify(MacAlg alg, KeyMaterial key, byte[] expected, byte[]... parts) {
        return MessageDigest.isEqual(compute(alg, key, parts), expected);
    }

    /** Constant-time check of {@code expected} against the MAC over {@code msg[off, off+len) || trailing}. */
    public static boolean verify(MacAlg alg, KeyMaterial key, byte[] expected, byte[] msg, int off, int len,
                                 byte[]... trailing) {
        return MessageDigest.isEqual(compute(alg, key, msg, off, len, trailing), expected);
    }

    private static Mac init(MacAlg alg, KeyMaterial key) {
        Mac mac = switch (alg) {
            case NULL -> throw new IllegalArgumentException("a NULL MAC authenticates nothing");
            case HMAC_SHA_1_160 -> HMAC_SHA1.get();
            case HMAC_SHA_256_256 -> HMAC_SHA256.get();
        };
        try {
            mac.init(new SecretKeySpec(key.raw(), alg.jceName()));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC key rejected", e);
        }
        return mac;
    }
}
