package org.kmsconf.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.control.confinfo.ConferenceInfoXml;
import org.kmsconf.control.confinfo.State;
import org.kmsconf.control.confinfo.User;
import org.kmsconf.control.event.ConferenceEventReceiver;
import org.kmsconf.control.event.NotifyBody;
import org.kmsconf.control.event.ReceiveOutcome;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.NonMediaSession;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.SignallingCheck;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.RosterEvent;
import org.kmsconf.sip.ue.UserAgent;

/**
 * The conference event package of a KMS-secured conference end to end, over real sockets against a real KMS: who
 * may subscribe (a participant with a live leg, nobody else: 403 before 406), what a participant sees (the
 * newcomer, with the SSRC the focus assigned, decrypted from a body sealed for it alone), and the end of a removed
 * participant's subscription.
 */
class ConferenceStateTest {
    private static final String ALICE = "sip:alice@operator";
    private static final String BOB = "sip:bob@operator";
    private static final String CAROL = "sip:carol@operator";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private KmsWorld w;
    private ConferenceServer cs;
    private UserAgent alice;
    private UserAgent bob;
    private UserAgent carol;
    private final List<RosterEvent> bobSees = new CopyOnWriteArrayList<>();
    private final List<RosterEvent> aliceSees = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        w = new KmsWorld();
        cs = w.server(null, false, "udp");
        alice = w.ue("alice", "udp");
        bob = w.ue("bob", "udp");
        carol = w.ue("carol", "udp");
        alice.setRosterListener((events, roster) -> aliceSees.addAll(events));
        bob.setRosterListener((events, roster) -> bobSees.addAll(events));
    }

    @AfterEach
    void stop() {
        w.close();
    }

    private String conference(String... participants) throws Exception {
        UserAgent.Created c = alice.createConference(KmsWorld.FACTORY, List.of(participants));
        alice.join(c.focusUri(), c.ticket());
        return c.focusUri();
    }

    private static void await(List<RosterEvent> seen, Predicate<RosterEvent> what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (seen.stream().noneMatch(what) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(seen).as("roster events").anyMatch(what);
    }

    @Test
    void aParticipantSeesANewcomerWithTheSsrcTheFocusAssignedInItsDecryptedRoster() throws Exception {
        String focus = conference(BOB, CAROL);
        Call bobs = bob.join(focus);
        await(bobSees, e -> e.kind() == RosterEvent.Kind.PRESENT && e.identity().equals(ALICE));
        Call carols = carol.join(focus);
        await(bobSees, e -> e.kind() == RosterEvent.Kind.JOINED && e.identity().equals(CAROL)
                && e.ssrc().equals(Optional.of(carols.ssrc())));
        await(aliceSees, e -> e.kind() == RosterEvent.Kind.JOINED && e.identity().equals(BOB)
                && e.ssrc().equals(Optional.of(bobs.ssrc())));
        assertThat(bob.roster(focus)).hasValueSatisfying(r -> {
            assertThat(r.entity()).isEqualTo(focus);
            assertThat(r.hostInfo().orElseThrow().uris().get(0).uri()).isEqualTo(ALICE);
            assertThat(r.users()).extracting(u -> u.entity()).containsExactly(ALICE, BOB, CAROL);
        });
        assertThat(passed(SignallingCheck.NOTIFY_BODY_VERIFIED, BOB)).isTrue();
        assertThat(failed(SignallingCheck.NOTIFY_BODY_VERIFIED)).isFalse();
        // Every NOTIFY body on the wire was CMS, never conference-info in the clear (the trace's MIKEY content
        // is NONE, and the UE verified each one).
        bob.leave(focus);
        await(aliceSees, e -> e.kind() == RosterEvent.Kind.LEFT && e.identity().equals(BOB));
    }

    @Test
    void aStrangerAndAnAllowedUserWhoHasNotJoinedAreRefused403AndLearnNothing() throws Exception {
        String focus = conference(BOB, CAROL);
        try (RawSip raw = new RawSip()) {
            for (String who : List.of("sip:mallory@operator", CAROL)) {
                Response r = raw.send(subscribe(raw, who, focus, true, 600));
                assertThat(r.getStatusCode()).as(who).isEqualTo(403);
                assertThat(r.getRawContent()).isNull();
            }
            // 403 is decided before 406: a stranger who does not accept CMS learns nothing more.
            assertThat(raw.send(subscribe(raw, "sip:mallory@operator", focus, false, 600)).getStatusCode())
                    .isEqualTo(403);
        }
        assertThat(failed(SignallingCheck.SUBSCRIBER_HAS_LIVE_LEG)).isTrue();
    }

    @Test
    void aParticipantThatDoesNotAcceptCmsIsRefused406() throws Exception {
        String focus = conference(BOB);
        try (RawSip raw = new RawSip()) {
            // alice has a live leg; this SUBSCRIBE claims to be from her but does not accept application/pkcs7-mime
            Response r = raw.send(subscribe(raw, ALICE, focus, false, 600));
            assertThat(r.getStatusCode()).isEqualTo(406);
        }
    }

    @Test
    void aRemovedParticipantsSubscriptionEndsAndTheOthersSeeTheRemoval() throws Exception {
        String focus = conference(BOB, CAROL);
        Call bobs = bob.join(focus);
        carol.join(focus);
        await(bobSees, e -> e.identity().equals(CAROL) && e.ssrc().isPresent()); // joined, or there when bob looked
        alice.removeParticipant(focus, BOB);
        bobs.ended().get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        long end = System.nanoTime() + WAIT.toNanos();
        while (notifies(BOB, "terminated").isEmpty() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        await(aliceSees, e -> e.kind() == RosterEvent.Kind.REMOVED && e.identity().equals(BOB));
        assertThat(bob.roster(focus)).isEmpty();
        assertThat(bob.call(focus)).isEmpty();
    }

    /**
     * NOTIFYs an attacker on the path forges inside bob's subscription dialog (Call-ID and tags are in the clear): a
     * sealed body with one bit flipped, conference-info in the clear, a body sealed under carol's genuine KEK, and
     * one naming another conference, each answered 493; an authentic body of an old version (a replay) dropped.
     * Bob's roster never changes.
     */
    @Test
    void forgedTamperedAndReplayedNotifiesAreRefusedAndChangeNothing() throws Exception {
        String focus = conference(BOB, CAROL);
        Call bobs = bob.join(focus);
        Call carols = carol.join(focus);
        await(bobSees, e -> e.identity().equals(CAROL) && e.ssrc().isPresent()); // joined, or there when bob looked
        ConferenceInfo before = bob.roster(focus).orElseThrow();
        ConferenceInfo forged = new ConferenceInfo(focus, State.PARTIAL, before.version() + 1, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(User.deleted(CAROL)));
        Leg bobsLeg = bobs.leg();
        KeyMaterial bobsKek = bobsLeg.nonMediaKey(NonMediaSession.EVENT_PACKAGE_KEK).orElseThrow();
        SecureRandom random = new SecureRandom();
        byte[] tampered = NotifyBody.seal(forged, bobsLeg.csbId(), bobsKek, random);
        tampered[tampered.length - 20] ^= 1;
        Leg carolsLeg = carols.leg();
        byte[] underCarolsKey = NotifyBody.seal(forged, carolsLeg.csbId(),
                carolsLeg.nonMediaKey(NonMediaSession.EVENT_PACKAGE_KEK).orElseThrow(), random);
        byte[] otherEntity = NotifyBody.seal(new ConferenceInfo("sip:focus1.conference1@operator", State.FULL,
                before.version() + 1, Optional.empty(), Optional.empty(), Optional.empty(), List.of()),
                bobsLeg.csbId(), bobsKek, random);
        byte[] replay = NotifyBody.seal(before.withVersion(1), bobsLeg.csbId(), bobsKek, random);
        Call.DialogView d = bob.subscriptionView(focus).orElseThrow();
        try (RawSip attacker = new RawSip()) {
            int cseq = 1000;
            assertThat(forge(attacker, focus, d, cseq++, NotifyBody.CONTENT_TYPE, tampered)).isEqualTo(493);
            assertThat(forge(attacker, focus, d, cseq++, "application/conference-info+xml",
                    ConferenceInfoXml.write(forged))).isEqualTo(493);
            assertThat(forge(attacker, focus, d, cseq++, NotifyBody.CONTENT_TYPE, underCarolsKey)).isEqualTo(493);
            assertThat(forge(attacker, focus, d, cseq++, NotifyBody.CONTENT_TYPE, otherEntity)).isEqualTo(493);
            assertThat(forge(attacker, focus, d, cseq++, NotifyBody.CONTENT_TYPE, replay)).isEqualTo(200);
        }
        assertThat(bob.roster(focus)).contains(before);
        assertThat(w.events).filteredOn(e -> e instanceof FlowEvent.Check k
                && k.check() == SignallingCheck.NOTIFY_BODY_VERIFIED && !k.passed() && k.party().equals(BOB))
                .hasSize(4);
    }

    /**
     * Carol, a participant with genuine credentials of her own, subscribes claiming to be bob (SIP's From is not
     * authenticated by itself): the focus accepts, for bob has a live leg, but every body it sends is sealed under
     * bob's leg KEK, which carol cannot open, neither as herself nor by trying her own KEK under bob's key id.
     */
    @Test
    void aParticipantSubscribingAsAnotherGetsOnlyBodiesItCannotOpen() throws Exception {
        String focus = conference(BOB, CAROL);
        bob.join(focus);
        Call carols = carol.join(focus);
        try (RawSip carolsOtherDevice = new RawSip()) {
            Response r = carolsOtherDevice.send(subscribe(carolsOtherDevice, BOB, focus, true, 600));
            assertThat(r.getStatusCode()).isEqualTo(200);
            long end = System.nanoTime() + WAIT.toNanos();
            while (carolsOtherDevice.received.stream().noneMatch(q -> q.getRawContent() != null)
                    && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            Request notify = carolsOtherDevice.received.stream().filter(q -> q.getRawContent() != null).findFirst()
                    .orElseThrow();
            String type = "application/pkcs7-mime; smime-type=authEnveloped-data";
            KeyMaterial carolsKek = carols.leg().nonMediaKey(NonMediaSession.EVENT_PACKAGE_KEK).orElseThrow();
            ReceiveOutcome asHerself = new ConferenceEventReceiver(focus, k -> k.csbId() == carols.leg().csbId()
                    ? Optional.of(carolsKek) : Optional.empty()).receive(type, notify.getRawContent());
            assertThat(asHerself).isInstanceOfSatisfying(ReceiveOutcome.Refused.class,
                    x -> assertThat(x.reason()).isEqualTo(ReceiveOutcome.Reason.UNKNOWN_KEK));
            ReceiveOutcome withHerKeyAsBobs = new ConferenceEventReceiver(focus, k -> Optional.of(carolsKek))
                    .receive(type, notify.getRawContent());
            assertThat(withHerKeyAsBobs).isInstanceOfSatisfying(ReceiveOutcome.Refused.class,
                    x -> assertThat(x.reason()).isEqualTo(ReceiveOutcome.Reason.AUTHENTICATION_FAILED));
        }
    }

    /** Sends a NOTIFY of the attacker's making inside the subscription dialog {@code d} of the UE; its status. */
    private int forge(RawSip attacker, String focus, Call.DialogView d, int cseq, String contentType, byte[] body)
            throws Exception {
        Request n = attacker.msgs.request(Request.NOTIFY, focus, BOB, w.directory.lookup(BOB).orElseThrow());
        HeaderFactory hf = attacker.node.headerFactory();
        n.setHeader(hf.createCallIdHeader(d.callId()));
        ((FromHeader) n.getHeader(FromHeader.NAME)).setTag(d.remoteTag());
        ((ToHeader) n.getHeader(ToHeader.NAME)).setTag(d.localTag());
        n.setHeader(hf.createCSeqHeader((long) cseq, Request.NOTIFY));
        n.addHeader(hf.createEventHeader("conference"));
        SubscriptionStateHeader ss = hf.createSubscriptionStateHeader(SubscriptionStateHeader.ACTIVE);
        ss.setExpires(600);
        n.addHeader(ss);
        String[] t = contentType.split(";")[0].split("/");
        ContentTypeHeader ct = hf.createContentTypeHeader(t[0], t[1]);
        if (contentType.contains("smime-type")) {
            ct.setParameter("smime-type", "authEnveloped-data");
        }
        n.setContent(body, ct);
        return attacker.send(n).getStatusCode();
    }

    /** NOTIFYs the UE {@code party} received (from the trace) whose text contains {@code what}. */
    private List<FlowEvent.SipMessage> notifies(String party, String what) {
        return w.events.stream().filter(e -> e instanceof FlowEvent.SipMessage m && m.party().equals(party)
                && m.what().equals("NOTIFY") && m.direction() == FlowEvent.Direction.RECEIVED)
                .map(e -> (FlowEvent.SipMessage) e).toList();
    }

    private Request subscribe(RawSip raw, String from, String focus, boolean acceptCms, int expires)
            throws Exception {
        Request r = raw.msgs.request(Request.SUBSCRIBE, from, focus, w.directory.lookup(focus).orElseThrow());
        r.addHeader(raw.node.headerFactory().createEventHeader("conference"));
        if (acceptCms) {
            r.addHeader(raw.node.headerFactory().createAcceptHeader("application", "pkcs7-mime"));
        } else {
            r.addHeader(raw.node.headerFactory().createAcceptHeader("application", "conference-info+xml"));
        }
        r.addHeader(raw.node.headerFactory().createExpiresHeader(expires));
        return r;
    }

    private boolean passed(SignallingCheck c, String party) {
        return w.events.stream().anyMatch(e -> e instanceof FlowEvent.Check k && k.check() == c && k.passed()
                && k.party().equals(party));
    }

    private boolean failed(SignallingCheck c) {
        return w.events.stream().anyMatch(e -> e instanceof FlowEvent.Check k && k.check() == c && !k.passed());
    }
}
