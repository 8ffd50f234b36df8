package org.kmsconf.control.floor;

import org.kmsconf.control.bfcp.message.RequestState;

/** One floor request as the server keeps it: who asked, for whom, for which floor, and its state. */
final class FloorRequestRecord {
    final int id;
    final int floorId;
    final int requesterId;
    final int beneficiaryId;
    RequestState state;

    FloorRequestRecord(int id, int floorId, int requesterId, int beneficiaryId, RequestState state) {
        this.id = id;
        this.floorId = floorId;
        this.requesterId = requesterId;
        this.beneficiaryId = beneficiaryId;
        this.state = state;
    }

    boolean concerns(int userId) {
        return requesterId == userId || beneficiaryId == userId;
    }
}
