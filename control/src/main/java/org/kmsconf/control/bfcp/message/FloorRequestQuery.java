package org.kmsconf.control.bfcp.message;

import java.util.Objects;

/** FloorRequestQuery (RFC 8855 §5.3.3): (FLOOR-REQUEST-ID); asks for the status of a floor request. */
public record FloorRequestQuery(CommonHeader header, int floorRequestId) implements BfcpMessage {
    public FloorRequestQuery {
        Objects.requireNonNull(header, "header");
        Texts.u16(floorRequestId, "Floor Request ID");
    }

    @Override
    public Primitive primitive() {
        return Primitive.FLOOR_REQUEST_QUERY;
    }
}
