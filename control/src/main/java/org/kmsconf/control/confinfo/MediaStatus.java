package org.kmsconf.control.confinfo;

/** A media stream's {@code status} (RFC 4575 §5.4.9), as SDP directions. */
public enum MediaStatus {
    RECVONLY("recvonly"),
    SENDONLY("sendonly"),
    SENDRECV("sendrecv"),
    INACTIVE("inactive");

    private final String xml;

    MediaStatus(String xml) {
        this.xml = xml;
    }

    /** The value as written in the document. */
    public String xml() {
        return xml;
    }

    /** The constant for a document value, or null. */
    public static MediaStatus fromXml(String s) {
        for (MediaStatus v : values()) {
            if (v.xml.equals(s)) {
                return v;
            }
        }
        return null;
    }
}
