package org.kmsconf.mikey.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/**
 * Encryption of the KEMAC "Encr data" field (RFC 3830 §4.2.3, §4.2.4; RFC 6043 §6.2 for AES-CM-256).
 * <ul>
 *   <li>AES-CM-128 / AES-CM-256: counter block {@code IV = (S XOR (0x0000 || CSB_ID || T)) || 0x0000} with S the
 *       112-bit salt_key and T the 64-bit timestamp (PROFILE: the T of the message carrying the KEMAC; in a base
 *       ticket CSB_ID = 0xFFFFFFFF). At most 2^23 bits may be encrypted.</li>
 *   <li>AES-KW-128: RFC 3394 key wrap with the 64-bit salt_key as IV; the data must be a multiple of 8 bytes, at
 *       least 16.</li>
 *   <li>NULL: the data travels in the clear.</li>
 * </ul>
 */
public final class KemacCrypto {
    /** RFC 3830 §4.2.3: no more than 2^23 bits per key/IV. */
    public static final int MAX_AES_CM_BYTES = 1 << 20;

    private static final ThreadLocal<Cipher> KW = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/KW/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/KW missing from the JDK", e);
        }
    });

    private KemacCrypto() {
    }

    /** The AES-CM counter block: {@code (S XOR (0x0000 || CSB_ID || T64)) || 0x0000}, S = 14-byte salt. */
    public static byte[] iv(KeyMaterial salt, int csbId, long t64) {
        return iv(salt.raw(), csbId, t64);
    }

    static byte[] iv(byte[] salt, int csbId, long t64) {
        if (salt.length != 14) {
            throw new IllegalArgumentException("AES-CM salt_key must be 112 bits");
        }
        byte[] iv = new byte[16];
        System.arraycopy(salt, 0, iv, 0, 14);
        // bytes 0-1 XOR 0x0000: unchanged; bytes 2-5 CSB ID; bytes 6-13 T; bytes 14-15 zero
        for (int i = 0; i < 4; i++) {
            iv[2 + i] ^= (byte) (csbId >>> (24 - 8 * i));
        }
        for (int i = 0; i < 8; i++) {
            iv[6 + i] ^= (byte) (t64 >>> (56 - 8 * i));
        }
        return iv;
    }

    /** Encrypts the Key data chain with the message (or ticket) keys. */
    public static byte[] encrypt(MessageKeys keys, int csbId, long t64, byte[] plaintext) {
        return switch (keys.encrAlg()) {
            case NULL -> plaintext.clone();
            case AES_CM_128, AES_CM_256 -> aesCm(keys, csbId, t64, plaintext);
            case AES_KW_128 -> keyWrap(keys, plaintext, true);
        };
    }

    /**
     * Decrypts the Encr data field. AES-CM cannot detect tampering (the MAC does); AES-KW can, and a failed
     * integrity check throws a {@link MikeyException} with {@link ErrorCode#AUTH_FAILURE}.
     */
    public static byte[] decrypt(MessageKeys keys, int csbId, long t64, byte[] ciphertext) {
        return switch (keys.encrAlg()) {
            case NULL -> ciphertext.clone();
            case AES_CM_128, AES_CM_256 -> aesCm(keys, csbId, t64, ciphertext);
            case AES_KW_128 -> keyWrap(keys, ciphertext, false);
        };
    }

    private static byte[] aesCm(MessageKeys keys, int csbId, long t64, byte[] data) {
        if (data.length > MAX_AES_CM_BYTES) {
            throw new MikeyException(ErrorCode.UNSPECIFIED, "KEMAC data longer than 2^23 bits");
        }
        if (keys.encrKey().length() != keys.encrAlg().keyBytes()) {
            throw new IllegalArgumentException("encr_key length does not match " + keys.encrAlg());
        }
        return AesCm.apply(keys.encrKey().raw(), iv(keys.saltKey().raw(), csbId, t64), data, 0, data.length);
    }

    private static byte[] keyWrap(MessageKeys keys, byte[] data, boolean wrap) {
        int min = wrap ? 16 : 24;
        if (data.length < min || data.length % 8 != 0) {
            throw new MikeyException(ErrorCode.UNSPECIFIED,
                    "AES-KW data must be a multiple of 8 bytes and at least " + min + ", got " + data.length);
        }
        Cipher c = KW.get();
        try {
            c.init(wrap ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(keys.encrKey().raw(), "AES"),
                    new IvParameterSpec(keys.saltKey().raw()));
            return c.doFinal(data);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            // the JDK reports a failed RFC 3394 integrity check as one of these (lengths were checked above)
            throw new MikeyException(ErrorCode.AUTH_FAILURE, "AES-KW integrity check failed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-KW failed", e);
        } finally {
            Scrub.aesKw(c);
        }
    }
}
