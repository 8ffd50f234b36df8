package org.kmsconf.sip;

/**
 * A flow did not complete. {@link #status()} is the SIP final status that refused it (403, 488, ...) or 0 when it
 * failed locally (KMS refused our ticket request, TRANSFER_RESP did not verify, timeout). The message is one line,
 * carries the peer's Warning text when there was one, and never key material.
 */
public final class FlowFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    public FlowFailedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public FlowFailedException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
