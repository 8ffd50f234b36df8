package org.kmsconf.control.bfcp.message;

import java.util.Objects;

/** FloorRelease (RFC 8855 §5.3.2): (FLOOR-REQUEST-ID); releases a granted floor or cancels a pending request. */
public record FloorRelease(CommonHeader header, int floorRequestId) implements BfcpMessage {
    public FloorRelease {
        Objects.requireNonNull(header, "header");
        Texts.u16(floorRequestId, "Floor Request ID");
    }

    @Override
    public Primitive primitive() {
        return Primitive.FLOOR_RELEASE;
    }
}
