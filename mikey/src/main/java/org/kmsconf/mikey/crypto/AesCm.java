package org.kmsconf.mikey.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode as SRTP defines it (RFC 3711 §4.1.1) and MIKEY reuses for the KEMAC (RFC 3830 §4.2.3):
 * keystream block i = AES(k, IV + i mod 2^128). The JCE "AES/CTR/NoPadding" increments the whole 128-bit block,
 * which is exactly this rule. One {@link Cipher} per thread is reused, re-keyed with a public constant after use.
 */
public final class AesCm {
    private static final ThreadLocal<Cipher> CTR = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR missing from the JDK", e);
        }
    });

    private AesCm() {
    }

    /** XORs {@code in} with the keystream for (key, iv) and returns the result (encrypts and decrypts). */
    public static byte[] apply(KeyMaterial key, byte[] iv, byte[] in) {
        return apply(key.raw(), iv, in, 0, in.length);
    }

    /** {@code length} bytes of keystream for (key, iv). */
    public static byte[] keystream(KeyMaterial key, byte[] iv, int length) {
        return apply(key.raw(), iv, new byte[length], 0, length);
    }

    static byte[] apply(byte[] key, byte[] iv, byte[] in, int off, int len) {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("AES key must be 128, 192 or 256 bits");
        }
        if (iv.length != 16) {
            throw new IllegalArgumentException("AES-CM counter block must be 16 bytes");
        }
        Cipher c = CTR.get();
        try {
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            byte[] out = new byte[len];
            c.doFinal(in, off, len, out, 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CM failed", e);
        } finally {
            Scrub.aesCtr(c);
        }
    }
}
