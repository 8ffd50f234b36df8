package org.kmsconf.mikey.payload;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/** ID Role of the IDR payload (RFC 6043 §6.6; IDRkmsi/IDRkmsr from RFC 6509). 0 and 255 are reserved. */
public enum IdRole {
    IDRi(1),
    IDRr(2),
    IDRkms(3),
    IDRpsk(4),
    IDRapp(5),
    IDRkmsi(6),
    IDRkmsr(7);

    /** {@link #values()} clones its array on every call; look-ups on the decode path use this one. */
    private static final IdRole[] ALL = values();

    private final int value;

    IdRole(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    static IdRole read(WireReader r) {
        int at = r.offset();
        int v = r.u8("ID role");
        for (IdRole x : ALL) {
            if (x.value == v) {
                return x;
            }
        }
        throw new MikeyException(ErrorCode.INVALID_ID, "unknown ID role " + v, at);
    }
}
