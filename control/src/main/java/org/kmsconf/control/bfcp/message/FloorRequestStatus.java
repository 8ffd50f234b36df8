package org.kmsconf.control.bfcp.message;

import java.util.Objects;

/** FloorRequestStatus (RFC 8855 §5.3.4): (FLOOR-REQUEST-INFORMATION); the status of a floor request, as an answer or a notification to the requester. */
public record FloorRequestStatus(CommonHeader header, FloorRequestInformation floorRequestInformation) implements BfcpMessage {
    public FloorRequestStatus {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(floorRequestInformation, "floorRequestInformation");
    }

    @Override
    public Primitive primitive() {
        return Primitive.FLOOR_REQUEST_STATUS;
    }
}
