package org.kmsconf.mikey.crypto;

/**
 * The keys protecting one MIKEY message (RFC 3830 §4.1.4): encr_key and salt_key for the KEMAC, auth_key for the
 * KEMAC or V MAC, each as long as its algorithm needs. Keys an algorithm does not use (NULL) are absent (null).
 * {@link #toString()} never shows key bytes.
 */
public record MessageKeys(EncrAlg encrAlg, MacAlg macAlg, KeyMaterial encrKey, KeyMaterial authKey,
                          KeyMaterial saltKey) {

    /** Salt length for an encryption algorithm: 112 bits for AES-CM (§4.2.3), 64 bits for AES-KW (§4.2.4), 0 for NULL. */
    public static int saltBytes(EncrAlg alg) {
        return switch (alg) {
            case NULL -> 0;
            case AES_CM_128, AES_CM_256 -> 14;
            case AES_KW_128 -> 8;
        };
    }

    /** Zeroes every key. */
    public void destroy() {
        if (encrKey != null) {
            encrKey.destroy();
        }
        if (authKey != null) {
            authKey.destroy();
        }
        if (saltKey != null) {
            saltKey.destroy();
        }
    }

    @Override
    public String toString() {
        return "MessageKeys[" + encrAlg + ", " + macAlg + ", redacted]";
    }
}
