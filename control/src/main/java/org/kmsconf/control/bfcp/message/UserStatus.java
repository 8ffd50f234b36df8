package org.kmsconf.control.bfcp.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** UserStatus (RFC 8855 §5.3.6): [BENEFICIARY-INFORMATION] *(FLOOR-REQUEST-INFORMATION). */
public record UserStatus(CommonHeader header, Optional<BeneficiaryInformation> beneficiary,
        List<FloorRequestInformation> floorRequests) implements BfcpMessage {
    public UserStatus {
        Objects.requireNonNull(header, "header");
        floorRequests = List.copyOf(floorRequests);
    }

    @Override
    public Primitive primitive() {
        return Primitive.USER_STATUS;
    }
}
