package org.kmsconf.control.confinfo;

/** An endpoint's {@code disconnection-method} (RFC 4575 §5.4.5): departed (left), booted (removed), failed, busy. */
public enum DisconnectionMethod {
    DEPARTED("departed"),
    BOOTED("booted"),
    FAILED("failed"),
    BUSY("busy");

    private final String xml;

    DisconnectionMethod(String xml) {
        this.xml = xml;
    }

    /** The value as written in the document. */
    public String xml() {
        return xml;
    }

    /** The constant for a document value, or null. */
    public static DisconnectionMethod fromXml(String s) {
        for (DisconnectionMethod v : values()) {
            if (v.xml.equals(s)) {
                return v;
            }
        }
        return null;
    }
}
