package org.kmsconf.control.bfcp.message;

import java.util.Objects;
import java.util.OptionalInt;

/** UserQuery (RFC 8855 §5.3.5): [BENEFICIARY-ID]; asks for a user's floor requests (the sender's without one). */
public record UserQuery(CommonHeader header, OptionalInt beneficiaryId) implements BfcpMessage {
    public UserQuery {
        Objects.requireNonNull(header, "header");
        beneficiaryId.ifPresent(b -> Texts.u16(b, "Beneficiary ID"));
    }

    @Override
    public Primitive primitive() {
        return Primitive.USER_QUERY;
    }
}
