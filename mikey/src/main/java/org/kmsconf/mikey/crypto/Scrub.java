package org.kmsconf.mikey.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Re-keys a per-thread {@link Mac} or {@link Cipher} with a public constant after use, so that no HMAC pad or AES key
 * schedule of a real key outlives the call in a thread-local (nothing secret is cached statically).
 */
final class Scrub {
    private static final byte[] ZERO16 = new byte[16];
    private static final SecretKeySpec AES_ZERO = new SecretKeySpec(ZERO16, "AES");
    private static final IvParameterSpec IV_ZERO = new IvParameterSpec(ZERO16);

    private Scrub() {
    }

    static void mac(Mac mac) {
        try {
            mac.init(new SecretKeySpec(ZERO16, mac.getAlgorithm()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot re-key " + mac.getAlgorithm(), e);
        }
    }

    static void aesCtr(Cipher c) {
        try {
            c.init(Cipher.ENCRYPT_MODE, AES_ZERO, IV_ZERO);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot re-key AES/CTR", e);
        }
    }

    static void aesKw(Cipher c) {
        try {
            c.init(Cipher.ENCRYPT_MODE, AES_ZERO);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot re-key AES/KW", e);
        }
    }
}
