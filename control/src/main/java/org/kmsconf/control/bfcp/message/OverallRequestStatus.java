package org.kmsconf.control.bfcp.message;

import java.util.Optional;

/** OVERALL-REQUEST-STATUS (RFC 8855 §5.2.18): Floor Request ID, [REQUEST-STATUS], [STATUS-INFO]. */
public record OverallRequestStatus(int floorRequestId, Optional<RequestStatus> status, Optional<String> statusInfo) {
    public OverallRequestStatus {
        Texts.u16(floorRequestId, "Floor Request ID");
        statusInfo = Texts.text(statusInfo, "STATUS-INFO");
    }

    public static OverallRequestStatus of(int floorRequestId, RequestStatus status) {
        return new OverallRequestStatus(floorRequestId, Optional.of(status), Optional.empty());
    }
}
