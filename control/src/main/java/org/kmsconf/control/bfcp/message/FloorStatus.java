package org.kmsconf.control.bfcp.message;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/** FloorStatus (RFC 8855 §5.3.8): [FLOOR-ID] *(FLOOR-REQUEST-INFORMATION); the requests of one floor. */
public record FloorStatus(CommonHeader header, OptionalInt floorId, List<FloorRequestInformation> floorRequests)
        implements BfcpMessage {
    public FloorStatus {
        Objects.requireNonNull(header, "header");
        floorId.ifPresent(f -> Texts.u16(f, "Floor ID"));
        floorRequests = List.copyOf(floorRequests);
    }

    @Override
    public Primitive primitive() {
        return Primitive.FLOOR_STATUS;
    }
}
