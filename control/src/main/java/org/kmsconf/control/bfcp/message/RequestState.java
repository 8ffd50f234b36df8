package org.kmsconf.control.bfcp.message;

/** The Request Status field of REQUEST-STATUS (RFC 8855 §5.2.5, Table 4). */
public enum RequestState {
    PENDING(1, "Pending"),
    ACCEPTED(2, "Accepted"),
    GRANTED(3, "Granted"),
    DENIED(4, "Denied"),
    CANCELLED(5, "Cancelled"),
    RELEASED(6, "Released"),
    REVOKED(7, "Revoked");

    private final int value;
    private final String rfcName;

    RequestState(int value, String rfcName) {
        this.value = value;
        this.rfcName = rfcName;
    }

    public int value() {
        return value;
    }

    public String rfcName() {
        return rfcName;
    }

    /** Denied, Cancelled, Released and Revoked end a floor request. */
    public boolean isFinal() {
        return this == DENIED || this == CANCELLED || this == RELEASED || this == REVOKED;
    }

    /** The state with this wire value, or null. */
    public static RequestState fromValue(int value) {
        return value >= 1 && value <= 7 ? values()[value - 1] : null;
    }

    @Override
    public String toString() {
        return rfcName;
    }
}
