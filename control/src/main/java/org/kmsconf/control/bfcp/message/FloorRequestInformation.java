package org.kmsconf.control.bfcp.message;

import java.util.List;
import java.util.Optional;

/**
 * FLOOR-REQUEST-INFORMATION (RFC 8855 §5.2.15): Floor Request ID, [OVERALL-REQUEST-STATUS],
 * 1*(FLOOR-REQUEST-STATUS), [BENEFICIARY-INFORMATION], [REQUESTED-BY-INFORMATION], [PRIORITY],
 * [PARTICIPANT-PROVIDED-INFO]. Like every attribute its encoding is at most 255 octets (8-bit Length); the encoder
 * refuses a larger one.
 */
public record FloorRequestInformation(int floorRequestId, Optional<OverallRequestStatus> overallStatus,
        List<FloorRequestStatusAttribute> floorStatuses, Optional<BeneficiaryInformation> beneficiary,
        Optional<RequestedByInformation> requestedBy, Optional<Priority> priority,
        Optional<String> participantProvidedInfo) {

    public FloorRequestInformation {
        Texts.u16(floorRequestId, "Floor Request ID");
        floorStatuses = List.copyOf(floorStatuses);
        if (floorStatuses.isEmpty()) {
            throw new IllegalArgumentException("FLOOR-REQUEST-INFORMATION needs at least one FLOOR-REQUEST-STATUS");
        }
        participantProvidedInfo = Texts.text(participantProvidedInfo, "PARTICIPANT-PROVIDED-INFO");
    }

    /** A request for one floor in one state, its overall status the same, nothing else. */
    public static FloorRequestInformation of(int floorRequestId, int floorId, RequestStatus status) {
        return new FloorRequestInformation(floorRequestId, Optional.of(OverallRequestStatus.of(floorRequestId, status)),
                List.of(FloorRequestStatusAttribute.of(floorId, status)), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }
}
