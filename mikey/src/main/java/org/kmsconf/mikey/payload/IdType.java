package org.kmsconf.mikey.payload;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/** ID Type of the ID and IDR payloads (RFC 3830 §6.7, RFC 6043 §6.6: byte string added). */
public enum IdType {
    NAI(0),
    URI(1),
    BYTE_STRING(2);

    /** {@link #values()} clones its array on every call; look-ups on the decode path use this one. */
    private static final IdType[] ALL = values();

    private final int value;

    IdType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    static IdType read(WireReader r) {
        int at = r.offset();
        int v = r.u8("ID type");
        for (IdType x : ALL) {
            if (x.value == v) {
                return x;
            }
        }
        throw new MikeyException(ErrorCode.INVALID_ID, "unknown ID type " + v, at);
    }
}
