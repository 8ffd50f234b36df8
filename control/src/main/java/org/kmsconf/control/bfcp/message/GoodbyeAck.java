package org.kmsconf.control.bfcp.message;

import java.util.Objects;

/** GoodbyeAck (RFC 8855 §5.3.17): answers Goodbye. */
public record GoodbyeAck(CommonHeader header) implements BfcpMessage {
    public GoodbyeAck {
        Objects.requireNonNull(header, "header");
    }

    @Override
    public Primitive primitive() {
        return Primitive.GOODBYE_ACK;
    }
}
