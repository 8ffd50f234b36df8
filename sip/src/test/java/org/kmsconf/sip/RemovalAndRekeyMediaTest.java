package org.kmsconf.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmsconf.media.relay.RelayConference;
import org.kmsconf.media.relay.RelayLeg;
import org.kmsconf.media.rtp.RtpEndpoint;
import org.kmsconf.media.rtp.ToneSource;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.media.RelayMedia;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UserAgent;

/**
 * Removal and re-keying with SRTP flowing through the real relay: a participant taken out of the allowed set (or
 * removed by the owner) gets a BYE within a second, the relay stops both ways and the focus forgets its keys; the
 * owner may empty the set; and an owner who re-keys 20 times keeps being heard by everyone after each re-key (the
 * same SSRC, its sequence number and ROC carried on under the new keys, RFC 3711).
 */
class RemovalAndRekeyMediaTest {
    private static final String ALICE = "sip:alice@operator";
    private static final String BOB = "sip:bob@operator";
    private static final String CAROL = "sip:carol@operator";
    private static final Duration WAIT = Duration.ofSeconds(3);
    private KmsWorld w;
    private RelayMedia media;
    private ConferenceServer cs;
    private UserAgent alice;
    private UserAgent bob;
    private UserAgent carol;
    private final List<RtpEndpoint> endpoints = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        w = new KmsWorld();
        media = RelayMedia.start(InetAddress.getLoopbackAddress());
        cs = w.server(null, false, "udp", media);
        alice = w.ue("alice", "udp");
        bob = w.ue("bob", "udp");
        carol = w.ue("carol", "udp");
    }

    @AfterEach
    void stop() {
        endpoints.forEach(RtpEndpoint::close);
        w.close();
        media.close();
    }

    /** The participant's media end, bound to the address its SDP named, sending towards the focus. */
    private RtpEndpoint media(Call call) {
        RtpEndpoint e = RtpEndpoint.open(call.localMedia(), call.ssrc(), call.sendKeys(), call.receiveKeys());
        e.remote(call.peerMedia());
        endpoints.add(e);
        return e;
    }

    private static void talk(RtpEndpoint... eps) {
        for (RtpEndpoint e : eps) {
            e.send(new ToneSource(440, 0.3), 5, Duration.ofMillis(2));
        }
    }

    private static long heard(RtpEndpoint at, Ssrc from) {
        return at.stats().authenticatedFrom(from);
    }

    private List<String> relayLegs(String focus) {
        RelayConference rc = media.relay().conferences().get(focus);
        return rc == null ? List.of() : rc.legs().stream().map(RelayLeg::participantUri).toList();
    }

    @Test
    void aParticipantLeftOutOfTheAllowedSetLosesItsLegAtOnceAndTheOwnerMayEmptyTheSet() throws Exception {
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB, CAROL)).focusUri();
        Call a = alice.join(focus);
        Call b = bob.join(focus);
        Call c = carol.join(focus);
        RtpEndpoint ra = media(a);
        RtpEndpoint rb = media(b);
        RtpEndpoint rc = media(c);
        talk(ra, rb, rc);
        talk(ra, rb, rc); // after everyone's first packet the relay knows where each one listens
        assertThat(rc.awaitReceived(b.ssrc(), 5, WAIT)).isTrue();
        assertThat(rb.awaitReceived(a.ssrc(), 5, WAIT)).isTrue();

        long t0 = System.nanoTime();
        alice.updateAllowed(focus, List.of(CAROL), UserAgent.UpdateMethod.UPDATE); // bob is no longer allowed
        ra.rekey(a.sendKeys(), a.receiveKeys()); // the owner's leg was re-keyed by the update
        assertThat(b.ended().get(1, TimeUnit.SECONDS)).contains("BYE");
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2));
        assertThat(cs.legOf(focus, BOB)).isEmpty();
        assertThat(relayLegs(focus)).containsExactlyInAnyOrder(ALICE, CAROL);
        assertThat(cs.conference(focus).orElseThrow().allowed()).containsExactly(CAROL);
        // the relay stops both ways: bob's packets reach nobody, nobody's reach bob
        long carolFromBob = heard(rc, b.ssrc());
        long bobFromAlice = heard(rb, a.ssrc());
        long carolFromAlice = heard(rc, a.ssrc());
        talk(ra, rb);
        assertThat(rc.awaitReceived(a.ssrc(), carolFromAlice + 5, WAIT)).isTrue(); // alice still heard by carol
        Thread.sleep(200);
        assertThat(heard(rc, b.ssrc())).isEqualTo(carolFromBob);
        assertThat(heard(rb, a.ssrc())).isEqualTo(bobFromAlice);
        assertThatThrownBy(() -> bob.join(focus)).isInstanceOfSatisfying(FlowFailedException.class,
                e -> assertThat(e.status()).isEqualTo(403));

        // the owner empties the set: a ticket naming the focus and herself
        alice.updateAllowed(focus, List.of(), UserAgent.UpdateMethod.REINVITE);
        assertThat(c.ended().get(1, TimeUnit.SECONDS)).contains("BYE");
        assertThat(cs.conference(focus).orElseThrow().allowed()).isEmpty();
        assertThat(cs.conference(focus).orElseThrow().participantSsrcs()).containsOnlyKeys(ALICE);
        assertThat(relayLegs(focus)).containsExactly(ALICE);
    }

    @Test
    void theOwnerRemovesAParticipantExplicitly() throws Exception {
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB, CAROL)).focusUri();
        alice.join(focus);
        Call b = bob.join(focus);
        carol.join(focus);
        assertThatThrownBy(() -> bob.removeParticipant(focus, CAROL)).as("only the owner removes")
                .isInstanceOfSatisfying(FlowFailedException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThat(alice.removeParticipant(focus, BOB).succeeded()).isTrue();
        assertThat(b.ended().get(1, TimeUnit.SECONDS)).contains("BYE");
        assertThat(cs.legOf(focus, BOB)).isEmpty();
        assertThat(cs.conference(focus).orElseThrow().allowed()).containsExactly(CAROL);
        assertThat(relayLegs(focus)).containsExactlyInAnyOrder(ALICE, CAROL);
    }

    @Test
    void everyoneHearsTheOwnerAfterEachOfTwentyReKeys() throws Exception {
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB, CAROL)).focusUri();
        Call a = alice.join(focus);
        Call b = bob.join(focus);
        Call c = carol.join(focus);
        RtpEndpoint ra = media(a);
        RtpEndpoint rb = media(b);
        RtpEndpoint rc = media(c);
        talk(rb, rc); // the relay learns where bob and carol listen
        ra.startSending(new ToneSource(440, 0.3)); // 50 packets a second, all along
        assertThat(rb.awaitReceived(a.ssrc(), 5, WAIT)).isTrue();
        Ssrc ssrc = a.ssrc();
        for (int i = 1; i <= 20; i++) {
            String keys = a.sendKeys().fingerprint();
            alice.refresh(focus, null, i % 2 == 0 ? UserAgent.UpdateMethod.UPDATE : UserAgent.UpdateMethod.REINVITE);
            assertThat(a.sendKeys().fingerprint()).as("re-key %d", i).isNotEqualTo(keys);
            assertThat(a.ssrc()).isEqualTo(ssrc);
            ra.rekey(a.sendKeys(), a.receiveKeys());
            long bobHeard = heard(rb, ssrc);
            long carolHeard = heard(rc, ssrc);
            assertThat(rb.awaitReceived(ssrc, bobHeard + 5, WAIT)).as("bob hears alice after re-key %d", i).isTrue();
            assertThat(rc.awaitReceived(ssrc, carolHeard + 5, WAIT)).as("carol hears alice after re-key %d", i)
                    .isTrue();
        }
        RelayLeg aliceLeg = media.relay().conferences().get(focus).legs().stream()
                .filter(l -> l.participantUri().equals(ALICE)).findFirst().orElseThrow();
        // the leg kept its socket and SSRC through all the re-keys: one leg, nothing replayed
        assertThat(aliceLeg.stats().rejectedReplay()).isZero();
        assertThat(rb.stats().rejectedReplay()).isZero();
        assertThat(rc.stats().rejectedReplay()).isZero();
    }
}
