package org.kmsconf.mikey.payload;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/** TS type of the T and TR payloads (RFC 3830 §6.6, RFC 6043 §6.6) with the size of its value. */
public enum TsType {
    /** 64-bit NTP timestamp in UTC. */
    NTP_UTC(0, 8),
    /** 64-bit NTP timestamp (RFC 3830 leaves the time zone to the parties; read as UTC here). */
    NTP(1, 8),
    /** 32-bit counter. */
    COUNTER(2, 4),
    /** 32-bit NTP seconds in UTC (RFC 6043). */
    NTP_UTC_32(3, 4);

    private final int value;
    private final int valueBytes;

    TsType(int value, int valueBytes) {
        this.value = value;
        this.valueBytes = valueBytes;
    }

    public int value() {
        return value;
    }

    public int valueBytes() {
        return valueBytes;
    }

    static TsType read(WireReader r) {
        int at = r.offset();
        int v = r.u8("TS type");
        for (TsType t : values()) {
            if (t.value == v) {
                return t;
            }
        }
        throw new MikeyException(ErrorCode.INVALID_TS, "unknown TS type " + v, at);
    }
}
