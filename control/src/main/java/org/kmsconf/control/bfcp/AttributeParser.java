package org.kmsconf.control.bfcp;

import java.util.ArrayList;
import java.util.List;
import org.kmsconf.control.bfcp.message.AttributeType;
import org.kmsconf.control.bfcp.message.ErrorCode;

/**
 * Splits a run of attributes into {@link RawAttribute}s (RFC 8855 §5.2): {@code Type(7) M(1) | Length(8) | content},
 * padded to 4 octets. Every Length is checked against the bytes that remain before it is used; fixed-size formats
 * must have Length 4; a grouped attribute's content is parsed as attributes that must end exactly at its Length.
 * Unknown types are skipped, and collected when their M bit asks for an Unknown Mandatory Attribute error.
 */
final class AttributeParser {
    private final byte[] b;
    private final List<Integer> unknownMandatory = new ArrayList<>();

    AttributeParser(byte[] message) {
        this.b = message;
    }

    /** Attribute types with M = 1 that RFC 8855 does not define, in the order met. */
    List<Integer> unknownMandatory() {
        return unknownMandatory;
    }

    List<RawAttribute> parse(int from, int to) {
        List<RawAttribute> out = new ArrayList<>();
        int p = from;
        while (p < to) {
            if (to - p < 2) {
                throw fail("attribute header truncated", p);
            }
            int typeValue = (b[p] & 0xFF) >>> 1;
            boolean mandatory = (b[p] & 1) != 0;
            int len = b[p + 1] & 0xFF;
            if (len < 2) {
                throw fail("attribute Length " + len + " is shorter than its header", p + 1);
            }
            int padded = (len + 3) & ~3;
            if (padded > to - p) {
                throw fail("attribute Length " + len + " runs past the end of its container", p + 1);
            }
            AttributeType type = AttributeType.fromValue(typeValue);
            if (type == null) {
                if (mandatory) {
                    unknownMandatory.add(typeValue);
                }
                p += padded;
                continue;
            }
            List<RawAttribute> children = List.of();
            switch (type.format()) {
                case UNSIGNED16, OCTET_STRING16 -> {
                    if (len != 4) {
                        throw fail(type + " must have Length 4, not " + len, p + 1);
                    }
                }
                case GROUPED -> {
                    if (len < 4) {
                        throw fail(type + " shorter than its 4-octet header", p + 1);
                    }
                    children = parse(p + 4, p + len);
                }
                case OCTET_STRING -> {
                    if (type == AttributeType.ERROR_CODE && len < 3) {
                        throw fail("ERROR-CODE without an error code", p + 1);
                    }
                }
            }
            out.add(new RawAttribute(type, p, b, p + 2, p + len, children));
            p += padded;
        }
        return out;
    }

    static BfcpException fail(String why, int at) {
        return new BfcpException(ErrorCode.UNABLE_TO_PARSE_MESSAGE, why, at);
    }
}
