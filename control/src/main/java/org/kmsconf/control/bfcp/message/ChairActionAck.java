package org.kmsconf.control.bfcp.message;

import java.util.Objects;

/** ChairActionAck (RFC 8855 §5.3.10): the floor control server accepted a ChairAction. */
public record ChairActionAck(CommonHeader header) implements BfcpMessage {
    public ChairActionAck {
        Objects.requireNonNull(header, "header");
    }

    @Override
    public Primitive primitive() {
        return Primitive.CHAIR_ACTION_ACK;
    }
}
