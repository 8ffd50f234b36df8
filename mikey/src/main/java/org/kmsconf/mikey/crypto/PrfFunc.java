package org.kmsconf.mikey.crypto;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/** PRF functions (HDR PRF func, TP PRF Func): RFC 3830 §4.1.2 and RFC 6043 §6.1. */
public enum PrfFunc {
    /** MIKEY-1: P function on HMAC-SHA-1, 160-bit blocks. */
    MIKEY_1(0, "HmacSHA1", 20),
    /** PRF-HMAC-SHA-256 (RFC 6043): the same construction on HMAC-SHA-256, 256-bit blocks. */
    HMAC_SHA_256(1, "HmacSHA256", 32);

    /** {@link #values()} clones its array on every call; look-ups on the decode path use this one. */
    private static final PrfFunc[] ALL = values();

    private final int value;
    private final String jceName;
    private final int blockBytes;

    PrfFunc(int value, String jceName, int blockBytes) {
        this.value = value;
        this.jceName = jceName;
        this.blockBytes = blockBytes;
    }

    public int value() {
        return value;
    }

    /** JCE name of the underlying HMAC. */
    public String jceName() {
        return jceName;
    }

    /** Output size of one HMAC block in bytes (20 or 32). */
    public int blockBytes() {
        return blockBytes;
    }

    public static PrfFunc fromValue(int value) {
        for (PrfFunc f : ALL) {
            if (f.value == value) {
                return f;
            }
        }
        throw new MikeyException(ErrorCode.INVALID_PRF, "unsupported PRF func " + value);
    }
}
