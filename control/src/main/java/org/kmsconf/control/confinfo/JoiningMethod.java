package org.kmsconf.control.confinfo;

/** An endpoint's {@code joining-method} (RFC 4575 §5.4.3). */
public enum JoiningMethod {
    DIALED_IN("dialed-in"),
    DIALED_OUT("dialed-out"),
    FOCUS_OWNER("focus-owner");

    private final String xml;

    JoiningMethod(String xml) {
        this.xml = xml;
    }

    /** The value as written in the document. */
    public String xml() {
        return xml;
    }

    /** The constant for a document value, or null. */
    public static JoiningMethod fromXml(String s) {
        for (JoiningMethod v : values()) {
            if (v.xml.equals(s)) {
                return v;
            }
        }
        return null;
    }
}
