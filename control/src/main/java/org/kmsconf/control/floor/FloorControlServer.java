package org.kmsconf.control.floor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.kmsconf.control.bfcp.message.BeneficiaryInformation;
import org.kmsconf.control.bfcp.message.BfcpError;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.ChairAction;
import org.kmsconf.control.bfcp.message.ChairActionAck;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.ErrorCode;
import org.kmsconf.control.bfcp.message.FloorQuery;
import org.kmsconf.control.bfcp.message.FloorRelease;
import org.kmsconf.control.bfcp.message.FloorRequest;
import org.kmsconf.control.bfcp.message.FloorRequestInformation;
import org.kmsconf.control.bfcp.message.FloorRequestQuery;
import org.kmsconf.control.bfcp.message.FloorRequestStatus;
import org.kmsconf.control.bfcp.message.FloorRequestStatusAck;
import org.kmsconf.control.bfcp.message.FloorRequestStatusAttribute;
import org.kmsconf.control.bfcp.message.FloorStatus;
import org.kmsconf.control.bfcp.message.FloorStatusAck;
import org.kmsconf.control.bfcp.message.Goodbye;
import org.kmsconf.control.bfcp.message.GoodbyeAck;
import org.kmsconf.control.bfcp.message.Hello;
import org.kmsconf.control.bfcp.message.HelloAck;
import org.kmsconf.control.bfcp.message.OverallRequestStatus;
import org.kmsconf.control.bfcp.message.RequestState;
import org.kmsconf.control.bfcp.message.RequestStatus;
import org.kmsconf.control.bfcp.message.UserQuery;
import org.kmsconf.control.bfcp.message.UserStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The floor control server of one conference (RFC 8855 §13): its floors, participants (BFCP User IDs) and chair,
 * the floor requests with their queue, grant, release and the chair's actions. Plain Java, no I/O: each call returns
 * the messages to send, in order (the answer to the sender first, then notifications: FloorRequestStatus to the
 * requester and beneficiary of every request whose state changed, FloorStatus of every changed floor to every
 * participant, all with Transaction ID 0). The caller has authenticated the sender: {@link #handle} takes its User
 * ID from the transport, not from the message. Thread-safe (one lock per conference).
 */
public final class FloorControlServer {
    private static final Logger LOG = LoggerFactory.getLogger(FloorControlServer.class);

    private final long conferenceId;
    private final FloorPolicy policy;
    private final FloorHolderListener listener;
    private final Map<Integer, FloorQueue> floors = new LinkedHashMap<>();
    /** The participants' User IDs, each with its USER-URI. */
    private final Map<Integer, Optional<String>> participants = new LinkedHashMap<>();
    private final Map<Integer, FloorRequestRecord> open = new LinkedHashMap<>();
    private final FloorInformation information = new FloorInformation(floors, participants);
    private OptionalInt chair = OptionalInt.empty();
    private int nextRequestId = 1;

    public FloorControlServer(long conferenceId, Collection<Integer> floorIds, FloorPolicy policy,
            FloorHolderListener listener) {
        this.conferenceId = conferenceId;
        this.policy = Objects.requireNonNull(policy);
        this.listener = Objects.requireNonNull(listener);
        for (int f : floorIds) {
            if (f < 0 || f > 0xFFFF) {
                throw new IllegalArgumentException("Floor ID is 16 bits");
            }
            floors.put(f, new FloorQueue());
        }
        if (floors.isEmpty()) {
            throw new IllegalArgumentException("a floor control server needs a floor");
        }
    }

    public long conferenceId() {
        return conferenceId;
    }

    public synchronized Set<Integer> floorIds() {
        return Set.copyOf(floors.keySet());
    }

    /** The User ID holding a floor (its granted request's beneficiary), if any. */
    public synchronized OptionalInt holder(int floorId) {
        return granted(floorId).map(r -> OptionalInt.of(r.beneficiaryId)).orElse(OptionalInt.empty());
    }

    /** The state of an open floor request, if it is open. */
    public synchronized Optional<RequestState> state(int floorRequestId) {
        return Optional.ofNullable(open.get(floorRequestId)).map(r -> r.state);
    }

    public synchronized OptionalInt chair() {
        return chair;
    }

    public synchronized boolean isParticipant(int userId) {
        return participants.containsKey(userId);
    }

    /** A participant joins (its leg is up); it is sent the status of every floor. {@code uri} is its USER-URI. */
    public synchronized List<Outgoing> addParticipant(int userId, Optional<String> uri) {
        if (participants.containsKey(userId)) {
            throw new IllegalArgumentException("user " + userId + " is already a participant");
        }
        participants.put(userId, FloorInformation.sendableUri(uri));
        List<Outgoing> out = new ArrayList<>();
        for (int f : floors.keySet()) {
            out.add(new Outgoing(userId, information.floorStatus(CommonHeader.notification(conferenceId, userId),
                    f)));
        }
        return out;
    }

    /**
     * A participant leaves or is removed: its requests end (Cancelled, or Released if granted), the floor moves on,
     * the others are told. No message goes to the one removed. If it was the chair, the conference has none.
     */
    public synchronized List<Outgoing> removeParticipant(int userId) {
        if (!participants.containsKey(userId)) {
            return List.of();
        }
        FloorChanges op = changes();
        endRequestsOf(userId, op);
        participants.remove(userId);
        if (chair.isPresent() && chair.getAsInt() == userId) {
            noChair(op);
        }
        return finish(op);
    }

    /** The chair (the conference owner's User ID), or none. The chair must be a participant. */
    public synchronized List<Outgoing> setChair(OptionalInt userId) {
        userId.ifPresent(u -> {
            if (!participants.containsKey(u)) {
                throw new IllegalArgumentException("the chair must be a participant");
            }
        });
        FloorChanges op = changes();
        chair = userId;
        if (userId.isEmpty()) {
            noChair(op);
        }
        return finish(op);
    }

    /** Without a chair nobody can decide Pending requests: they join the queue (RFC 8855 leaves this to policy). */
    private void noChair(FloorChanges op) {
        chair = OptionalInt.empty();
        for (FloorRequestRecord r : List.copyOf(open.values())) {
            if (r.state == RequestState.PENDING) {
                setState(r, RequestState.ACCEPTED, op);
            }
        }
        floors.keySet().forEach(f -> schedule(f, op));
    }

    /**
     * A message from participant {@code fromUserId} (authenticated by the transport). Its header must carry this
     * conference and that User ID. Returns the answer and the notifications it causes.
     */
    public synchronized List<Outgoing> handle(int fromUserId, BfcpMessage m) {
        CommonHeader h = m.header();
        if (h.conferenceId() != conferenceId) {
            return List.of(error(fromUserId, m, ErrorCode.CONFERENCE_DOES_NOT_EXIST, "no conference "
                    + h.conferenceId() + " here"));
        }
        if (h.userId() != fromUserId) {
            return List.of(error(fromUserId, m, ErrorCode.UNAUTHORIZED_OPERATION, "User ID is not the sender's"));
        }
        if (!participants.containsKey(fromUserId)) {
            return List.of(error(fromUserId, m, ErrorCode.USER_DOES_NOT_EXIST, "not a participant"));
        }
        if (m instanceof FloorRequest r) {
            return floorRequest(fromUserId, r);
        } else if (m instanceof FloorRelease r) {
            return floorRelease(fromUserId, r);
        } else if (m instanceof FloorRequestQuery q) {
            return floorRequestQuery(fromUserId, q);
        } else if (m instanceof UserQuery q) {
            return userQuery(fromUserId, q);
        } else if (m instanceof FloorQuery q) {
            return floorQuery(fromUserId, q);
        } else if (m instanceof ChairAction a) {
            return chairAction(fromUserId, a);
        } else if (m instanceof Hello) {
            return List.of(new Outgoing(fromUserId, HelloAck.everythingWeSupport(h.response())));
        } else if (m instanceof Goodbye) {
            FloorChanges op = changes();
            op.out.add(new Outgoing(fromUserId, new GoodbyeAck(h.response())));
            endRequestsOf(fromUserId, op);
            return finish(op);
        } else if (m instanceof FloorRequestStatusAck || m instanceof FloorStatusAck || m instanceof GoodbyeAck
                || m instanceof BfcpError) {
            return List.of(); // acknowledgements and errors are not answered (never an error for an error)
        }
        return List.of(error(fromUserId, m, ErrorCode.GENERIC_ERROR, m.primitive().rfcName()
                + " is sent by a floor control server, not to it"));
    }

    // ---------------------------------------------------------------------------------------------- requests

    private List<Outgoing> floorRequest(int from, FloorRequest m) {
        if (m.floorIds().size() != 1) {
            return List.of(error(from, m, ErrorCode.GENERIC_ERROR, "one FLOOR-ID per FloorRequest"));
        }
        int floorId = m.floorIds().get(0);
        if (!floors.containsKey(floorId)) {
            return List.of(error(from, m, ErrorCode.INVALID_FLOOR_ID, "no floor " + floorId));
        }
        int beneficiary = m.beneficiaryId().orElse(from);
        boolean isChair = isChair(from);
        if (beneficiary != from && !isChair) {
            return List.of(error(from, m, ErrorCode.UNAUTHORIZED_OPERATION, "only the chair asks for others"));
        }
        if (!participants.containsKey(beneficiary)) {
            return List.of(error(from, m, ErrorCode.USER_DOES_NOT_EXIST, "no participant " + beneficiary));
        }
        if (floors.get(floorId).hasRequestFor(beneficiary)) {
            return List.of(error(from, m, ErrorCode.MAXIMUM_FLOOR_REQUESTS_REACHED, "a request for floor " + floorId
                    + " is already open"));
        }
        FloorChanges op = changes();
        boolean waitForChair = policy.chairDecides() && chair.isPresent() && !isChair;
        FloorRequestRecord r = new FloorRequestRecord(newRequestId(), floorId, from, beneficiary,
                waitForChair ? RequestState.PENDING : RequestState.ACCEPTED);
        open.put(r.id, r);
        floors.get(floorId).add(r);
        op.floorChanged(floorId);
        schedule(floorId, op);
        LOG.info("conference {}: user {} asks floor {} for {} (request {}): {}", conferenceId, from, floorId,
                beneficiary, r.id, r.state);
        respondWithStatus(from, m.header(), r, op);
        return finish(op);
    }

    private List<Outgoing> floorRelease(int from, FloorRelease m) {
        FloorRequestRecord r = open.get(m.floorRequestId());
        if (r == null) {
            return List.of(error(from, m, ErrorCode.FLOOR_REQUEST_ID_DOES_NOT_EXIST, "no open request "
                    + m.floorRequestId()));
        }
        if (!r.concerns(from)) {
            return List.of(error(from, m, ErrorCode.UNAUTHORIZED_OPERATION, "request " + r.id + " is not yours"));
        }
        FloorChanges op = changes();
        end(r, op);
        respondWithStatus(from, m.header(), r, op);
        return finish(op);
    }

    private List<Outgoing> floorRequestQuery(int from, FloorRequestQuery m) {
        FloorRequestRecord r = open.get(m.floorRequestId());
        if (r == null) {
            return List.of(error(from, m, ErrorCode.FLOOR_REQUEST_ID_DOES_NOT_EXIST, "no open request "
                    + m.floorRequestId()));
        }
        if (!r.concerns(from) && !isChair(from)) {
            return List.of(error(from, m, ErrorCode.UNAUTHORIZED_OPERATION, "request " + r.id + " is not yours"));
        }
        return List.of(new Outgoing(from, new FloorRequestStatus(m.header().response(), information.of(r))));
    }

    private List<Outgoing> userQuery(int from, UserQuery m) {
        int who = m.beneficiaryId().orElse(from);
        if (who != from && !isChair(from)) {
            return List.of(error(from, m, ErrorCode.UNAUTHORIZED_OPERATION, "only the chair asks about others"));
        }
        if (!participants.containsKey(who)) {
            return List.of(error(from, m, ErrorCode.USER_DOES_NOT_EXIST, "no participant " + who));
        }
        List<FloorRequestInformation> reqs = open.values().stream().filter(r -> r.beneficiaryId == who)
                .map(information::of).toList();
        Optional<BeneficiaryInformation> b = m.beneficiaryId().isPresent()
                ? Optional.of(information.beneficiary(who)) : Optional.empty();
        return List.of(new Outgoing(from, new UserStatus(m.header().response(), b, reqs)));
    }

    /**
     * RFC 8855 §13.5: the answer carries the status of the first floor asked for; the others follow as
     * notifications. Every participant gets every floor's changes anyway (see the class comment).
     */
    private List<Outgoing> floorQuery(int from, FloorQuery m) {
        for (int f : m.floorIds()) {
            if (!floors.containsKey(f)) {
                return List.of(error(from, m, ErrorCode.INVALID_FLOOR_ID, "no floor " + f));
            }
        }
        List<Outgoing> out = new ArrayList<>();
        if (m.floorIds().isEmpty()) {
            out.add(new Outgoing(from, new FloorStatus(m.header().response(), OptionalInt.empty(), List.of())));
            return out;
        }
        out.add(new Outgoing(from, information.floorStatus(m.header().response(), m.floorIds().get(0))));
        for (int f : m.floorIds().subList(1, m.floorIds().size())) {
            out.add(new Outgoing(from, information.floorStatus(CommonHeader.notification(conferenceId, from), f)));
        }
        return out;
    }

    private List<Outgoing> chairAction(int from, ChairAction m) {
        if (!isChair(from)) {
            return List.of(error(from, m, ErrorCode.UNAUTHORIZED_OPERATION, "only the chair acts on requests"));
        }
        FloorRequestInformation fri = m.floorRequestInformation();
        FloorRequestRecord r = open.get(fri.floorRequestId());
        if (r == null) {
            return List.of(error(from, m, ErrorCode.FLOOR_REQUEST_ID_DOES_NOT_EXIST, "no open request "
                    + fri.floorRequestId()));
        }
        for (FloorRequestStatusAttribute s : fri.floorStatuses()) {
            if (s.floorId() != r.floorId) {
                return List.of(error(from, m, ErrorCode.INVALID_FLOOR_ID, "request " + r.id + " is for floor "
                        + r.floorId + ", not " + s.floorId()));
            }
        }
        Optional<RequestStatus> wanted = fri.floorStatuses().get(0).status()
                .or(() -> fri.overallStatus().flatMap(OverallRequestStatus::status));
        if (wanted.isEmpty()) {
            return List.of(error(from, m, ErrorCode.UNABLE_TO_PARSE_MESSAGE, "ChairAction without a Request Status"));
        }
        RequestState to = wanted.get().state();
        if (!ChairTransitions.allowed(r.state, to)) {
            return List.of(error(from, m, ErrorCode.GENERIC_ERROR, "a chair cannot move a " + r.state
                    + " request to " + to));
        }
        FloorChanges op = changes();
        op.out.add(new Outgoing(from, new ChairActionAck(m.header().response())));
        switch (to) {
            case ACCEPTED -> {
                setState(r, RequestState.ACCEPTED, op);
                floors.get(r.floorId).placeInQueue(r, wanted.get().queuePosition());
                schedule(r.floorId, op);
            }
            case GRANTED -> {
                // One holder per floor: granting moves the floor, the current holder is revoked first.
                granted(r.floorId).filter(g -> g != r).ifPresent(g -> setState(g, RequestState.REVOKED, op));
                setState(r, RequestState.GRANTED, op);
            }
            case DENIED, REVOKED -> {
                setState(r, to, op);
                schedule(r.floorId, op);
            }
            default -> throw new IllegalStateException("unreachable: " + to);
        }
        LOG.info("conference {}: chair {} sets request {} (user {}, floor {}) to {}", conferenceId, from, r.id,
                r.beneficiaryId, r.floorId, to);
        return finish(op);
    }

    // ---------------------------------------------------------------------------------------------- state

    private void endRequestsOf(int userId, FloorChanges op) {
        for (FloorRequestRecord r : List.copyOf(open.values())) {
            if (r.concerns(userId)) {
                end(r, op);
            }
        }
    }

    /** Released if granted, Cancelled before; the floor moves on. */
    private void end(FloorRequestRecord r, FloorChanges op) {
        setState(r, r.state == RequestState.GRANTED ? RequestState.RELEASED : RequestState.CANCELLED, op);
        schedule(r.floorId, op);
    }

    /** Grants the head of the queue when the floor is free. */
    private void schedule(int floorId, FloorChanges op) {
        if (granted(floorId).isPresent()) {
            return;
        }
        floors.get(floorId).next().ifPresent(r -> setState(r, RequestState.GRANTED, op));
    }

    private void setState(FloorRequestRecord r, RequestState s, FloorChanges op) {
        r.state = s;
        op.changed(r);
        if (s.isFinal()) {
            open.remove(r.id);
            floors.get(r.floorId).remove(r);
        } else {
            floors.get(r.floorId).reorder();
        }
    }

    private Optional<FloorRequestRecord> granted(int floorId) {
        FloorQueue q = floors.get(floorId);
        if (q == null) {
            throw new IllegalArgumentException("no floor " + floorId);
        }
        return q.granted();
    }

    private boolean isChair(int userId) {
        return chair.isPresent() && chair.getAsInt() == userId;
    }

    private int newRequestId() {
        for (int i = 0; i < 0xFFFF; i++) {
            int id = nextRequestId;
            nextRequestId = nextRequestId == 0xFFFF ? 1 : nextRequestId + 1;
            if (!open.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("65535 open floor requests");
    }

    // ---------------------------------------------------------------------------------------------- messages

    /** The record of one call's changes, turned into notifications by {@link #finish}. */
    private FloorChanges changes() {
        Map<Integer, OptionalInt> holders = new LinkedHashMap<>();
        floors.keySet().forEach(f -> holders.put(f, holder(f)));
        return new FloorChanges(holders);
    }

    private void respondWithStatus(int to, CommonHeader h, FloorRequestRecord r, FloorChanges op) {
        op.out.add(new Outgoing(to, new FloorRequestStatus(h.response(), information.of(r))));
        op.answered(to, r);
    }

    private List<Outgoing> finish(FloorChanges op) {
        for (FloorRequestRecord r : op.requests()) {
            for (int u : new LinkedHashSet<>(List.of(r.requesterId, r.beneficiaryId))) {
                if (!op.wasAnswered(r, u) && participants.containsKey(u)) {
                    op.out.add(new Outgoing(u, new FloorRequestStatus(CommonHeader.notification(conferenceId, u),
                            information.of(r))));
                }
            }
        }
        for (int f : op.floors()) {
            for (int u : participants.keySet()) {
                op.out.add(new Outgoing(u, information.floorStatus(CommonHeader.notification(conferenceId, u),
                        f)));
            }
        }
        op.holdersBefore().forEach((f, before) -> {
            OptionalInt now = holder(f);
            if (!now.equals(before)) {
                LOG.info("conference {}: floor {} holder {} -> {}", conferenceId, f, show(before), show(now));
                listener.holderChanged(conferenceId, f, now);
            }
        });
        return op.out;
    }

    private static String show(OptionalInt u) {
        return u.isPresent() ? "user " + u.getAsInt() : "nobody";
    }

    private Outgoing error(int to, BfcpMessage m, ErrorCode code, String info) {
        LOG.info("conference {}: {} from user {} refused: {} ({})", conferenceId, m.primitive(), to, code, info);
        return new Outgoing(to, BfcpError.of(m.header().response(), code, info));
    }
}
