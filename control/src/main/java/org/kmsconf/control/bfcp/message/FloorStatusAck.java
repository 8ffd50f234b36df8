package org.kmsconf.control.bfcp.message;

import java.util.Objects;

/** FloorStatusAck (RFC 8855 §5.3.15): acknowledges a FloorStatus over an unreliable transport; never sent over TCP. */
public record FloorStatusAck(CommonHeader header) implements BfcpMessage {
    public FloorStatusAck {
        Objects.requireNonNull(header, "header");
    }

    @Override
    public Primitive primitive() {
        return Primitive.FLOOR_STATUS_ACK;
    }
}
