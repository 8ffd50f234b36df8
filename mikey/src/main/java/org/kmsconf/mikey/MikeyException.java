package org.kmsconf.mikey;

/**
 * The one exception the protocol core throws for bad input or a failed check. It names the MIKEY error code to
 * answer with and, for a parse error, the byte offset where parsing stopped (-1 otherwise). Its message never
 * contains key material.
 */
public class MikeyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;
    private final int offset;

    public MikeyException(ErrorCode errorCode, String message) {
        this(errorCode, message, -1);
    }

    public MikeyException(ErrorCode errorCode, String message, int offset) {
        super(message, null, false, false);
        this.errorCode = errorCode;
        this.offset = offset;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    /** Byte offset where parsing stopped, or -1 when the failure is not a parse error. */
    public int offset() {
        return offset;
    }

    @Override
    public String getMessage() {
        String m = super.getMessage();
        return offset >= 0 ? m + " (" + errorCode + " at offset " + offset + ")" : m + " (" + errorCode + ")";
    }
}
