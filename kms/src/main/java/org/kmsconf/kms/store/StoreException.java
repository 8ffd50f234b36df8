package org.kmsconf.kms.store;

/** The store failed (unreachable, constraint, migration). The message is one line and never holds key bytes. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
