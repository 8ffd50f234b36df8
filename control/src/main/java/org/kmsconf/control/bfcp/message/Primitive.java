package org.kmsconf.control.bfcp.message;

/**
 * BFCP primitives (RFC 8855 §5.1, Table 1). RFC 8855 numbers the acknowledgements 14 FloorRequestStatusAck,
 * 15 FloorStatusAck, 16 Goodbye, 17 GoodbyeAck; there is no ErrorAck. (draft-ietf-bfcpbis-rfc4582bis-03 had
 * 15 ErrorAck, 16 FloorStatusAck, 17 Goodbye, 18 GoodbyeAck, and Wireshark's dissector still names 15-18 that
 * way; see docs/control.md §1.) The acknowledgements exist for unreliable transports; over TCP they are decoded
 * but never sent.
 */
public enum Primitive {
    FLOOR_REQUEST(1, "FloorRequest"),
    FLOOR_RELEASE(2, "FloorRelease"),
    FLOOR_REQUEST_QUERY(3, "FloorRequestQuery"),
    FLOOR_REQUEST_STATUS(4, "FloorRequestStatus"),
    USER_QUERY(5, "UserQuery"),
    USER_STATUS(6, "UserStatus"),
    FLOOR_QUERY(7, "FloorQuery"),
    FLOOR_STATUS(8, "FloorStatus"),
    CHAIR_ACTION(9, "ChairAction"),
    CHAIR_ACTION_ACK(10, "ChairActionAck"),
    HELLO(11, "Hello"),
    HELLO_ACK(12, "HelloAck"),
    ERROR(13, "Error"),
    FLOOR_REQUEST_STATUS_ACK(14, "FloorRequestStatusAck"),
    FLOOR_STATUS_ACK(15, "FloorStatusAck"),
    GOODBYE(16, "Goodbye"),
    GOODBYE_ACK(17, "GoodbyeAck");

    private static final Primitive[] BY_VALUE = new Primitive[18];

    static {
        for (Primitive p : values()) {
            BY_VALUE[p.value] = p;
        }
    }

    private final int value;
    private final String rfcName;

    Primitive(int value, String rfcName) {
        this.value = value;
        this.rfcName = rfcName;
    }

    /** The 8-bit wire value. */
    public int value() {
        return value;
    }

    /** The name RFC 8855 uses. */
    public String rfcName() {
        return rfcName;
    }

    /** The primitive with this wire value, or null. */
    public static Primitive fromValue(int value) {
        return value > 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }

    @Override
    public String toString() {
        return rfcName + "(" + value + ")";
    }
}
