package org.kmsconf.control.confinfo;

/** An endpoint's {@code status} (RFC 4575 §5.4.2). */
public enum EndpointStatus {
    CONNECTED("connected"),
    DISCONNECTED("disconnected"),
    ON_HOLD("on-hold"),
    MUTED_VIA_FOCUS("muted-via-focus"),
    PENDING("pending"),
    ALERTING("alerting"),
    DIALING_IN("dialing-in"),
    DIALING_OUT("dialing-out"),
    DISCONNECTING("disconnecting");

    private final String xml;

    EndpointStatus(String xml) {
        this.xml = xml;
    }

    /** The value as written in the document. */
    public String xml() {
        return xml;
    }

    /** The constant for a document value, or null. */
    public static EndpointStatus fromXml(String s) {
        for (EndpointStatus v : values()) {
            if (v.xml.equals(s)) {
                return v;
            }
        }
        return null;
    }
}
