package org.kmsconf.mikey.crypto;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/** MAC algorithms of the KEMAC and V payloads (RFC 3830 §6.2/§6.9, RFC 6043 §6.2). The MAC length is implicit. */
public enum MacAlg {
    NULL(0, 0, 0, null),
    HMAC_SHA_1_160(1, 20, 20, "HmacSHA1"),
    HMAC_SHA_256_256(2, 32, 32, "HmacSHA256");

    /** {@link #values()} clones its array on every call; look-ups on the decode path use this one. */
    private static final MacAlg[] ALL = values();

    private final int value;
    private final int macBytes;
    private final int keyBytes;
    private final String jceName;

    MacAlg(int value, int macBytes, int keyBytes, String jceName) {
        this.value = value;
        this.macBytes = macBytes;
        this.keyBytes = keyBytes;
        this.jceName = jceName;
    }

    public int value() {
        return value;
    }

    /** Length of the MAC field on the wire. */
    public int macBytes() {
        return macBytes;
    }

    /** Length of the authentication key this algorithm uses (key size equals hash size, RFC 3830 §4.1.4). */
    public int keyBytes() {
        return keyBytes;
    }

    /** JCE algorithm name, or null for NULL. */
    public String jceName() {
        return jceName;
    }

    public static MacAlg fromValue(int value) {
        for (MacAlg a : ALL) {
            if (a.value == value) {
                return a;
            }
        }
        throw new MikeyException(ErrorCode.INVALID_HA, "unknown MAC algorithm " + value);
    }
}
