package org.kmsconf.sip.conference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kmsconf.media.relay.SsrcRegistry;
import org.kmsconf.mikey.message.Ssrc;

/**
 * The conference rules as a table of actor × action × conference state: each row names who acts, what it does, in
 * which state of the conference, and the outcome (admitted, or the rule that refuses). The SIP adapters only call
 * these methods, so this table is the whole authorisation logic of the focus; the end-to-end tests prove the
 * adapters cannot go around it.
 */
class ConferenceRulesTest {
    static final String FACTORY = "sip:factory.c1@op";
    static final String FOCUS = "sip:focus1.c1@op";
    static final String ALICE = "sip:alice@op";
    static final String BOB = "sip:bob@op";
    static final String CAROL = "sip:carol@op";
    static final String MALLORY = "sip:mallory@op";
    static final Ssrc NONE = Ssrc.UNASSIGNED;

    /** A conference owned by alice with bob and carol allowed; bob is on call "b1"; state adjusted by {@code setUp}. */
    static final class World {
        final MutableClock clock = new MutableClock();
        final Conferences<String> confs = new Conferences<>(FACTORY, FocusUris.rule("sip:focus{N}.c1@op"),
                CreatePolicy.KMS, Limits.DEFAULT.withMaxParticipants(3).withIdleExpiry(Duration.ofMinutes(5)),
                clock);
        final Conference<String> conf;

        World() {
            String uri = confs.allocateFocusUri().orElseThrow();
            conf = admitted(confs.create(new TicketScope(ALICE, List.of(FACTORY, BOB, CAROL)), uri, null,
                    new SsrcRegistry(), () -> "factory-leg")).conference();
            admitted(conf.offer(BOB, "b1", scope(BOB, conf.focusUri()), NONE, s -> "bob-leg"));
        }

        TicketScope scope(String initiator, String... recipients) {
            return new TicketScope(initiator, List.of(recipients));
        }
    }

    static <T> T admitted(Outcome<T> o) {
        assertThat(o).isInstanceOf(Outcome.Admitted.class);
        return ((Outcome.Admitted<T>) o).value();
    }

    static Rule refusedBy(Outcome<?> o) {
        assertThat(o).isInstanceOf(Outcome.Refused.class);
        return ((Outcome.Refused<?>) o).failed();
    }

    record Row(String actor, String action, String state, Rule refusedBy) {
        @Override
        public String toString() {
            return actor + " " + action + " when " + state + " -> " + (refusedBy == null ? "admitted" : refusedBy);
        }
    }

