package org.kmsconf.sip.keys;

import java.util.Optional;
import org.kmsconf.mikey.ErrorCode;

/**
 * A key-management step failed. {@link Reason} decides the SIP answer: {@code KMS_REFUSED} (an authorisation refusal
 * by the KMS) becomes 403, {@code INVALID}/{@code AUTHENTICATION}/{@code REPLAY} become 488,
 * {@code KMS_UNAVAILABLE} 503. The message is one line and never contains key material.
 */
public final class KeyManagementException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The KMS answered with a MIKEY error to an authenticated request: a policy refusal. */
        KMS_REFUSED,
        /** The KMS could not be reached or answered garbage. */
        KMS_UNAVAILABLE,
        /** A MIKEY message failed to parse or violates the profile (ticket policy, SPs, data type). */
        INVALID,
        /** A MAC or Vi check failed. */
        AUTHENTICATION,
        /** The message was seen before or its timestamp is outside the allowed skew. */
        REPLAY
    }

    private final Reason reason;
    private final transient ErrorCode mikeyError;
    private transient byte[] errorMessage;

    public KeyManagementException(Reason reason, ErrorCode mikeyError, String message) {
        super(message);
        this.reason = reason;
        this.mikeyError = mikeyError;
    }

    public KeyManagementException(Reason reason, ErrorCode mikeyError, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.mikeyError = mikeyError;
    }

    public Reason reason() {
        return reason;
    }

    /** The MIKEY error code involved (from the KMS's error message, or the one to report), if any. */
    public Optional<ErrorCode> mikeyError() {
        return Optional.ofNullable(mikeyError);
    }

    /** The same exception carrying the MIKEY error message to send the peer (a responder's refusal). */
    public KeyManagementException withErrorMessage(byte[] message) {
        this.errorMessage = message == null ? null : message.clone();
        return this;
    }

    /** The MIKEY error message answering the refused message, when one was built. */
    public Optional<byte[]> errorMessage() {
        return Optional.ofNullable(errorMessage).map(byte[]::clone);
    }
}
