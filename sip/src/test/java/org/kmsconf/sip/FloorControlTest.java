package org.kmsconf.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmsconf.control.bfcp.message.BfcpError;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.ErrorCode;
import org.kmsconf.control.bfcp.message.RequestState;
import org.kmsconf.control.floor.FloorParticipant;
import org.kmsconf.control.tls.BfcpTlsClient;
import org.kmsconf.control.tls.PskIdentity;
import org.kmsconf.control.tls.TlsPolicy;
import org.kmsconf.media.relay.RelayConference;
import org.kmsconf.media.rtp.RtpEndpoint;
import org.kmsconf.media.rtp.ToneSource;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.NonMediaSession;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.focus.FloorControlConfig;
import org.kmsconf.sip.media.RelayMedia;
import org.kmsconf.sip.sdp.BfcpLine;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.SignallingCheck;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.FloorSession;
import org.kmsconf.sip.ue.UserAgent;

/**
 * Floor control of a moderated secure conference end to end, over real sockets against a real KMS: BFCP over TLS
 * with each leg's MIKEY-derived PSK, the owner as chair, the relay forwarding only the floor holder's SRTP; and what
 * a participant with genuine credentials of its own cannot do: decide as chair, speak as another participant's
 * user, connect with another leg's identity, or keep its connection once removed.
 */
