package org.kmsconf.control.bfcp.message;

import java.util.Objects;

/** Goodbye (RFC 8855 §5.3.16): the sender is leaving; the peer answers GoodbyeAck. */
public record Goodbye(CommonHeader header) implements BfcpMessage {
    public Goodbye {
        Objects.requireNonNull(header, "header");
    }

    @Override
    public Primitive primitive() {
        return Primitive.GOODBYE;
    }
}
