package org.kmsconf.control.bfcp.message;

import java.util.Optional;

/**
 * The grouped attribute FLOOR-REQUEST-STATUS (RFC 8855 §5.2.17): Floor ID, [REQUEST-STATUS], [STATUS-INFO]; the
 * status of a floor request for one floor. (Named apart from the primitive {@link FloorRequestStatus}.)
 */
public record FloorRequestStatusAttribute(int floorId, Optional<RequestStatus> status, Optional<String> statusInfo) {
    public FloorRequestStatusAttribute {
        Texts.u16(floorId, "Floor ID");
        statusInfo = Texts.text(statusInfo, "STATUS-INFO");
    }

    public static FloorRequestStatusAttribute of(int floorId, RequestStatus status) {
        return new FloorRequestStatusAttribute(floorId, Optional.of(status), Optional.empty());
    }
}
