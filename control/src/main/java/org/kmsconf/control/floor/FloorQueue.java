package org.kmsconf.control.floor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.kmsconf.control.bfcp.message.RequestState;

/**
 * One floor's open requests, in order: the granted one first, then the queue (Accepted) in order, then Pending.
 * A request is appended when it opens and taken out when it ends; a state change re-sorts by rank, keeping the
 * queue's order.
 */
final class FloorQueue {
    private final List<FloorRequestRecord> requests = new ArrayList<>();

    /** The open requests in order (a view). */
    List<FloorRequestRecord> requests() {
        return Collections.unmodifiableList(requests);
    }

    void add(FloorRequestRecord r) {
        requests.add(r);
    }

    void remove(FloorRequestRecord r) {
        requests.remove(r);
    }

    /** After a state change: granted first, then Accepted, then Pending; stable, so the queue keeps its order. */
    void reorder() {
        requests.sort(Comparator.comparingInt(x -> rank(x.state)));
    }

    private static int rank(RequestState s) {
        return s == RequestState.GRANTED ? 0 : s == RequestState.ACCEPTED ? 1 : 2;
    }

    Optional<FloorRequestRecord> granted() {
        return requests.stream().filter(r -> r.state == RequestState.GRANTED).findFirst();
    }

    /** The head of the queue: the first Accepted request. */
    Optional<FloorRequestRecord> next() {
        return requests.stream().filter(r -> r.state == RequestState.ACCEPTED).findFirst();
    }

    boolean hasRequestFor(int beneficiaryId) {
        return requests.stream().anyMatch(r -> r.beneficiaryId == beneficiaryId);
    }

    /** A chair's Accepted with a Queue Position puts the request there (1 = next), else at the end. */
    void placeInQueue(FloorRequestRecord r, int position) {
        if (position <= 0) {
            return;
        }
        requests.remove(r);
        int granted = (int) requests.stream().filter(x -> x.state == RequestState.GRANTED).count();
        int accepted = (int) requests.stream().filter(x -> x.state == RequestState.ACCEPTED).count();
        requests.add(granted + Math.min(position - 1, accepted), r);
    }

    /** 1 for the head of the queue, 2 for the next, ...; 0 for a request that is not Accepted. */
    int queuePosition(FloorRequestRecord r) {
        int position = 0;
        if (r.state == RequestState.ACCEPTED) {
            for (FloorRequestRecord x : requests) {
                if (x.state == RequestState.ACCEPTED) {
                    position++;
                }
                if (x == r) {
                    break;
                }
            }
        }
        return position;
    }
}