    static Stream<Arguments> table() {
        List<Row> rows = new ArrayList<>();
        // join (call-in)
        rows.add(new Row(ALICE, "join", "running", null));
        rows.add(new Row(CAROL, "join", "running", null));
        rows.add(new Row(MALLORY, "join", "running", Rule.CALLER_ALLOWED));
        rows.add(new Row(BOB, "join", "running", Rule.NOT_ALREADY_JOINED));
        rows.add(new Row(CAROL, "join", "ended", Rule.CONFERENCE_RUNNING));
        rows.add(new Row(CAROL, "join", "full", Rule.ROOM_LEFT));
        rows.add(new Row(CAROL, "join", "bob removed", null));
        rows.add(new Row(BOB, "join", "bob removed", Rule.CALLER_ALLOWED));
        // re-offer on one's own call
        rows.add(new Row(BOB, "rekey", "running", null));
        rows.add(new Row(BOB, "change set", "running", Rule.ALLOWED_SET_CHANGE_BY_OWNER));
        rows.add(new Row(ALICE, "change set", "alice joined", null));
        // call-out (REFER to the focus)
        rows.add(new Row(ALICE, "refer carol", "alice joined", null));
        rows.add(new Row(BOB, "refer carol", "running", Rule.REFERRER_MAY_REFER));
        rows.add(new Row(ALICE, "refer mallory", "alice joined", Rule.REFEREE_ALLOWED));
        rows.add(new Row(ALICE, "refer bob", "alice joined", Rule.NOT_ALREADY_JOINED));
        rows.add(new Row(ALICE, "refer carol", "ended", Rule.CONFERENCE_RUNNING));
        // removal and end
        rows.add(new Row(ALICE, "remove bob", "running", null));
        rows.add(new Row("operator", "remove bob", "running", null));
        rows.add(new Row(BOB, "remove carol", "running", Rule.OWNER_OR_OPERATOR));
        rows.add(new Row(ALICE, "remove mallory", "running", Rule.TARGET_KNOWN));
        rows.add(new Row("operator", "remove alice", "running", Rule.TARGET_NOT_OWNER));
        rows.add(new Row(BOB, "end", "running", Rule.OWNER_OR_OPERATOR));
        rows.add(new Row(ALICE, "end", "running", null));
        rows.add(new Row("operator", "end", "running", null));
        rows.add(new Row(ALICE, "end", "ended", Rule.CONFERENCE_RUNNING));
        // leaving
        rows.add(new Row(BOB, "leave", "running", null));
        rows.add(new Row(BOB, "leave another call", "running", Rule.ON_OWN_CALL));
        rows.add(new Row(CAROL, "leave", "running", Rule.ON_OWN_CALL));
        return rows.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void rule(Row row) {
        World w = new World();
        Conference<String> c = w.conf;
        String f = c.focusUri();
        switch (row.state()) {
            case "running" -> { }
            case "ended" -> admitted(c.end(Actor.user(ALICE)));
            case "full" -> {
                admitted(c.offer(ALICE, "a1", w.scope(ALICE, f), NONE, s -> "alice-leg"));
                admitted(c.offer(ALICE, "a1", w.scope(ALICE, f, BOB, CAROL, MALLORY), NONE, s -> "alice-leg2"));
                admitted(c.offer(MALLORY, "m1", w.scope(MALLORY, f), NONE, s -> "mallory-leg")); // 3 of 3
            }
            case "bob removed" -> admitted(c.remove(Actor.user(ALICE), BOB));
            case "alice joined" -> admitted(c.offer(ALICE, "a1", w.scope(ALICE, f), NONE, s -> "alice-leg"));
            default -> throw new IllegalArgumentException(row.state());
        }
        Actor actor = row.actor().equals("operator") ? Actor.operator("ops") : Actor.user(row.actor());
        Outcome<?> o = switch (row.action()) {
            case "join" -> c.offer(row.actor(), "new", w.scope(row.actor(), f), NONE, s -> "leg");
            case "rekey" -> c.offer(row.actor(), "b1", w.scope(row.actor(), f), NONE, s -> "leg2");
            case "change set" -> c.offer(row.actor(), row.actor().equals(BOB) ? "b1" : "a1",
                    w.scope(row.actor(), f, CAROL, MALLORY), NONE, s -> "leg2");
            case "refer carol" -> c.referToCallOut(row.actor(), false, CAROL);
            case "refer mallory" -> c.referToCallOut(row.actor(), false, MALLORY);
            case "refer bob" -> c.referToCallOut(row.actor(), false, BOB);
            case "remove bob" -> c.remove(actor, BOB);
            case "remove carol" -> c.remove(actor, CAROL);
            case "remove mallory" -> c.remove(actor, MALLORY);
            case "remove alice" -> c.remove(actor, ALICE);
            case "end" -> c.end(actor);
            case "leave" -> c.leave(row.actor(), row.actor().equals(BOB) ? "b1" : "c1");
            case "leave another call" -> c.leave(row.actor(), "b2");
            default -> throw new IllegalArgumentException(row.action());
        };
        if (row.refusedBy() == null) {
            assertThat(o.passed()).isNotEmpty();
            admitted(o);
        } else {
            assertThat(refusedBy(o)).isEqualTo(row.refusedBy());
        }
    }

    @Test
    void creationNeedsATicketNamingTheFactory() {
        World w = new World();
        String uri = w.confs.allocateFocusUri().orElseThrow();
        // a ticket naming the (guessed) focus URI and a friend, but not the factory
        assertThat(refusedBy(w.confs.create(new TicketScope(MALLORY, List.of(uri, BOB)), uri, null,
                new SsrcRegistry(), () -> "leg"))).isEqualTo(Rule.TICKET_NAMES_FACTORY);
        assertThat(w.confs.find(uri)).isEmpty();
        assertThat(refusedBy(w.confs.precheck(MALLORY, List.of(uri, BOB)))).isEqualTo(Rule.TICKET_NAMES_FACTORY);
    }

    @Test
    void creationUnderAConferencePolicyNeedsTheCreatorListed() {
        Conferences<String> confs = new Conferences<>(FACTORY, FocusUris.rule("sip:focus{N}.c1@op"),
                CreatePolicy.conferencePolicy(Set.of(ALICE)), Limits.DEFAULT, Clock.systemUTC());
        String uri = confs.allocateFocusUri().orElseThrow();
        assertThat(refusedBy(confs.create(new TicketScope(BOB, List.of(FACTORY)), uri, null, new SsrcRegistry(),
                () -> "leg"))).isEqualTo(Rule.CREATOR_AUTHORISED_BY_CONFERENCE_POLICY);
        String uri2 = confs.allocateFocusUri().orElseThrow();
        Outcome<?> ok = confs.create(new TicketScope(ALICE, List.of(FACTORY)), uri2, null, new SsrcRegistry(),
                () -> "leg");
        assertThat(ok.passed()).contains(Rule.TICKET_NAMES_FACTORY, Rule.CREATOR_AUTHORISED_BY_CONFERENCE_POLICY)
                .doesNotContain(Rule.CREATOR_AUTHORISED_BY_KMS);
    }

    @Test
    void creationLimitsPerCreatorAndInAll() {
        Conferences<String> confs = new Conferences<>(FACTORY, FocusUris.rule("sip:focus{N}.c1@op"),
                CreatePolicy.KMS, Limits.DEFAULT.withMaxConferencesPerCreator(2).withMaxConferences(3),
                Clock.systemUTC());
        for (int i = 0; i < 2; i++) {
            admitted(confs.create(new TicketScope(ALICE, List.of(FACTORY)), confs.allocateFocusUri().orElseThrow(),
                    null, new SsrcRegistry(), () -> "leg"));
        }
        assertThat(refusedBy(confs.create(new TicketScope(ALICE, List.of(FACTORY)),
                confs.allocateFocusUri().orElseThrow(), null, new SsrcRegistry(), () -> "leg")))
                .isEqualTo(Rule.CREATOR_BELOW_LIMIT);
        admitted(confs.create(new TicketScope(BOB, List.of(FACTORY)), confs.allocateFocusUri().orElseThrow(), null,
                new SsrcRegistry(), () -> "leg"));
        assertThat(refusedBy(confs.precheck(CAROL, List.of(FACTORY)))).isEqualTo(Rule.SYSTEM_BELOW_LIMIT);
    }

    @Test
    void aFailedCreationStepLeavesNothing() {
        World w = new World();
        String uri = w.confs.allocateFocusUri().orElseThrow();
        try {
            w.confs.create(new TicketScope(ALICE, List.of(FACTORY)), uri, null, new SsrcRegistry(), () -> {
                throw new IllegalStateException("TRANSFER_RESP failed");
            });
        } catch (IllegalStateException expected) {
            // the step's failure comes back
        }
        assertThat(w.confs.find(uri)).isEmpty();
        assertThat(w.confs.inUse(uri)).isFalse();
    }

    @Test
    void focusUrisCarrySixtyFourRandomBits() {
        FocusUris rule = FocusUris.defaultFor("sip:factory.c1@op");
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String uri = rule.allocate(u -> false).orElseThrow();
            assertThat(uri).matches("sip:focus[0-9]{1,20}\\.c1@op");
            seen.add(uri);
        }
        assertThat(seen).hasSize(1000);
        // on average a 64-bit number has 19 decimal digits; sequential numbering would give 1..4
        double digits = seen.stream().mapToInt(u -> u.indexOf('.') - "sip:focus".length()).average().orElse(0);
        assertThat(digits).isGreaterThan(18);
    }

