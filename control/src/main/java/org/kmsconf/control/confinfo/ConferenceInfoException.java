package org.kmsconf.control.confinfo;

/** A conference-info document that is not well-formed, not RFC 4575 as we read it, or unsafe (a DTD, entities). */
public final class ConferenceInfoException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConferenceInfoException(String message) {
        super(message);
    }

    public ConferenceInfoException(String message, Throwable cause) {
        super(message, cause);
    }
}
