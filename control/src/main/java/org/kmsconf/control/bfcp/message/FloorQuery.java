package org.kmsconf.control.bfcp.message;

import java.util.List;
import java.util.Objects;

/** FloorQuery (RFC 8855 §5.3.7): *(FLOOR-ID); asks for the status of floors (and to be told of changes). */
public record FloorQuery(CommonHeader header, List<Integer> floorIds) implements BfcpMessage {
    public FloorQuery {
        Objects.requireNonNull(header, "header");
        floorIds = Texts.u16s(floorIds, "Floor ID");
    }

    @Override
    public Primitive primitive() {
        return Primitive.FLOOR_QUERY;
    }
}