    @Test
    void anOwnerTicketNamingOnlyTheFocusKeepsTheSetAndOneNamingItselfEmptiesIt() {
        World w = new World();
        Conference<String> c = w.conf;
        admitted(c.offer(ALICE, "a1", w.scope(ALICE, c.focusUri()), NONE, s -> "alice-leg"));
        assertThat(c.snapshot().allowed()).containsExactlyInAnyOrder(BOB, CAROL);
        Joined<String> j = admitted(c.offer(ALICE, "a1", w.scope(ALICE, c.focusUri(), ALICE), NONE,
                s -> "alice-leg2"));
        assertThat(c.snapshot().allowed()).isEmpty();
        assertThat(j.removed()).extracting(Participant::identity).containsExactly(BOB);
        assertThat(j.previousLeg()).isEqualTo("alice-leg");
        assertThat(c.snapshot().participantSsrcs()).containsOnlyKeys(ALICE);
    }

    @Test
    void aCallOutAnsweredAfterTheRefereeWasRemovedIsRefused() {
        World w = new World();
        Conference<String> c = w.conf;
        admitted(c.offer(ALICE, "a1", w.scope(ALICE, c.focusUri()), NONE, s -> "alice-leg"));
        admitted(c.referToCallOut(ALICE, false, CAROL));
        assertThat(refusedBy(c.referToCallOut(ALICE, false, CAROL)))
                .isEqualTo(Rule.NOT_ALREADY_JOINED);
        admitted(c.remove(Actor.user(ALICE), CAROL));
        assertThat(refusedBy(c.callOutAnswered(CAROL, "c1", Ssrc.of(1234), "carol-leg"))).isEqualTo(Rule.CALL_OUT_PENDING);
    }

