package org.kmsconf.control.bfcp.message;

import java.util.Objects;

/** ChairAction (RFC 8855 §5.3.9): (FLOOR-REQUEST-INFORMATION); a chair accepts, grants, denies or revokes a floor request. */
public record ChairAction(CommonHeader header, FloorRequestInformation floorRequestInformation) implements BfcpMessage {
    public ChairAction {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(floorRequestInformation, "floorRequestInformation");
    }

    @Override
    public Primitive primitive() {
        return Primitive.CHAIR_ACTION;
    }
}
