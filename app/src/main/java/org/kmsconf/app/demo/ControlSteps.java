package org.kmsconf.app.demo;

import static org.kmsconf.app.demo.DemoWorld.FACTORY;
import static org.kmsconf.app.demo.DemoWorld.uri;
import static org.kmsconf.app.demo.StepFailed.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.kmsconf.app.trace.Ladder;
import org.kmsconf.control.bfcp.message.RequestState;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.control.confinfo.Endpoint;
import org.kmsconf.control.confinfo.EndpointStatus;
import org.kmsconf.control.confinfo.Media;
import org.kmsconf.control.confinfo.User;
import org.kmsconf.media.relay.RelayConference;
import org.kmsconf.media.rtp.RtpEndpoint;
import org.kmsconf.media.rtp.ToneSource;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.conference.ConferenceState;
import org.kmsconf.sip.trace.SignallingCheck;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.FloorSession;
import org.kmsconf.sip.ue.UserAgent;

/**
 * The demo's steps for what a KMS-secured conference protects besides media (seed 5.3.3.2): every participant
 * follows the roster in NOTIFYs sealed for its own leg, and a moderated conference whose floor moves with the
 * owner's grant, the relay forwarding only the holder's SRTP.
 */
final class ControlSteps {
    private static final Duration WAIT = Duration.ofSeconds(3);
    private final DemoWorld world;
    private final EventRecorder recorder;

    ControlSteps(DemoWorld world, EventRecorder recorder) {
        this.world = world;
        this.recorder = recorder;
    }

    /** Each participant's decrypted roster names everyone connected with the SSRC the focus assigned. */
    String roster(int mark, String focus, List<String> participants) throws Exception {
        ConferenceState st = world.server().conference(focus).orElseThrow(() -> new StepFailed("conference gone"));
        Map<String, Ssrc> truth = st.participantSsrcs();
        for (String u : participants) {
            UserAgent ua = world.ue(u);
            await(() -> truth.equals(connected(ua.roster(focus))), u + "'s roster is " + connected(ua.roster(focus))
                    + ", the focus has " + truth);
            check(recorder.passed(0, uri(u), SignallingCheck.NOTIFY_BODY_VERIFIED), u + " verified no NOTIFY");
        }
        check(recorder.passed(0, focus, SignallingCheck.SUBSCRIBER_HAS_LIVE_LEG),
                "the focus did not check the subscribers' legs");
        check(!recorder.failed(0, focus, SignallingCheck.SUBSCRIBER_ACCEPTS_CMS), "a subscriber refused CMS");
        List<String> shown = new ArrayList<>();
        truth.forEach((who, ssrc) -> shown.add(Ladder.name(who) + " " + ssrc));
        return participants.size() + " participants each follow the roster {" + String.join(", ", shown)
                + "} in NOTIFYs sealed for their own leg (CMS AuthEnvelopedData under its K(0xE0)), each verified";
    }

    /** Who is connected, with their SSRCs, in a roster. */
    static Map<String, Ssrc> connected(Optional<ConferenceInfo> roster) {
        Map<String, Ssrc> m = new java.util.LinkedHashMap<>();
        for (User u : roster.map(ConferenceInfo::users).orElse(List.of())) {
            for (Endpoint e : u.endpoints()) {
                if (e.status().filter(s -> s == EndpointStatus.CONNECTED).isPresent()) {
                    e.media().stream().map(Media::srcId).flatMap(Optional::stream).findFirst()
                            .ifPresent(id -> m.put(u.entity(), Ssrc.of(id)));
                }
            }
        }
        return m;
    }

