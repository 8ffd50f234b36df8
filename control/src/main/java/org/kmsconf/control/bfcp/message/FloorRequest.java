package org.kmsconf.control.bfcp.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * FloorRequest (RFC 8855 §5.3.1): 1*(FLOOR-ID) [BENEFICIARY-ID] [PARTICIPANT-PROVIDED-INFO] [PRIORITY]. A
 * BENEFICIARY-ID makes it a third-party request.
 */
public record FloorRequest(CommonHeader header, List<Integer> floorIds, OptionalInt beneficiaryId,
        Optional<String> participantProvidedInfo, Optional<Priority> priority) implements BfcpMessage {

    public FloorRequest {
        Objects.requireNonNull(header, "header");
        floorIds = Texts.u16s(floorIds, "Floor ID");
        if (floorIds.isEmpty()) {
            throw new IllegalArgumentException("FloorRequest needs at least one FLOOR-ID");
        }
        beneficiaryId.ifPresent(b -> Texts.u16(b, "Beneficiary ID"));
        participantProvidedInfo = Texts.text(participantProvidedInfo, "PARTICIPANT-PROVIDED-INFO");
    }

    /** A request for one floor for oneself. */
    public static FloorRequest of(CommonHeader header, int floorId) {
        return new FloorRequest(header, List.of(floorId), OptionalInt.empty(), Optional.empty(), Optional.empty());
    }

    @Override
    public Primitive primitive() {
        return Primitive.FLOOR_REQUEST;
    }
}
