package org.kmsconf.app.demo;

import static org.kmsconf.app.demo.DemoWorld.FACTORY;
import static org.kmsconf.app.demo.DemoWorld.uri;
import static org.kmsconf.app.demo.StepFailed.check;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.kmsconf.app.trace.Ladder;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.ReferOutcome;
import org.kmsconf.sip.conference.ConferenceState;
import org.kmsconf.sip.conference.Rule;
import org.kmsconf.sip.trace.FlowEvent.ConferenceChanged;
import org.kmsconf.sip.trace.FlowEvent.KmsDone;
import org.kmsconf.sip.trace.FlowEvent.KmsExchange;
import org.kmsconf.sip.trace.FlowEvent.LegKeys;
import org.kmsconf.sip.trace.SignallingCheck;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UserAgent;

/**
 * The demo's script: the five flows of TR 33.829 Figure 5.3.3.3.2-1, an update of the allowed set, a refused
 * non-owner update, a refused intruder, then SRTP media through the focus. Every step asserts what the seed says
 * must have happened, on the parties' real state and on the events they reported.
 */
public final class Demo {
    static final Pattern FOCUS_URI = Pattern.compile("sip:focus\\d+\\.conference1@operator");
    static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "mallory", "erin");
    static final List<String> AGENTS = List.of("alice", "bob", "carol", "dave", "mallory");
    static final List<String> PARTICIPANTS = List.of("alice", "bob", "carol", "dave");

    private final DemoWorld world;
    private final EventRecorder recorder;
    private final StepRunner steps;
    private final PrintWriter out;
    private final double toneSeconds;
    private String focus;
    private UserAgent.Created created;

    public Demo(DemoWorld world, EventRecorder recorder, StepRunner steps, PrintWriter out, double toneSeconds) {
        this.world = world;
        this.recorder = recorder;
        this.steps = steps;
        this.out = out;
        this.toneSeconds = toneSeconds;
    }

    /** Runs every step; true if all passed. */
    public boolean run() {
        steps.run("flow 1: conference creation", this::flow1);
        steps.run("flow 1 refused: a user the KMS does not let create conferences", this::creationRefused);
        steps.run("flow 2: the creator joins", this::flow2);
        steps.run("flow 3: a participant calls in", this::flow3);
        steps.run("flow 4: call-out via REFER to the focus", this::flow4);
        steps.run("flow 5: REFER to another user", this::flow5);
        steps.run("update: the owner replaces the allowed set", this::update);
        steps.run("update: a non-owner tries", this::foreignUpdate);
        steps.run("intruder: mallory calls the focus", this::intruder);
        try (Attacks attacks = new Attacks(world, recorder)) {
            steps.run("attack: mallory, without the right to create, names a focus URI instead of the factory",
                    mark -> attacks.creationWithoutTheRight(mark, needFocus()));
            steps.run("attack: bob, on the route to the factory, plays the focus for alice", attacks::focusImpersonation);
            steps.run("attack: an UPDATE forged in bob's call moves his media without MIKEY",
                    mark -> attacks.mediaMoveWithoutMikey(mark, needFocus()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot start the demo's attacker", e);
        }
        steps.run("keys: no group keys", this::distinctKeys);
        try (MediaCheck media = new MediaCheck(world, focus, PARTICIPANTS, toneSeconds)) {
            steps.run("media: SRTP through the focus, re-encrypted per leg", media::run);
            steps.run("media: an intruder stream with a wrong key", media::intruder);
            media.printSummary(out);
        }
        keyLogRelayedStreams();
        ControlSteps control = new ControlSteps(world, recorder);
        steps.run("roster: each participant follows the conference in NOTIFYs sealed for its leg",
                mark -> control.roster(mark, needFocus(), PARTICIPANTS));
        try (Attacks attacks = new Attacks(world, recorder)) {
            steps.run("attack: mallory asks for the conference state", mark -> attacks.strangerSubscribes(mark,
                    needFocus()));
            steps.run("attack: a NOTIFY forged in bob's subscription", mark -> attacks.forgedNotify(mark,
                    needFocus()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot start the demo's attacker", e);
        }
        steps.run("floor: the floor moves bob → carol with the owner's grant, the relay follows", control::floor);
        steps.run("remove: the owner takes dave out of the conference", this::remove);
        steps.run("leave: everyone hangs up", this::leave);
        return steps.allPassed();
    }

    private String flow1(int mark) throws Exception {
        UserAgent alice = world.ue("alice");
        created = alice.createConference(FACTORY, List.of(uri("bob"), uri("carol"), uri("dave")));
        focus = created.focusUri();
        world.keyLogPsk(focus, world.conferenceSystemKey());
        check(FOCUS_URI.matcher(focus).matches(), "focus URI " + focus + " does not follow the rule "
                + DemoWorld.FOCUS_PATTERN);
        check(recorder.resolved(mark, FACTORY, focus) || recorder.resolved(mark, focus, focus),
                "the factory did not resolve the ticket as the focus URI " + focus);
        check(recorder.passed(mark, uri("alice"), SignallingCheck.FOCUS_URI_AUTHENTICATED), "alice did not authenticate the focus URI");
        ConferenceState st = world.server().conference(focus)
                .orElseThrow(() -> new StepFailed("the conference system has no record of " + focus));
        check(st.owner().equals(uri("alice")), "owner recorded as " + st.owner());
        check(Set.copyOf(st.allowed()).equals(Set.of(uri("bob"), uri("carol"), uri("dave"))),
                "allowed set recorded as " + st.allowed());
        check(recorder.since(mark, ConferenceChanged.class).stream().anyMatch(c -> c.change().startsWith("created")),
                "no 'created' event from the conference system");
        String keys = agreedKeys(mark, uri("alice"), focus);
        return "factory created " + focus + ", creator authenticated focus via IDRr (forked keys " + keys
                + "), allowed " + Ladder.names(st.allowed());
    }

    /**
     * Seed flow 1 b: "If the KMS returns an error message stating that the initiator is not allowed to establish a
     * secure session with the conference factory then the conference factory returns an error message to the
     * initiator with an appropriate failure code." bob may not create conferences (KMS policy).
     */
    private String creationRefused(int mark) throws Exception {
        int before = world.server().conferences().size();
        int status;
        try {
            world.ue("bob").createConference(FACTORY, List.of(uri("carol")));
            throw new StepFailed("bob created a conference");
        } catch (FlowFailedException e) {
            status = e.status();
        }
        check(world.server().conferences().size() == before, "a conference was created anyway");
        List<KmsDone> refused = recorder.since(mark, KmsDone.class).stream().filter(k -> !k.ok()).toList();
        check(!refused.isEmpty(), "no refusal by the KMS was reported");
        if (refused.get(0).exchange() == KmsExchange.REQUEST) {
            // The KMS applies the policy already when bob asks for a ticket naming the factory.
            check(status == 0, "bob got no ticket, yet the call ended with " + status);
            return "the KMS refused bob a ticket naming the factory (bob may not create conferences): no INVITE "
                    + "was sent, no conference exists";
        }
        check(status == 403, "expected 403 from the factory, got " + status);
        return "the KMS refused the factory's RESOLVE of bob's ticket (bob may not create conferences): the factory "
                + "answered 403, no conference was created";
    }

    private String flow2(int mark) throws Exception {
        needFocus();
        // The creator may reuse the ticket of the creation INVITE (seed 5.3.3.1.3): the KMS lets the focus resolve
        // a ticket naming its factory.
        Call call = world.ue("alice").join(focus, created.ticket());
        return joined(mark, "alice", call, "reusing the creation ticket");
    }

    private String flow3(int mark) throws Exception {
        needFocus();
        Call call = world.ue("bob").join(focus);
        check(recorder.passed(mark, focus, Rule.CALLER_ALLOWED), "the focus did not check bob is allowed");
        return joined(mark, "bob", call, "ticket for the focus alone");
    }

    private String flow4(int mark) throws Exception {
        needFocus();
        ReferOutcome o = world.ue("alice").referFocus(focus, uri("carol"));
        check(o.succeeded(), "the focus's call-out ended with " + o.finalStatus() + " " + o.progress());
        check(recorder.passed(mark, focus, SignallingCheck.INITIATOR_AUTHENTICATED), "the focus did not authenticate the referrer alice");
        check(recorder.passed(mark, focus, Rule.REFEREE_ALLOWED), "the focus did not check carol is allowed");
        check(recorder.passed(mark, uri("carol"), SignallingCheck.INITIATOR_AUTHENTICATED), "carol did not authenticate the focus");
        check(recorder.passed(mark, focus, SignallingCheck.PARTICIPANT_AUTHENTICATED), "the focus did not authenticate carol");
        Call call = awaitCall("carol");
        return "focus authenticated alice, called carol out (NOTIFY " + String.join(" → ", o.progress()) + "); "
                + joined(mark, "carol", call, "focus's own ticket");
    }

    private String flow5(int mark) throws Exception {
        needFocus();
        ReferOutcome o = world.ue("alice").referUser(uri("dave"), focus);
        check(o.succeeded(), "dave's INVITE to the focus ended with " + o.finalStatus() + " " + o.progress());
        check(recorder.passed(mark, uri("dave"), SignallingCheck.INITIATOR_AUTHENTICATED), "dave did not authenticate alice's REFER");
        check(recorder.passed(mark, uri("dave"), SignallingCheck.REFER_TO_IN_TICKET), "dave did not check the focus is in alice's ticket");
        check(recorder.passed(mark, uri("alice"), SignallingCheck.RESPONDER_IS_CALLED_PARTY), "alice did not authenticate dave");
        Call call = awaitCall("dave");
        return "dave authenticated alice and the focus she named, then called in; " + joined(mark, "dave", call,
                "ticket for the focus");
    }

    private String update(int mark) throws Exception {
        needFocus();
        List<String> newSet = List.of(uri("bob"), uri("carol"), uri("dave"), uri("erin"));
        world.ue("alice").updateAllowed(focus, newSet, UserAgent.UpdateMethod.UPDATE);
        ConferenceState st = world.server().conference(focus).orElseThrow(() -> new StepFailed("conference gone"));
        check(Set.copyOf(st.allowed()).containsAll(newSet), "allowed set is now " + st.allowed());
        check(recorder.passed(mark, focus, Rule.ALLOWED_SET_CHANGE_BY_OWNER), "the focus did not check the owner");
        return "alice's UPDATE carried a new ticket; the focus resolved it and replaced the allowed set with "
                + Ladder.names(st.allowed()) + "; alice's leg re-keyed (" + agreedKeys(mark, uri("alice"), focus) + ")";
    }

    private String foreignUpdate(int mark) throws Exception {
        needFocus();
        List<String> before = world.server().conference(focus).orElseThrow().allowed();
        try {
            world.ue("bob").updateAllowed(focus, List.of(uri("bob"), uri("mallory")), UserAgent.UpdateMethod.UPDATE);
            throw new StepFailed("bob (not the owner) changed the allowed set");
        } catch (FlowFailedException e) {
            check(e.status() == 403, "expected 403, got " + e.status() + ": " + e.getMessage());
        }
        List<String> after = world.server().conference(focus).orElseThrow().allowed();
        check(after.equals(before), "the allowed set changed to " + after);
        check(recorder.failed(mark, focus, Rule.ALLOWED_SET_CHANGE_BY_OWNER), "no failed owner check reported");
        return "bob's UPDATE with a ticket naming mallory refused with 403, allowed set unchanged";
    }

    private String intruder(int mark) throws Exception {
        needFocus();
        try {
            world.ue("mallory").join(focus);
            throw new StepFailed("mallory joined the conference");
        } catch (FlowFailedException e) {
            check(e.status() == 403, "expected 403, got " + e.status() + ": " + e.getMessage());
        }
        ConferenceState st = world.server().conference(focus).orElseThrow();
        check(!st.participantSsrcs().containsKey(uri("mallory")), "mallory has a leg at the focus");
        check(world.server().legOf(focus, uri("mallory")).isEmpty(), "the focus holds keys for mallory");
        check(recorder.since(mark, LegKeys.class).isEmpty(), "keys were derived for mallory's leg");
        check(recorder.failed(mark, focus, Rule.CALLER_ALLOWED), "no failed 'caller-allowed' check reported");
        check(recorder.passed(mark, focus, SignallingCheck.INITIATOR_AUTHENTICATED),
                "the focus did not authenticate mallory before refusing her");
        return "mallory authenticated by her ticket but not in the allowed set: 403, no leg, no keys, no media";
    }

    /**
     * Every crypto session (a leg's Call-ID and CS ID; a re-key gives the same session new keys) has keys of its own:
     * no fingerprint appears in two sessions. Both ends of a leg report it, with the same fingerprint.
     */
    private String distinctKeys(int mark) throws StepFailed {
        Map<String, String> sessionOf = new HashMap<>();
        Set<String> keyings = new java.util.HashSet<>();
        for (LegKeys k : recorder.since(0, LegKeys.class)) {
            String session = Ladder.name(k.sender()) + "→" + Ladder.name(k.receiver()) + " (call " + k.legId()
                    + ", CS " + k.csId() + ")";
            keyings.add(session + "#" + k.fingerprint());
            String other = sessionOf.putIfAbsent(k.fingerprint(), session);
            check(other == null || other.equals(session), "two crypto sessions have the same keys #"
                    + k.fingerprint() + ": " + other + " and " + session);
        }
        check(!sessionOf.isEmpty(), "no keys were derived");
        return keyings.size() + " keyings of crypto sessions (re-keys included), " + sessionOf.size()
                + " distinct keys: no key is shared by two sessions";
    }

    /** The owner removes a participant (REFER to the focus, Refer-To with method=BYE, RFC 4579 §5.11). */
    private String remove(int mark) throws Exception {
        needFocus();
        Call dave = world.ue("dave").call(focus).orElseThrow(() -> new StepFailed("dave is not in the call"));
        ReferOutcome o = world.ue("alice").removeParticipant(focus, uri("dave"));
        check(o.succeeded(), "the focus reported " + o.finalStatus() + " " + o.progress());
        check(dave.ended().get(2, java.util.concurrent.TimeUnit.SECONDS).contains("BYE"), "dave got no BYE");
        check(world.server().legOf(focus, uri("dave")).isEmpty(), "the focus still holds keys for dave");
        check(!world.server().conference(focus).orElseThrow().allowed().contains(uri("dave")),
                "dave is still allowed");
        check(recorder.passed(mark, focus, Rule.OWNER_OR_OPERATOR), "the focus did not check the owner");
        long end = System.currentTimeMillis() + 3000;
        while (ControlSteps.connected(world.ue("alice").roster(focus)).containsKey(uri("dave"))
                && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        check(!ControlSteps.connected(world.ue("alice").roster(focus)).containsKey(uri("dave")),
                "alice's roster still shows dave");
        check(world.ue("dave").roster(focus).isEmpty(), "dave still follows the conference's state");
        return "alice's REFER (Refer-To dave;method=BYE) authenticated her as the owner: dave got a BYE, left the "
                + "allowed set, the focus dropped his leg, relay port and keys, ended his subscription, and the "
                + "others' rosters show him gone";
    }

    private String leave(int mark) throws Exception {
        needFocus();
        for (String u : List.of("bob", "carol", "alice")) {
            world.ue(u).leave(focus);
        }
        long end = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < end) {
            var st = world.server().conference(focus);
            if (st.isEmpty() || st.get().participantSsrcs().isEmpty()) {
                break;
            }
            Thread.sleep(20);
        }
        var st = world.server().conference(focus);
        check(st.isEmpty() || st.get().participantSsrcs().isEmpty(), "legs left at the focus: "
                + st.map(ConferenceState::participantSsrcs).orElse(Map.of()).keySet());
        for (String u : PARTICIPANTS) {
            check(world.server().legOf(focus, uri(u)).isEmpty(), "the focus still holds keys for " + u);
        }
        boolean ended = recorder.await(mark, e -> e instanceof ConferenceChanged c && c.change().equals("ended"), 1000);
        return "BYE from bob, carol and the owner alice; the focus dropped every leg and its keys"
                + (ended ? ", the conference ended" : "");
    }

    /**
     * docs/profile.md §5 row 11: the focus sends every relayed stream to a participant under that leg's
     * focus→participant crypto
     * session, keeping the stream's SSRC. The key log gets one line per (session, relayed SSRC) so that a capture of
     * each stream can be decrypted with the line of its SSRC.
     */
    private void keyLogRelayedStreams() {
        if (focus == null) {
            return;
        }
        Map<String, Ssrc> ssrcs = world.server().conference(focus).map(ConferenceState::participantSsrcs)
                .orElse(Map.of());
        for (var receiver : ssrcs.keySet()) {
            world.server().legOf(focus, receiver).ifPresent(leg -> {
                for (var sender : ssrcs.entrySet()) {
                    if (!sender.getKey().equals(receiver)) {
                        world.keyLogSrtp(focus, receiver, sender.getValue(), leg.keysSentBy(focus));
                    }
                }
            });
        }
    }

    // ---------------------------------------------------------------- helpers

    private String needFocus() throws StepFailed {
        if (focus == null) {
            throw new StepFailed("no conference (flow 1 failed)");
        }
        return focus;
    }

    private String joined(int mark, String user, Call call, String how) throws Exception {
        check(call.peer().equals(focus), user + "'s call is with " + call.peer());
        check(recorder.passed(mark, uri(user), SignallingCheck.RESPONDER_IS_CALLED_PARTY, SignallingCheck.INITIATOR_AUTHENTICATED),
                user + " did not authenticate the focus");
        check(recorder.passed(mark, focus, SignallingCheck.INITIATOR_AUTHENTICATED, SignallingCheck.PARTICIPANT_AUTHENTICATED),
                "the focus did not authenticate " + user);
        ConferenceState st = world.server().conference(focus).orElseThrow(() -> new StepFailed("conference gone"));
        check(st.participantSsrcs().containsKey(uri(user)), user + " is not a participant at the focus");
        Ssrc ssrc = st.participantSsrcs().get(uri(user));
        check(ssrc.equals(call.ssrc()), "SSRC mismatch: focus has " + ssrc + ", " + user + " sends "
                + call.ssrc());
        check(call.sendKeys().sameKeysAs(world.server().legOf(focus, uri(user)).orElseThrow().keysSentBy(uri(user))),
                "the focus and " + user + " hold different keys for " + user + "'s stream");
        return user + " in the call (" + how + "), SSRC " + ssrc + " assigned by the focus, keys "
                + agreedKeys(mark, uri(user), focus);
    }

    private Call awaitCall(String user) throws Exception {
        UserAgent ua = world.ue(user);
        long end = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < end) {
            var c = ua.call(focus);
            if (c.isPresent()) {
                return c.get();
            }
            Thread.sleep(20);
        }
        throw new StepFailed(user + " has no call with " + focus);
    }

    /**
     * Both ends reported the keys of a leg between {@code a} and {@code b}; each crypto session's fingerprint is the
     * same on both sides. Returns "a→b #fp, b→a #fp".
     */
    private String agreedKeys(int mark, String a, String b) throws Exception {
        // The two ends report their keys asynchronously (the responder's may come a moment after the answer).
        long end = System.currentTimeMillis() + 2000;
        while (true) {
            try {
                return agreedKeysNow(mark, a, b);
            } catch (StepFailed notYet) {
                if (System.currentTimeMillis() > end) {
                    throw notYet;
                }
                Thread.sleep(20);
            }
        }
    }

    private String agreedKeysNow(int mark, String a, String b) throws StepFailed {
        Map<String, Map<String, String>> byDirection = new TreeMap<>();
        for (LegKeys k : recorder.since(mark, LegKeys.class)) {
            boolean ours = (k.sender().equals(a) && k.receiver().equals(b)) || (k.sender().equals(b)
                    && k.receiver().equals(a)) || (k.sender().equals(a) && k.receiver().equals(FACTORY))
                    || (k.sender().equals(FACTORY) && k.receiver().equals(a));
            if (ours) {
                byDirection.computeIfAbsent(Ladder.name(k.sender()) + "→" + Ladder.name(k.receiver()),
                        d -> new LinkedHashMap<>()).put(k.party(), k.fingerprint());
            }
        }
        check(byDirection.size() >= 2, "keys of both directions " + Ladder.name(a) + "⇄" + Ladder.name(b)
                + " were not reported (" + byDirection + ")");
        List<String> parts = new ArrayList<>();
        for (var e : byDirection.entrySet()) {
            Set<String> fps = Set.copyOf(e.getValue().values());
            check(e.getValue().size() >= 2, "only " + e.getValue().keySet() + " reported keys for " + e.getKey());
            check(fps.size() == 1, "the two ends derived different keys for " + e.getKey() + ": " + e.getValue());
            parts.add(e.getKey() + " #" + fps.iterator().next());
        }
        return String.join(", ", parts);
    }
}
