package org.kmsconf.control.bfcp.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Error (RFC 8855 §5.3.13): (ERROR-CODE) [ERROR-INFO]. {@code details} are the Error Specific Details octets; only
 * Unknown Mandatory Attribute defines them (one octet per unknown attribute type: type << 1), every other code has
 * none. (Named BfcpError so as not to hide {@link java.lang.Error}.)
 */
public record BfcpError(CommonHeader header, ErrorCode code, List<Integer> details, Optional<String> errorInfo)
        implements BfcpMessage {
    public BfcpError {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(code, "code");
        details = List.copyOf(details);
        if (!details.isEmpty() && code != ErrorCode.UNKNOWN_MANDATORY_ATTRIBUTE) {
            throw new IllegalArgumentException("only Unknown Mandatory Attribute carries Error Specific Details");
        }
        if (details.size() > 252) {
            throw new IllegalArgumentException("at most 252 unknown attributes (8-bit attribute Length)");
        }
        for (int d : details) {
            if (d < 0 || d > 0xFF) {
                throw new IllegalArgumentException("details are octets");
            }
        }
        errorInfo = Texts.text(errorInfo, "ERROR-INFO");
    }

    /** An error with a human-readable ERROR-INFO. */
    public static BfcpError of(CommonHeader header, ErrorCode code, String info) {
        return new BfcpError(header, code, List.of(), Optional.of(info));
    }

    /** Unknown Mandatory Attribute naming the attribute types (RFC 8855 §5.2.6). */
    public static BfcpError unknownMandatoryAttributes(CommonHeader header, List<Integer> types) {
        return new BfcpError(header, ErrorCode.UNKNOWN_MANDATORY_ATTRIBUTE,
                types.stream().map(t -> (t & 0x7F) << 1).toList(), Optional.empty());
    }

    /** The attribute types of Unknown Mandatory Attribute's details. */
    public List<Integer> unknownAttributeTypes() {
        return details.stream().map(d -> d >> 1).toList();
    }

    @Override
    public Primitive primitive() {
        return Primitive.ERROR;
    }
}
