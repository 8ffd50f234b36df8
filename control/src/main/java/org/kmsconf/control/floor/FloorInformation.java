package org.kmsconf.control.floor;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.kmsconf.control.bfcp.message.BeneficiaryInformation;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.FloorRequestInformation;
import org.kmsconf.control.bfcp.message.FloorRequestStatusAttribute;
import org.kmsconf.control.bfcp.message.FloorStatus;
import org.kmsconf.control.bfcp.message.OverallRequestStatus;
import org.kmsconf.control.bfcp.message.RequestStatus;
import org.kmsconf.control.bfcp.message.RequestedByInformation;

/**
 * How the floor control server describes its requests and floors (RFC 8855 §5.3): FLOOR-REQUEST-INFORMATION with the
 * queue position while Accepted, the FloorStatus of a floor, BENEFICIARY-INFORMATION with the participant's USER-URI.
 * Reads the server's floors and participants, under the server's lock.
 */
final class FloorInformation {
    /** A USER-URI longer than this is left out of BENEFICIARY-INFORMATION, keeping attributes under 255 octets. */
    private static final int MAX_URI_BYTES = 128;

    private final Map<Integer, FloorQueue> floors;
    private final Map<Integer, Optional<String>> userUris;

    FloorInformation(Map<Integer, FloorQueue> floors, Map<Integer, Optional<String>> userUris) {
        this.floors = floors;
        this.userUris = userUris;
    }

    /** The USER-URI kept for a participant: none when too long to send. */
    static Optional<String> sendableUri(Optional<String> uri) {
        return uri.filter(u -> u.getBytes(StandardCharsets.UTF_8).length <= MAX_URI_BYTES);
    }

    /** FLOOR-REQUEST-INFORMATION of a request, with its queue position while Accepted. */
    FloorRequestInformation of(FloorRequestRecord r) {
        int position = floors.get(r.floorId).queuePosition(r);
        RequestStatus s = new RequestStatus(r.state, Math.min(position, 0xFF));
        return new FloorRequestInformation(r.id, Optional.of(OverallRequestStatus.of(r.id, s)),
                List.of(FloorRequestStatusAttribute.of(r.floorId, s)), Optional.of(beneficiary(r.beneficiaryId)),
                r.requesterId == r.beneficiaryId ? Optional.empty()
                        : Optional.of(RequestedByInformation.of(r.requesterId)),
                Optional.empty(), Optional.empty());
    }

    FloorStatus floorStatus(CommonHeader h, int floorId) {
        return new FloorStatus(h, OptionalInt.of(floorId), floors.get(floorId).requests().stream().map(this::of)
                .toList());
    }

    BeneficiaryInformation beneficiary(int userId) {
        return new BeneficiaryInformation(userId, Optional.empty(), userUris.getOrDefault(userId, Optional.empty()));
    }
}
