package org.kmsconf.mikey.payload;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/** TS Role of the TR payload (RFC 6043 §6.5). */
public enum TrRole {
    /** Time of issue. */
    TRi(1),
    /** Start of validity period. */
    TRs(2),
    /** End of validity period. */
    TRe(3),
    /** Rekeying interval (NTP-UTC-32, integer seconds). */
    TRr(4);

    private final int value;

    TrRole(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    static TrRole read(WireReader r) {
        int at = r.offset();
        int v = r.u8("TS role");
        for (TrRole x : values()) {
            if (x.value == v) {
                return x;
            }
        }
        throw new MikeyException(ErrorCode.INVALID_TS, "unknown TS role " + v, at);
    }
}