    /**
     * A moderated conference: alice creates it asking for floor control, she, bob and carol join and ask for BFCP
     * (a re-INVITE keying the leg's BFCP PSK). Bob asks for the floor (Pending: the chair decides), alice grants it:
     * the relay forwards bob only. Carol asks, alice grants: the floor moves, the relay follows.
     */
    String floor(int mark) throws Exception {
        UserAgent alice = world.ue("alice");
        UserAgent bob = world.ue("bob");
        UserAgent carol = world.ue("carol");
        UserAgent.Created created = alice.createConference(FACTORY, List.of(uri("bob"), uri("carol")), true);
        String focus = created.focusUri();
        List<RtpEndpoint> eps = new ArrayList<>();
        try {
            alice.join(focus, created.ticket());
            bob.join(focus);
            carol.join(focus);
            FloorSession af = alice.addFloorControl(focus);
            FloorSession bf = bob.addFloorControl(focus);
            FloorSession cf = carol.addFloorControl(focus);
            check(recorder.passed(mark, focus, SignallingCheck.FLOOR_CONTROL_KEYED),
                    "the focus keyed no BFCP leg");
            RelayConference relay = world.media().relay().conferences().get(focus);
            check(relay != null && relay.floorControlled(), "the relay does not control the floor of " + focus);
            RtpEndpoint ra = endpoint(alice.call(focus).orElseThrow(), eps);
            RtpEndpoint rb = endpoint(bob.call(focus).orElseThrow(), eps);
            RtpEndpoint rc = endpoint(carol.call(focus).orElseThrow(), eps);
            Ssrc bobs = bob.call(focus).orElseThrow().ssrc();
            Ssrc carols = carol.call(focus).orElseThrow().ssrc();

            FloorSession.Status asked = bf.request();
            check(asked.state() == RequestState.PENDING, "bob's request is " + asked.state());
            await(() -> af.requestOf(uri("bob")).isPresent(), "alice (the chair) never saw bob's request");
            af.decide(asked.floorRequestId(), RequestState.GRANTED);
            await(() -> relay.floorHolder().equals(Optional.of(uri("bob"))), "the relay does not forward bob");
            talk(ra, rb, rc);
            check(ra.awaitReceived(bobs, 5, WAIT), "alice does not hear bob");
            Thread.sleep(100);
            check(ra.stats().authenticatedFrom(carols) == 0, "alice hears carol, who does not hold the floor");

            FloorSession.Status carolAsks = cf.request();
            await(() -> af.requestOf(uri("carol")).isPresent(), "alice never saw carol's request");
            af.decide(carolAsks.floorRequestId(), RequestState.GRANTED);
            await(() -> relay.floorHolder().equals(Optional.of(uri("carol"))), "the relay did not follow the floor");
            await(() -> bf.holder().equals(Optional.of(uri("carol"))), "bob was not told carol holds the floor");
            long fromBob = ra.stats().authenticatedFrom(bobs);
            talk(ra, rb, rc);
            check(ra.awaitReceived(carols, 5, WAIT), "alice does not hear carol");
            Thread.sleep(100);
            check(ra.stats().authenticatedFrom(bobs) == fromBob, "alice still hears bob");
            long dropped = relay.legs().stream().filter(l -> l.participantUri().equals(uri("bob"))).findFirst()
                    .map(l -> l.stats().floorDropped()).orElse(0L);
            return "moderated " + Ladder.name(focus) + ": bob asked (Pending), alice (chair) granted, the relay "
                    + "forwarded bob only; carol asked, alice granted: the floor moved and the relay followed ("
                    + dropped + " of bob's packets not relayed without the floor); BFCP over TLS 1.3 with each "
                    + "leg's MIKEY-derived PSK";
        } finally {
            eps.forEach(RtpEndpoint::close);
            if (alice.call(focus).isPresent()) {
                alice.leave(focus); // the owner leaves: the moderated conference ends
            }
        }
    }

    private static RtpEndpoint endpoint(Call c, List<RtpEndpoint> eps) {
        RtpEndpoint ep = RtpEndpoint.open(c.localMedia(), c.ssrc(), c.sendKeys(), c.receiveKeys());
        ep.remote(c.peerMedia());
        eps.add(ep);
        return ep;
    }

    private static void talk(RtpEndpoint... eps) {
        for (RtpEndpoint e : eps) {
            e.send(new ToneSource(440, 0.3), 5, Duration.ofMillis(2));
        }
    }

    private static void await(BooleanSupplier condition, String failure) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new StepFailed(failure);
            }
            Thread.sleep(10);
        }
    }
}