    @Test
    void ssrcsAreUniqueInTheConference() {
        World w = new World();
        Conference<String> c = w.conf;
        Ssrc bobs = c.snapshot().participantSsrcs().get(BOB);
        assertThat(refusedBy(c.offer(CAROL, "c1", w.scope(CAROL, c.focusUri()), bobs, s -> "carol-leg")))
                .isEqualTo(Rule.SSRC_UNIQUE);
        Joined<String> j = admitted(c.offer(CAROL, "c1", w.scope(CAROL, c.focusUri()), Ssrc.of(0x1234),
                s -> "carol-leg"));
        assertThat(j.participant().ssrc()).isEqualTo(Ssrc.of(0x1234));
    }

    @Test
    void theOwnerLeavingEndsTheConference() {
        World w = new World();
        Conference<String> c = w.conf;
        admitted(c.offer(ALICE, "a1", w.scope(ALICE, c.focusUri()), NONE, s -> "alice-leg"));
        Departed<String> d = admitted(c.leave(ALICE, "a1"));
        assertThat(d.conferenceEnded()).isTrue();
        assertThat(d.participants()).extracting(Participant::identity).containsExactly(ALICE, BOB);
        assertThat(c.ended()).isTrue();
    }

    @Test
    void conferencesExpireWhenIdleOrWhenTheTicketRunsOut() {
        World w = new World();
        admitted(w.conf.leave(BOB, "b1"));
        w.clock.advance(Duration.ofMinutes(4));
        assertThat(w.confs.expire()).isEmpty();
        w.clock.advance(Duration.ofMinutes(2));
        assertThat(w.confs.expire()).hasSize(1);
        assertThat(w.confs.find(w.conf.focusUri())).isEmpty();

        String uri = w.confs.allocateFocusUri().orElseThrow();
        Conference<String> c = admitted(w.confs.create(new TicketScope(ALICE, List.of(FACTORY, BOB)), uri,
                w.clock.instant().plusSeconds(60), new SsrcRegistry(), () -> "leg")).conference();
        admitted(c.offer(BOB, "b1", w.scope(BOB, uri), NONE, s -> "bob-leg"));
        w.clock.advance(Duration.ofSeconds(61));
        List<Conferences.Expired<String>> gone = w.confs.expire();
        assertThat(gone).singleElement().satisfies(e -> assertThat(e.departed().participants())
                .extracting(Participant::identity).containsExactly(BOB));
        assertThat(c.endReason()).hasValueSatisfying(r -> assertThat(r).contains("ticket expired"));
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
