package org.kmsconf.mikey.message;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/** HDR data type (RFC 3830 §6.1, RFC 4650, RFC 4738, RFC 6043 §6.1, RFC 6509). */
public enum DataType {
    PSK_INIT(0),
    PSK_VER(1),
    PK_INIT(2),
    PK_VER(3),
    DH_INIT(4),
    DH_RESP(5),
    ERROR(6),
    DHHMAC_INIT(7),
    DHHMAC_RESP(8),
    RSA_R_I_MSG(9),
    RSA_R_R_MSG(10),
    REQUEST_INIT_PSK(11),
    REQUEST_INIT_PK(12),
    REQUEST_RESP(13),
    TRANSFER_INIT(14),
    TRANSFER_RESP(15),
    RESOLVE_INIT_PSK(16),
    RESOLVE_INIT_PK(17),
    RESOLVE_RESP(18),
    SAKKE(26);

    /** {@link #values()} clones its array on every call; look-ups on the decode path use this one. */
    private static final DataType[] ALL = values();

    private final int value;

    DataType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The data type for a wire value; unknown values fail with Invalid DT. */
    public static DataType fromValue(int value, int offset) {
        for (DataType t : ALL) {
            if (t.value == value) {
                return t;
            }
        }
        throw new MikeyException(ErrorCode.INVALID_DT, "unknown data type " + value, offset);
    }
}
