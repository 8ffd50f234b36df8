package org.kmsconf.control.confinfo;

/** The {@code state} attribute of the document, a user and an endpoint (RFC 4575 §5.1): full, partial or deleted. */
public enum State {
    FULL("full"),
    PARTIAL("partial"),
    DELETED("deleted");

    private final String xml;

    State(String xml) {
        this.xml = xml;
    }

    /** The value as written in the document. */
    public String xml() {
        return xml;
    }

    /** The constant for a document value, or null. */
    public static State fromXml(String s) {
        for (State v : values()) {
            if (v.xml.equals(s)) {
                return v;
            }
        }
        return null;
    }
}
