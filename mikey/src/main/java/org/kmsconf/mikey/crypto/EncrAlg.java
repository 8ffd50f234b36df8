package org.kmsconf.mikey.crypto;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/** KEMAC encryption algorithms (RFC 3830 §6.2, RFC 6043 §6.2). Key length in bytes, 0 for NULL. */
public enum EncrAlg {
    NULL(0, 0),
    AES_CM_128(1, 16),
    AES_KW_128(2, 16),
    AES_CM_256(3, 32);

    /** {@link #values()} clones its array on every call; look-ups on the decode path use this one. */
    private static final EncrAlg[] ALL = values();

    private final int value;
    private final int keyBytes;

    EncrAlg(int value, int keyBytes) {
        this.value = value;
        this.keyBytes = keyBytes;
    }

    public int value() {
        return value;
    }

    public int keyBytes() {
        return keyBytes;
    }

    public static EncrAlg fromValue(int value) {
        for (EncrAlg a : ALL) {
            if (a.value == value) {
                return a;
            }
        }
        throw new MikeyException(ErrorCode.INVALID_EA, "unknown encryption algorithm " + value);
    }
}
