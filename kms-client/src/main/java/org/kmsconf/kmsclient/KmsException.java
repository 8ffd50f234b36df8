package org.kmsconf.kmsclient;

import org.kmsconf.mikey.ErrorCode;

/**
 * A KMS exchange failed. {@link #kind()} says how: no KMS address answered, an HTTP status other than 200, a MIKEY
 * error message from the KMS (then {@link #mikeyError()} is its error code), or an answer that is not a MIKEY message.
 * The message is one line and never contains key material.
 */
public final class KmsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** No KMS address could be connected to (or each answered 5xx); see the message for the last cause. */
        UNREACHABLE,
        /** The request was sent but no answer came within the request timeout (not retried: it may have been processed). */
        TIMEOUT,
        /** The KMS answered with an HTTP status other than 200 (e.g. 400, 413, 415). */
        HTTP_STATUS,
        /** The KMS answered with a MIKEY error message. */
        MIKEY_ERROR,
        /** The answer is not what the protocol expects (wrong media type, undecodable, failed verification). */
        PROTOCOL
    }

    private final Kind kind;
    private final int httpStatus;
    private final ErrorCode mikeyError;

    public KmsException(Kind kind, String message, int httpStatus, ErrorCode mikeyError, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.mikeyError = mikeyError;
    }

    public static KmsException unreachable(String message, Throwable cause) {
        return new KmsException(Kind.UNREACHABLE, message, -1, null, cause);
    }

    public static KmsException timeout(String message, Throwable cause) {
        return new KmsException(Kind.TIMEOUT, message, -1, null, cause);
    }

    public static KmsException httpStatus(int status, String message) {
        return new KmsException(Kind.HTTP_STATUS, message, status, null, null);
    }

    public static KmsException mikeyError(ErrorCode code, String message) {
        return new KmsException(Kind.MIKEY_ERROR, message, 200, code, null);
    }

    public static KmsException protocol(String message, Throwable cause) {
        return new KmsException(Kind.PROTOCOL, message, 200, null, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or -1 when there was no HTTP answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The MIKEY error code of a {@link Kind#MIKEY_ERROR}, else null. */
    public ErrorCode mikeyError() {
        return mikeyError;
    }
}
