package org.kmsconf.control.floor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What one call to the floor control server changed: the messages already due (the answer first), the requests and
 * floors whose state changed, who held each floor before, and which request's status the answer already carried to
 * whom (that one is not notified again).
 */
final class FloorChanges {
    final List<Outgoing> out = new ArrayList<>();
    private final Map<Integer, FloorRequestRecord> requests = new LinkedHashMap<>();
    private final Set<Integer> floors = new LinkedHashSet<>();
    private final Map<Integer, OptionalInt> holdersBefore;
    private int answeredRequest = -1;
    private int answeredUser = -1;

    FloorChanges(Map<Integer, OptionalInt> holdersBefore) {
        this.holdersBefore = holdersBefore;
    }

    void changed(FloorRequestRecord r) {
        requests.put(r.id, r);
        floors.add(r.floorId);
    }

    void floorChanged(int floorId) {
        floors.add(floorId);
    }

    void answered(int userId, FloorRequestRecord r) {
        answeredRequest = r.id;
        answeredUser = userId;
    }

    boolean wasAnswered(FloorRequestRecord r, int userId) {
        return r.id == answeredRequest && userId == answeredUser;
    }

    Collection<FloorRequestRecord> requests() {
        return requests.values();
    }

    Set<Integer> floors() {
        return floors;
    }

    Map<Integer, OptionalInt> holdersBefore() {
        return holdersBefore;
    }
}