class FloorControlTest {
    private static final String ALICE = "sip:alice@operator";
    private static final String BOB = "sip:bob@operator";
    private static final String CAROL = "sip:carol@operator";
    private static final Duration WAIT = Duration.ofSeconds(5);
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
        cs = w.server(w.serverConfig(null, false, media).withFloorControl(FloorControlConfig.defaults()), "udp");
        alice = w.ue("alice", "udp", c -> c.withFloorControl(true));
        bob = w.ue("bob", "udp", c -> c.withFloorControl(true));
        carol = w.ue("carol", "udp", c -> c.withFloorControl(true));
    }

    @AfterEach
    void stop() {
        endpoints.forEach(RtpEndpoint::close);
        w.close();
        media.close();
    }

    private String moderatedConference() throws Exception {
        UserAgent.Created c = alice.createConference(KmsWorld.FACTORY, List.of(BOB, CAROL), true);
        alice.join(c.focusUri(), c.ticket());
        return c.focusUri();
    }

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

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    @Test
    void theFloorMovesFromBobToCarolWithTheOwnersGrantAndTheRelayFollows() throws Exception {
        String focus = moderatedConference();
        Call b = bob.join(focus);
        Call c = carol.join(focus);
        Call a = alice.call(focus).orElseThrow();
        FloorSession af = alice.floor(focus).orElseThrow();
        FloorSession bf = bob.floor(focus).orElseThrow();
        FloorSession cf = carol.floor(focus).orElseThrow();
        assertThat(b.bfcp()).hasValueSatisfying(l -> assertThat(l.floorId()).isEqualTo(1));
        RelayConference rc = media.relay().conferences().get(focus);
        assertThat(rc.floorControlled()).isTrue();
        assertThat(rc.floorHolder()).isEmpty();
        RtpEndpoint ra = media(a);
        RtpEndpoint rb = media(b);
        RtpEndpoint rcar = media(c);
        talk(ra, rb, rcar); // nobody holds the floor: nobody is heard
        Thread.sleep(200);
        assertThat(ra.stats().authenticated() + rb.stats().authenticated() + rcar.stats().authenticated()).isZero();

        FloorSession.Status asked = bf.request();
        assertThat(asked.state()).isEqualTo(RequestState.PENDING); // moderated: the chair decides
        await(() -> af.requestOf(BOB).isPresent(), "the chair sees bob's request");
        af.decide(asked.floorRequestId(), RequestState.GRANTED);
        await(() -> rc.floorHolder().equals(Optional.of(BOB)), "the relay forwards bob's audio");
        await(() -> bf.holder().equals(Optional.of(BOB)) && cf.holder().equals(Optional.of(BOB)),
                "everyone is told bob holds the floor");
        talk(rb, rcar);
        assertThat(ra.awaitReceived(b.ssrc(), 5, WAIT)).isTrue();
        Thread.sleep(100);
        assertThat(ra.stats().authenticatedFrom(c.ssrc())).isZero();

        FloorSession.Status carolAsks = cf.request();
        await(() -> af.requestOf(CAROL).isPresent(), "the chair sees carol's request");
        af.decide(carolAsks.floorRequestId(), RequestState.GRANTED); // the floor moves: bob's grant is revoked
        await(() -> rc.floorHolder().equals(Optional.of(CAROL)), "the relay follows the floor to carol");
        await(() -> bf.holder().equals(Optional.of(CAROL)), "bob is told carol holds the floor");
        long fromBob = ra.stats().authenticatedFrom(b.ssrc());
        talk(rb, rcar);
        assertThat(ra.awaitReceived(c.ssrc(), 5, WAIT)).isTrue();
        Thread.sleep(100);
        assertThat(ra.stats().authenticatedFrom(b.ssrc())).isEqualTo(fromBob);
        assertThat(rc.legs().stream().filter(l -> l.participantUri().equals(BOB)).findFirst().orElseThrow()
                .stats().floorDropped()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aParticipantCannotDecideAsChairNorSpeakAsAnotherUserNorConnectWithAnotherLegsIdentity() throws Exception {
        String focus = moderatedConference();
        Call b = bob.join(focus);
        Call c = carol.join(focus);
        FloorSession cf = carol.floor(focus).orElseThrow();
        FloorSession.Status mine = cf.request();
        assertThatThrownBy(() -> cf.decide(mine.floorRequestId(), RequestState.GRANTED)).as("not the chair")
                .isInstanceOf(FlowFailedException.class).hasMessageContaining("BFCP error");
        assertThat(media.relay().conferences().get(focus).floorHolder()).isEmpty();

        BfcpLine line = c.bfcp().orElseThrow();
        int bobsUser = b.bfcp().orElseThrow().userId();
        KeyMaterial carolsPsk = c.leg().nonMediaKey(NonMediaSession.BFCP_TLS_PSK).orElseThrow();
        // carol's own connection, messages claiming bob's User ID: Error 5, nothing changes
        FloorParticipant asBob = new FloorParticipant(line.confId(), bobsUser, new FloorParticipant.Listener() { });
        try (BfcpTlsClient client = BfcpTlsClient.connect(line.address(), new PskIdentity(c.leg().csbId()),
                carolsPsk, TlsPolicy.tls13Only(), m -> { }, null)) {
            BfcpMessage answer = client.request(asBob.requestFloor(1), WAIT);
            assertThat(answer).isInstanceOfSatisfying(BfcpError.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED_OPERATION));
        }
        // bob's psk_identity with carol's key: the handshake fails
        assertThatThrownBy(() -> BfcpTlsClient.connect(line.address(), new PskIdentity(b.leg().csbId()), carolsPsk,
                TlsPolicy.tls13Only(), m -> { }, null)).isInstanceOf(IOException.class);
        assertThat(bob.floor(focus).orElseThrow().connected()).isTrue();
    }

    @Test
    void aReKeyReconnectsWithTheNewPskAndARemovedParticipantLosesItsConnection() throws Exception {
        String focus = moderatedConference();
        Call b = bob.join(focus);
        FloorSession bf = bob.floor(focus).orElseThrow();
        int firstCsb = b.leg().csbId();
        KeyMaterial oldPsk = b.leg().nonMediaKey(NonMediaSession.BFCP_TLS_PSK).orElseThrow().copy();
        bob.refresh(focus, null, UserAgent.UpdateMethod.REINVITE);
        assertThat(b.leg().csbId()).isNotEqualTo(firstCsb);
        assertThat(bf.connected()).isTrue();
        assertThat(bf.request().state()).isEqualTo(RequestState.PENDING); // works over the new connection
        BfcpLine line = b.bfcp().orElseThrow();
        // the old PSK no longer opens anything
        assertThatThrownBy(() -> BfcpTlsClient.connect(line.address(), new PskIdentity(firstCsb), oldPsk,
                TlsPolicy.tls13Only(), m -> { }, null)).isInstanceOf(IOException.class);

        KeyMaterial lastPsk = b.leg().nonMediaKey(NonMediaSession.BFCP_TLS_PSK).orElseThrow().copy();
        int lastCsb = b.leg().csbId();
        alice.removeParticipant(focus, BOB);
        assertThat(b.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).contains("BYE");
        await(() -> !bf.connected(), "the removed participant's BFCP connection is closed");
        assertThatThrownBy(() -> BfcpTlsClient.connect(line.address(), new PskIdentity(lastCsb), lastPsk,
                TlsPolicy.tls13Only(), m -> { }, null)).as("and it cannot come back").isInstanceOf(IOException.class);
    }

    @Test
    void aConferenceWithoutFloorControlRefusesTheBfcpStream() throws Exception {
        UserAgent.Created created = alice.createConference(KmsWorld.FACTORY, List.of(BOB));
        Call b = bob.join(created.focusUri());
        assertThat(b.bfcp()).isEmpty();
        assertThat(bob.floor(created.focusUri())).isEmpty();
        assertThat(w.events).anyMatch(e -> e instanceof FlowEvent.Check k
                && k.check() == SignallingCheck.FLOOR_CONTROL_KEYED && !k.passed() && k.detail().startsWith(BOB));
        assertThat(media.relay().conferences().get(created.focusUri()).floorControlled()).isFalse();
    }
}
