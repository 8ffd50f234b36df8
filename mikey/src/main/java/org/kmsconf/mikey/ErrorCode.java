package org.kmsconf.mikey;

/** MIKEY error numbers (ERR payload, RFC 3830 §6.12, RFC 4738, RFC 6043 §6.12). */
public enum ErrorCode {
    AUTH_FAILURE(0),
    INVALID_TS(1),
    INVALID_PRF(2),
    INVALID_MAC(3),
    INVALID_EA(4),
    INVALID_HA(5),
    INVALID_DH(6),
    INVALID_ID(7),
    INVALID_CERT(8),
    INVALID_SP(9),
    INVALID_SPPAR(10),
    INVALID_DT(11),
    UNSPECIFIED(12),
    UNSUPPORTED_MESSAGE_TYPE(13),
    INVALID_TICKET(14),
    INVALID_TPPAR(15);

    private static final ErrorCode[] BY_VALUE = values();

    private final int value;

    ErrorCode(int value) {
        this.value = value;
    }

    /** The 8-bit value carried in the ERR payload. */
    public int value() {
        return value;
    }

    /** The error code for a wire value; unknown values (16-255) map to {@link #UNSPECIFIED}. */
    public static ErrorCode fromValue(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : UNSPECIFIED;
    }
}
