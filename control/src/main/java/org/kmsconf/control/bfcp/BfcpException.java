package org.kmsconf.control.bfcp;

import java.util.List;
import java.util.Optional;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.ErrorCode;

/**
 * A BFCP message that cannot be decoded: the BFCP error code to answer with (RFC 8855 §13.7), the byte offset where
 * decoding stopped, the common header when it could be read (so the answer can carry its Conference ID, Transaction
 * ID and User ID), and for {@link ErrorCode#UNKNOWN_MANDATORY_ATTRIBUTE} the unknown attribute types. The only
 * exception the decoder throws.
 */
public final class BfcpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;
    private final int offset;
    private final transient CommonHeader header;
    private final List<Integer> unknownAttributes;

    public BfcpException(ErrorCode errorCode, String message, int offset, CommonHeader header,
            List<Integer> unknownAttributes) {
        super(message + " (" + errorCode + ", at byte " + offset + ")");
        this.errorCode = errorCode;
        this.offset = offset;
        this.header = header;
        this.unknownAttributes = List.copyOf(unknownAttributes);
    }

    public BfcpException(ErrorCode errorCode, String message, int offset) {
        this(errorCode, message, offset, null, List.of());
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public int offset() {
        return offset;
    }

    /** The common header of the refused message, if it was readable. */
    public Optional<CommonHeader> header() {
        return Optional.ofNullable(header);
    }

    /** For Unknown Mandatory Attribute: the attribute types the message carried with M = 1. */
    public List<Integer> unknownAttributes() {
        return unknownAttributes;
    }

    BfcpException withHeader(CommonHeader h) {
        return new BfcpException(errorCode, rawMessage(), offset, h, unknownAttributes);
    }

    private String rawMessage() {
        String m = getMessage();
        return m.substring(0, m.lastIndexOf(" ("));
    }
}
