package org.kmsconf.mikey.payload;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/** RAND Role of the RANDR payload (RFC 6043 §6.8). */
public enum RandRole {
    RANDRi(1),
    RANDRr(2),
    RANDRkms(3);

    /** {@link #values()} clones its array on every call; look-ups on the decode path use this one. */
    private static final RandRole[] ALL = values();

    private final int value;

    RandRole(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    static RandRole read(WireReader r) {
        int at = r.offset();
        int v = r.u8("RAND role");
        for (RandRole x : ALL) {
            if (x.value == v) {
                return x;
            }
        }
        throw new MikeyException(ErrorCode.UNSPECIFIED, "unknown RAND role " + v, at);
    }
}
