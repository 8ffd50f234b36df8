package org.kmsconf.control.bfcp.message;

import java.util.Objects;

/** FloorRequestStatusAck (RFC 8855 §5.3.14): acknowledges a FloorRequestStatus over an unreliable transport; never sent over TCP. */
public record FloorRequestStatusAck(CommonHeader header) implements BfcpMessage {
    public FloorRequestStatusAck {
        Objects.requireNonNull(header, "header");
    }

    @Override
    public Primitive primitive() {
        return Primitive.FLOOR_REQUEST_STATUS_ACK;
    }
}
