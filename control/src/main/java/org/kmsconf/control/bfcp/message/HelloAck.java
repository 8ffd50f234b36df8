package org.kmsconf.control.bfcp.message;

import java.util.List;
import java.util.Objects;

/**
 * HelloAck (RFC 8855 §5.3.12): (SUPPORTED-PRIMITIVES) (SUPPORTED-ATTRIBUTES). The lists hold wire values, since a
 * peer may support extensions we do not know.
 */
public record HelloAck(CommonHeader header, List<Integer> supportedPrimitives, List<Integer> supportedAttributes)
        implements BfcpMessage {
    public HelloAck {
        Objects.requireNonNull(header, "header");
        supportedPrimitives = List.copyOf(supportedPrimitives);
        supportedAttributes = List.copyOf(supportedAttributes);
        for (int p : supportedPrimitives) {
            if (p < 0 || p > 0xFF) {
                throw new IllegalArgumentException("a primitive is 8 bits");
            }
        }
        for (int a : supportedAttributes) {
            if (a < 0 || a > 0x7F) {
                throw new IllegalArgumentException("an attribute type is 7 bits");
            }
        }
        if (supportedPrimitives.size() > 253 || supportedAttributes.size() > 253) {
            throw new IllegalArgumentException("at most 253 entries (8-bit attribute Length)");
        }
    }

    /** Every primitive and attribute of this implementation. */
    public static HelloAck everythingWeSupport(CommonHeader header) {
        return new HelloAck(header, java.util.Arrays.stream(Primitive.values()).map(Primitive::value).toList(),
                java.util.Arrays.stream(AttributeType.values()).map(AttributeType::value).toList());
    }

    public boolean supports(Primitive p) {
        return supportedPrimitives.contains(p.value());
    }

    public boolean supports(AttributeType t) {
        return supportedAttributes.contains(t.value());
    }

    @Override
    public Primitive primitive() {
        return Primitive.HELLO_ACK;
    }
}
