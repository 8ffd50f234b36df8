package org.kmsconf.control.floor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kmsconf.control.bfcp.message.BfcpError;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.ChairAction;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.ErrorCode;
import org.kmsconf.control.bfcp.message.FloorQuery;
import org.kmsconf.control.bfcp.message.FloorRelease;
import org.kmsconf.control.bfcp.message.FloorRequest;
import org.kmsconf.control.bfcp.message.FloorRequestInformation;
import org.kmsconf.control.bfcp.message.FloorRequestQuery;
import org.kmsconf.control.bfcp.message.FloorRequestStatus;
import org.kmsconf.control.bfcp.message.FloorStatus;
import org.kmsconf.control.bfcp.message.FloorStatusAck;
import org.kmsconf.control.bfcp.message.Goodbye;
import org.kmsconf.control.bfcp.message.Hello;
import org.kmsconf.control.bfcp.message.HelloAck;
import org.kmsconf.control.bfcp.message.Primitive;
import org.kmsconf.control.bfcp.message.RequestState;
import org.kmsconf.control.bfcp.message.RequestStatus;
import org.kmsconf.control.bfcp.message.UserQuery;
import org.kmsconf.control.bfcp.message.UserStatus;

/**
 * The floor control server as a table: for each row, a conference (owner 1 as chair, participants 2 bob, 3 carol,
 * 4 dave; floors 1 and 2), some earlier steps, one action, and what must come out of it: the answer to the sender
 * (its primitive, error code or request state), the state notified to others, and the holder of floor 1 after.
 */
class FloorControlServerTest {
    static final long CONF = 77;
    static final int OWNER = 1;
    static final int BOB = 2;
    static final int CAROL = 3;
    static final int DAVE = 4;

    /** A running conference and what it produced. */
    static final class Conf {
        final List<String> holderEvents = new ArrayList<>();
        final FloorControlServer server;
        final Map<Integer, Integer> tid = new LinkedHashMap<>();

        Conf(FloorPolicy policy) {
            server = new FloorControlServer(CONF, List.of(1, 2), policy,
                    (c, f, h) -> holderEvents.add("floor " + f + ": " + (h.isPresent() ? h.getAsInt() : "-")));
            for (int u : List.of(OWNER, BOB, CAROL, DAVE)) {
                server.addParticipant(u, Optional.of("sip:user" + u + "@operator"));
            }
            server.setChair(OptionalInt.of(OWNER));
        }

        CommonHeader h(int user) {
            int t = tid.merge(user, 1, Integer::sum);
            return CommonHeader.request(CONF, t, user);
        }

        /** The open request of a beneficiary on a floor. */
        int requestOf(int user, int floor) {
            for (int id = 1; id < 100; id++) {
                if (server.state(id).isPresent()) {
                    List<Outgoing> q = server.handle(OWNER, new FloorRequestQuery(h(OWNER), id));
                    FloorRequestInformation i = ((FloorRequestStatus) q.get(0).message()).floorRequestInformation();
                    if (i.beneficiary().orElseThrow().beneficiaryId() == user
                            && i.floorStatuses().get(0).floorId() == floor) {
                        return id;
                    }
                }
            }
            return 999;
        }
    }

