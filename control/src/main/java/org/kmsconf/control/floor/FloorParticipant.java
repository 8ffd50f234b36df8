package org.kmsconf.control.floor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.ChairAction;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.FloorQuery;
import org.kmsconf.control.bfcp.message.FloorRelease;
import org.kmsconf.control.bfcp.message.FloorRequest;
import org.kmsconf.control.bfcp.message.FloorRequestInformation;
import org.kmsconf.control.bfcp.message.FloorRequestQuery;
import org.kmsconf.control.bfcp.message.FloorRequestStatus;
import org.kmsconf.control.bfcp.message.FloorStatus;
import org.kmsconf.control.bfcp.message.Goodbye;
import org.kmsconf.control.bfcp.message.Hello;
import org.kmsconf.control.bfcp.message.RequestState;
import org.kmsconf.control.bfcp.message.RequestStatus;
import org.kmsconf.control.bfcp.message.UserQuery;

/**
 * The floor participant (and chair) side of BFCP (RFC 8855 §10-§12), without I/O: builds requests with fresh
 * non-zero Transaction IDs and this participant's Conference ID and User ID, and keeps what the floor control
 * server said: the state of its own floor requests and, per floor, the latest FloorStatus (hence the holder).
 * A transport ({@code org.kmsconf.control.tls.BfcpClient}) sends the requests and feeds every received message to
 * {@link #receive}. Thread-safe.
 */
public final class FloorParticipant {
    /** Told of every status the server sends; called from the receiving thread. */
    public interface Listener {
        default void requestStatus(FloorRequestInformation request) {
        }

        default void floorStatus(int floorId, OptionalInt holder, List<FloorRequestInformation> requests) {
        }
    }

    private final long conferenceId;
    private final int userId;
    private final Listener listener;
    private final Map<Integer, RequestState> myRequests = new HashMap<>();
    private final Map<Integer, List<FloorRequestInformation>> floors = new HashMap<>();
    private int nextTransactionId = 1;

    public FloorParticipant(long conferenceId, int userId, Listener listener) {
        this.conferenceId = conferenceId;
        this.userId = userId;
        this.listener = listener;
    }

    public long conferenceId() {
        return conferenceId;
    }

    public int userId() {
        return userId;
    }

    /** RFC 8855 §8: a client's transaction IDs are non-zero (0 marks the server's notifications over TCP). */
    private synchronized CommonHeader next() {
        int tid = nextTransactionId;
        nextTransactionId = tid == 0xFFFF ? 1 : tid + 1;
        return CommonHeader.request(conferenceId, tid, userId);
    }

    public Hello hello() {
        return new Hello(next());
    }

    public Goodbye goodbye() {
        return new Goodbye(next());
    }

    public FloorRequest requestFloor(int floorId) {
        return FloorRequest.of(next(), floorId);
    }

    public FloorRelease release(int floorRequestId) {
        return new FloorRelease(next(), floorRequestId);
    }

    public FloorRequestQuery query(int floorRequestId) {
        return new FloorRequestQuery(next(), floorRequestId);
    }

    public FloorQuery floorQuery(List<Integer> floorIds) {
        return new FloorQuery(next(), floorIds);
    }

    public UserQuery userQuery() {
        return new UserQuery(next(), OptionalInt.empty());
    }

    /** A chair's decision on a request for {@code floorId}: Accepted, Granted, Denied or Revoked. */
    public ChairAction chairAction(int floorRequestId, int floorId, RequestState decision) {
        return new ChairAction(next(), FloorRequestInformation.of(floorRequestId, floorId,
                RequestStatus.of(decision)));
    }

    /** Takes in a message from the floor control server. */
    public void receive(BfcpMessage m) {
        if (m instanceof FloorRequestStatus s) {
            FloorRequestInformation i = s.floorRequestInformation();
            Optional<RequestState> st = i.overallStatus().flatMap(o -> o.status()).map(RequestStatus::state)
                    .or(() -> i.floorStatuses().get(0).status().map(RequestStatus::state));
            synchronized (this) {
                st.ifPresent(state -> {
                    if (state.isFinal()) {
                        myRequests.remove(i.floorRequestId());
                    } else {
                        myRequests.put(i.floorRequestId(), state);
                    }
                });
            }
            listener.requestStatus(i);
        } else if (m instanceof FloorStatus s && s.floorId().isPresent()) {
            int f = s.floorId().getAsInt();
            synchronized (this) {
                floors.put(f, s.floorRequests());
            }
            listener.floorStatus(f, holderOf(s.floorRequests()), s.floorRequests());
        }
    }

    /** The state of one of this participant's open requests, as last reported. */
    public synchronized Optional<RequestState> myRequest(int floorRequestId) {
        return Optional.ofNullable(myRequests.get(floorRequestId));
    }

    /** The holder of a floor according to the last FloorStatus for it. */
    public synchronized OptionalInt holder(int floorId) {
        return holderOf(floors.getOrDefault(floorId, List.of()));
    }

    /** The requests of a floor according to the last FloorStatus for it. */
    public synchronized List<FloorRequestInformation> requests(int floorId) {
        return floors.getOrDefault(floorId, List.of());
    }

    static OptionalInt holderOf(List<FloorRequestInformation> requests) {
        for (FloorRequestInformation i : requests) {
            boolean granted = i.floorStatuses().stream().anyMatch(s -> s.status()
                    .filter(x -> x.state() == RequestState.GRANTED).isPresent());
            if (granted && i.beneficiary().isPresent()) {
                return OptionalInt.of(i.beneficiary().get().beneficiaryId());
            }
        }
        return OptionalInt.empty();
    }
}