    /** One step: who sends what. */
    record Step(String name, int from, Function<Conf, BfcpMessage> message) {
        List<Outgoing> run(Conf c) {
            return c.server.handle(from, message.apply(c));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Step req(int user, int floor) {
        return new Step(user + " requests floor " + floor, user, c -> FloorRequest.of(c.h(user), floor));
    }

    static Step release(int by, int ofUser) {
        return new Step(by + " releases " + ofUser + "'s request", by,
                c -> new FloorRelease(c.h(by), c.requestOf(ofUser, 1)));
    }

    static Step chair(int by, RequestState decision, int ofUser) {
        return new Step(by + " as chair: " + decision + " for " + ofUser, by, c -> new ChairAction(c.h(by),
                FloorRequestInformation.of(c.requestOf(ofUser, 1), 1, RequestStatus.of(decision))));
    }

    static Step send(String name, int from, Function<Conf, BfcpMessage> m) {
        return new Step(name, from, m);
    }

    /** What the action must produce. */
    record Expect(Primitive answer, Optional<ErrorCode> error, Optional<RequestState> answeredState,
            Map<Integer, RequestState> notified, OptionalInt holder) {
    }

    static Expect status(RequestState s, OptionalInt holder) {
        return new Expect(Primitive.FLOOR_REQUEST_STATUS, Optional.empty(), Optional.of(s), Map.of(), holder);
    }

    static Expect ack(OptionalInt holder, Map<Integer, RequestState> notified) {
        return new Expect(Primitive.CHAIR_ACTION_ACK, Optional.empty(), Optional.empty(), notified, holder);
    }

    static Expect error(ErrorCode code, OptionalInt holder) {
        return new Expect(Primitive.ERROR, Optional.of(code), Optional.empty(), Map.of(), holder);
    }

    static Expect answer(Primitive p, OptionalInt holder) {
        return new Expect(p, Optional.empty(), Optional.empty(), Map.of(), holder);
    }

    static OptionalInt held(int u) {
        return OptionalInt.of(u);
    }

    static final OptionalInt FREE = OptionalInt.empty();
    static final FloorPolicy MODERATED = FloorPolicy.moderated();
    static final FloorPolicy FCFS = FloorPolicy.firstComeFirstServed();

    record Row(String name, FloorPolicy policy, List<Step> before, Step action, Expect expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> table() {
        return Stream.of(
                new Row("moderated: a participant's request waits for the chair", MODERATED, List.of(),
                        req(BOB, 1), status(RequestState.PENDING, FREE)),
                new Row("moderated: the chair's own request is not held for a decision", MODERATED, List.of(),
                        req(OWNER, 1), status(RequestState.GRANTED, held(OWNER))),
                new Row("first come: a free floor is granted", FCFS, List.of(), req(BOB, 1),
                        status(RequestState.GRANTED, held(BOB))),
                new Row("first come: the next requester is queued", FCFS, List.of(req(BOB, 1)), req(CAROL, 1),
                        status(RequestState.ACCEPTED, held(BOB))),
                new Row("floors are independent", FCFS, List.of(req(BOB, 1)), req(CAROL, 2),
                        status(RequestState.GRANTED, held(BOB))),
                new Row("release by the holder: Released, the queue's head gets the floor", FCFS,
                        List.of(req(BOB, 1), req(CAROL, 1)), release(BOB, BOB),
                        new Expect(Primitive.FLOOR_REQUEST_STATUS, Optional.empty(),
                                Optional.of(RequestState.RELEASED), Map.of(CAROL, RequestState.GRANTED),
                                held(CAROL))),
                new Row("release of a queued request: Cancelled, the holder keeps the floor", FCFS,
                        List.of(req(BOB, 1), req(CAROL, 1)), release(CAROL, CAROL),
                        status(RequestState.CANCELLED, held(BOB))),
                new Row("release of a pending request: Cancelled", MODERATED, List.of(req(BOB, 1)),
                        release(BOB, BOB), status(RequestState.CANCELLED, FREE)),
                new Row("chair grants a pending request", MODERATED, List.of(req(BOB, 1)),
                        chair(OWNER, RequestState.GRANTED, BOB), ack(held(BOB), Map.of(BOB, RequestState.GRANTED))),
                new Row("chair grant moves the floor bob -> carol: bob is revoked", MODERATED,
                        List.of(req(BOB, 1), chair(OWNER, RequestState.GRANTED, BOB), req(CAROL, 1)),
                        chair(OWNER, RequestState.GRANTED, CAROL),
                        ack(held(CAROL), Map.of(BOB, RequestState.REVOKED, CAROL, RequestState.GRANTED))),
                new Row("chair accepts a pending request onto a free floor: granted at once", MODERATED,
                        List.of(req(BOB, 1)), chair(OWNER, RequestState.ACCEPTED, BOB),
                        ack(held(BOB), Map.of(BOB, RequestState.GRANTED))),
                new Row("chair accepts a pending request onto a held floor: queued", MODERATED,
                        List.of(req(BOB, 1), chair(OWNER, RequestState.GRANTED, BOB), req(CAROL, 1)),
                        chair(OWNER, RequestState.ACCEPTED, CAROL),
                        ack(held(BOB), Map.of(CAROL, RequestState.ACCEPTED))),
                new Row("chair denies a pending request", MODERATED, List.of(req(BOB, 1)),
                        chair(OWNER, RequestState.DENIED, BOB), ack(FREE, Map.of(BOB, RequestState.DENIED))),
                new Row("chair revokes the holder: the queue's head gets the floor", FCFS,
                        List.of(req(BOB, 1), req(CAROL, 1)), chair(OWNER, RequestState.REVOKED, BOB),
                        ack(held(CAROL), Map.of(BOB, RequestState.REVOKED, CAROL, RequestState.GRANTED))),
                new Row("a participant's ChairAction is Unauthorized Operation", MODERATED, List.of(req(BOB, 1)),
                        chair(CAROL, RequestState.GRANTED, BOB), error(ErrorCode.UNAUTHORIZED_OPERATION, FREE)),
                new Row("the holder cannot grant itself as chair either", FCFS, List.of(req(BOB, 1), req(CAROL, 1)),
                        chair(BOB, RequestState.REVOKED, BOB), error(ErrorCode.UNAUTHORIZED_OPERATION, held(BOB))),
                new Row("a chair cannot revoke a request that is not granted", MODERATED, List.of(req(BOB, 1)),
                        chair(OWNER, RequestState.REVOKED, BOB), error(ErrorCode.GENERIC_ERROR, FREE)),
                new Row("a chair cannot make a request Released", FCFS, List.of(req(BOB, 1)),
                        chair(OWNER, RequestState.RELEASED, BOB), error(ErrorCode.GENERIC_ERROR, held(BOB))),
                new Row("ChairAction on an unknown request", MODERATED, List.of(),
                        chair(OWNER, RequestState.GRANTED, BOB), error(ErrorCode.FLOOR_REQUEST_ID_DOES_NOT_EXIST,
                                FREE)),
                new Row("a second open request for the same floor", FCFS, List.of(req(BOB, 1)), req(BOB, 1),
                        error(ErrorCode.MAXIMUM_FLOOR_REQUESTS_REACHED, held(BOB))),
                new Row("an unknown floor", FCFS, List.of(), req(BOB, 9), error(ErrorCode.INVALID_FLOOR_ID, FREE)),
                new Row("two floors in one request", FCFS, List.of(), send("bob asks floors 1 and 2", BOB,
                        c -> new FloorRequest(c.h(BOB), List.of(1, 2), OptionalInt.empty(), Optional.empty(),
                                Optional.empty())), error(ErrorCode.GENERIC_ERROR, FREE)),
                new Row("release of an unknown request", FCFS, List.of(), send("bob releases 42", BOB,
                        c -> new FloorRelease(c.h(BOB), 42)), error(ErrorCode.FLOOR_REQUEST_ID_DOES_NOT_EXIST, FREE)),
                new Row("release of someone else's request", FCFS, List.of(req(BOB, 1)), release(CAROL, BOB),
                        error(ErrorCode.UNAUTHORIZED_OPERATION, held(BOB))),
                new Row("a participant asking the floor for another", FCFS, List.of(), send("bob asks for carol", BOB,
                        c -> new FloorRequest(c.h(BOB), List.of(1), OptionalInt.of(CAROL), Optional.empty(),
                                Optional.empty())), error(ErrorCode.UNAUTHORIZED_OPERATION, FREE)),
                new Row("the chair asking the floor for a participant (third party)", MODERATED, List.of(),
                        send("chair asks for carol", OWNER, c -> new FloorRequest(c.h(OWNER), List.of(1),
                                OptionalInt.of(CAROL), Optional.empty(), Optional.empty())),
                        new Expect(Primitive.FLOOR_REQUEST_STATUS, Optional.empty(),
                                Optional.of(RequestState.GRANTED), Map.of(CAROL, RequestState.GRANTED), held(CAROL))),
                new Row("the chair asking for a non-participant", FCFS, List.of(), send("chair asks for 99", OWNER,
                        c -> new FloorRequest(c.h(OWNER), List.of(1), OptionalInt.of(99), Optional.empty(),
                                Optional.empty())), error(ErrorCode.USER_DOES_NOT_EXIST, FREE)),
                new Row("a message claiming another User ID", FCFS, List.of(), send("bob writes carol's ID", BOB,
                        c -> FloorRequest.of(c.h(CAROL), 1)), error(ErrorCode.UNAUTHORIZED_OPERATION, FREE)),
                new Row("a message for another conference", FCFS, List.of(), send("bob writes conference 78", BOB,
                        c -> FloorRequest.of(CommonHeader.request(CONF + 1, 1, BOB), 1)),
                        error(ErrorCode.CONFERENCE_DOES_NOT_EXIST, FREE)),
                new Row("a sender that is not a participant", FCFS, List.of(), send("user 99", 99,
                        c -> FloorRequest.of(CommonHeader.request(CONF, 1, 99), 1)),
                        error(ErrorCode.USER_DOES_NOT_EXIST, FREE)),
                new Row("Goodbye: GoodbyeAck, the floor moves on", FCFS, List.of(req(BOB, 1), req(CAROL, 1)),
                        send("bob says goodbye", BOB, c -> new Goodbye(c.h(BOB))),
                        new Expect(Primitive.GOODBYE_ACK, Optional.empty(), Optional.empty(),
                                Map.of(BOB, RequestState.RELEASED, CAROL, RequestState.GRANTED), held(CAROL))),
                new Row("Hello: HelloAck", FCFS, List.of(), send("hello", DAVE, c -> new Hello(c.h(DAVE))),
                        answer(Primitive.HELLO_ACK, FREE)),
                new Row("FloorQuery: FloorStatus of the floor", FCFS, List.of(req(BOB, 1)),
                        send("dave asks floor 1", DAVE, c -> new FloorQuery(c.h(DAVE), List.of(1))),
                        answer(Primitive.FLOOR_STATUS, held(BOB))),
                new Row("FloorQuery for an unknown floor", FCFS, List.of(),
                        send("dave asks floor 7", DAVE, c -> new FloorQuery(c.h(DAVE), List.of(7))),
                        error(ErrorCode.INVALID_FLOOR_ID, FREE)),
                new Row("FloorRequestQuery by someone else", FCFS, List.of(req(BOB, 1)),
                        send("dave asks about bob's request", DAVE,
                                c -> new FloorRequestQuery(c.h(DAVE), c.requestOf(BOB, 1))),
                        error(ErrorCode.UNAUTHORIZED_OPERATION, held(BOB))),
                new Row("FloorRequestQuery by the requester", FCFS, List.of(req(BOB, 1)),
                        send("bob asks about his request", BOB,
                                c -> new FloorRequestQuery(c.h(BOB), c.requestOf(BOB, 1))),
                        status(RequestState.GRANTED, held(BOB))),
                new Row("UserQuery about another by a participant", FCFS, List.of(),
                        send("dave asks about bob", DAVE, c -> new UserQuery(c.h(DAVE), OptionalInt.of(BOB))),
                        error(ErrorCode.UNAUTHORIZED_OPERATION, FREE)),
                new Row("UserQuery about oneself", FCFS, List.of(req(BOB, 1)),
                        send("bob asks about himself", BOB, c -> new UserQuery(c.h(BOB), OptionalInt.empty())),
                        answer(Primitive.USER_STATUS, held(BOB))),
                new Row("a primitive only a server sends", FCFS, List.of(), send("bob sends a FloorStatus", BOB,
                        c -> new FloorStatus(c.h(BOB), OptionalInt.of(1), List.of())),
                        error(ErrorCode.GENERIC_ERROR, FREE)));
    }

    @ParameterizedTest
    @MethodSource("table")
    void row(Row row) {
        Conf c = new Conf(row.policy());
        for (Step s : row.before()) {
            c.server.handle(s.from(), s.message().apply(c));
        }
        BfcpMessage sent = row.action().message().apply(c);
        List<Outgoing> out = c.server.handle(row.action().from(), sent);
        Expect e = row.expect();

        assertThat(out).as("an answer first").isNotEmpty();
        Outgoing first = out.get(0);
        assertThat(first.userId()).isEqualTo(row.action().from());
        assertThat(first.message().primitive()).isEqualTo(e.answer());
        assertThat(first.message().header()).as("answer header").isEqualTo(sent.header().response());
        e.error().ifPresent(code -> {
            assertThat(((BfcpError) first.message()).code()).isEqualTo(code);
            assertThat(out).as("a refusal changes nothing and tells nobody").hasSize(1);
        });
        e.answeredState().ifPresent(st -> assertThat(stateIn(first.message())).isEqualTo(st));
        e.notified().forEach((user, st) -> assertThat(out).as("FloorRequestStatus %s to %d", st, user)
                .anySatisfy(o -> {
                    assertThat(o.userId()).isEqualTo(user);
                    assertThat(o.message()).isInstanceOf(FloorRequestStatus.class);
                    assertThat(o.message().header().transactionId()).as("notification").isZero();
                    assertThat(stateIn(o.message())).isEqualTo(st);
                }));
        assertThat(c.server.holder(1)).as("holder of floor 1").isEqualTo(e.holder());
        for (Outgoing o : out.subList(1, out.size())) {
            assertThat(o.message().header().transactionId()).as("notifications carry Transaction ID 0").isZero();
            assertThat(o.message().header().userId()).isEqualTo(o.userId());
            assertThat(o.message().header().conferenceId()).isEqualTo(CONF);
        }
    }

    static RequestState stateIn(BfcpMessage m) {
        return ((FloorRequestStatus) m).floorRequestInformation().overallStatus().orElseThrow().status()
                .orElseThrow().state();
    }

    // ------------------------------------------------------------------------------ beyond one row

    @Test
    void everyChangeIsAFloorStatusToEveryParticipant() {
        Conf c = new Conf(FCFS);
        List<Outgoing> out = req(BOB, 1).run(c);
        List<Outgoing> statuses = out.stream().filter(o -> o.message() instanceof FloorStatus).toList();
        assertThat(statuses).extracting(Outgoing::userId).containsExactlyInAnyOrder(OWNER, BOB, CAROL, DAVE);
        for (Outgoing o : statuses) {
            FloorStatus s = (FloorStatus) o.message();
            assertThat(s.floorId()).hasValue(1);
            assertThat(FloorParticipant.holderOf(s.floorRequests())).hasValue(BOB);
            assertThat(s.floorRequests().get(0).beneficiary().orElseThrow().uri()).hasValue("sip:user2@operator");
        }
    }

    @Test
    void theQueueReportsPositions() {
        Conf c = new Conf(FCFS);
        req(BOB, 1).run(c);
        req(CAROL, 1).run(c);
        List<Outgoing> out = req(DAVE, 1).run(c);
        FloorStatus s = (FloorStatus) out.get(out.size() - 1).message();
        assertThat(s.floorRequests()).extracting(i -> i.overallStatus().orElseThrow().status().orElseThrow())
                .containsExactly(RequestStatus.of(RequestState.GRANTED), new RequestStatus(RequestState.ACCEPTED, 1),
                        new RequestStatus(RequestState.ACCEPTED, 2));
    }

    @Test
    void aChairAcceptanceWithAQueuePositionJumpsTheQueue() {
        Conf c = new Conf(MODERATED);
        req(BOB, 1).run(c);
        chair(OWNER, RequestState.GRANTED, BOB).run(c);
        req(CAROL, 1).run(c);
        chair(OWNER, RequestState.ACCEPTED, CAROL).run(c);
        req(DAVE, 1).run(c);
        c.server.handle(OWNER, new ChairAction(c.h(OWNER), FloorRequestInformation.of(c.requestOf(DAVE, 1), 1,
                new RequestStatus(RequestState.ACCEPTED, 1))));
        release(BOB, BOB).run(c);
        assertThat(c.server.holder(1)).hasValue(DAVE);
    }

    @Test
    void theHolderListenerFollowsTheFloorInOrder() {
        Conf c = new Conf(MODERATED);
        req(BOB, 1).run(c);
        chair(OWNER, RequestState.GRANTED, BOB).run(c);
        req(CAROL, 1).run(c);
        chair(OWNER, RequestState.GRANTED, CAROL).run(c);
        release(CAROL, CAROL).run(c);
        assertThat(c.holderEvents).containsExactly("floor 1: 2", "floor 1: 3", "floor 1: -");
    }

    @Test
    void removingTheHolderMovesTheFloorAndTellsOnlyTheOthers() {
        Conf c = new Conf(FCFS);
        req(BOB, 1).run(c);
        req(CAROL, 1).run(c);
        List<Outgoing> out = c.server.removeParticipant(BOB);
        assertThat(out).extracting(Outgoing::userId).doesNotContain(BOB).contains(CAROL, OWNER, DAVE);
        assertThat(c.server.holder(1)).hasValue(CAROL);
        assertThat(c.server.isParticipant(BOB)).isFalse();
        assertThat(c.server.handle(BOB, req(BOB, 1).message().apply(c)).get(0).message())
                .isInstanceOfSatisfying(BfcpError.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.USER_DOES_NOT_EXIST));
    }

    @Test
    void whenTheChairLeavesPendingRequestsJoinTheQueue() {
        Conf c = new Conf(MODERATED);
        req(BOB, 1).run(c);
        req(CAROL, 1).run(c);
        assertThat(c.server.holder(1)).isEmpty();
        c.server.removeParticipant(OWNER);
        assertThat(c.server.chair()).isEmpty();
        assertThat(c.server.holder(1)).hasValue(BOB);
    }

    @Test
    void aNewParticipantIsToldTheFloorsAndAcknowledgementsAreNotAnswered() {
        Conf c = new Conf(FCFS);
        req(BOB, 1).run(c);
        List<Outgoing> out = c.server.addParticipant(9, Optional.empty());
        assertThat(out).extracting(o -> ((FloorStatus) o.message()).floorId().orElseThrow()).containsExactly(1, 2);
        assertThat(FloorParticipant.holderOf(((FloorStatus) out.get(0).message()).floorRequests())).hasValue(BOB);
        assertThat(c.server.handle(9, new FloorStatusAck(CommonHeader.request(CONF, 0, 9)))).isEmpty();
        assertThat(c.server.handle(9, BfcpError.of(CommonHeader.request(CONF, 5, 9), ErrorCode.GENERIC_ERROR, "x")))
                .isEmpty();
    }

    @Test
    void theParticipantSideFollowsTheServer() {
        Conf c = new Conf(MODERATED);
        List<String> seen = new ArrayList<>();
        FloorParticipant bob = new FloorParticipant(CONF, BOB, new FloorParticipant.Listener() {
            @Override
            public void floorStatus(int floorId, OptionalInt holder, List<FloorRequestInformation> requests) {
                seen.add(floorId + ":" + (holder.isPresent() ? holder.getAsInt() : "-"));
            }
        });
        FloorParticipant owner = new FloorParticipant(CONF, OWNER, new FloorParticipant.Listener() { });
        deliver(c, BOB, bob, bob.hello());
        deliver(c, BOB, bob, bob.requestFloor(1));
        int id = c.requestOf(BOB, 1);
        assertThat(bob.myRequest(id)).hasValue(RequestState.PENDING);
        deliver(c, OWNER, bob, owner.chairAction(id, 1, RequestState.GRANTED));
        assertThat(bob.myRequest(id)).hasValue(RequestState.GRANTED);
        assertThat(bob.holder(1)).hasValue(BOB);
        deliver(c, BOB, bob, bob.release(id));
        assertThat(bob.myRequest(id)).isEmpty();
        assertThat(bob.holder(1)).isEmpty();
        assertThat(seen).containsSubsequence("1:-", "1:2", "1:-");
        assertThat(bob.hello().header().transactionId()).isNotZero();
    }

    /** Sends {@code m} as {@code from} and hands bob every message addressed to him. */
    private static void deliver(Conf c, int from, FloorParticipant bob, BfcpMessage m) {
        for (Outgoing o : c.server.handle(from, m)) {
            if (o.userId() == BOB) {
                bob.receive(o.message());
            }
        }
    }

    @Test
    void helloAckListsWhatWeSupport() {
        Conf c = new Conf(FCFS);
        HelloAck a = (HelloAck) c.server.handle(DAVE, new Hello(c.h(DAVE))).get(0).message();
        assertThat(a.supports(Primitive.CHAIR_ACTION)).isTrue();
        assertThat(a.supportedPrimitives()).hasSize(17);
        assertThat(((UserStatus) c.server.handle(DAVE, new UserQuery(c.h(DAVE), OptionalInt.empty())).get(0)
                .message()).floorRequests()).isEmpty();
    }
}
