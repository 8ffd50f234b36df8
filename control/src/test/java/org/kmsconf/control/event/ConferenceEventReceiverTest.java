package org.kmsconf.control.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kmsconf.control.cms.AuthEnvelopedCms;
import org.kmsconf.control.cms.KekId;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.control.confinfo.ConferenceInfoPublisher;
import org.kmsconf.control.confinfo.ConferenceInfoXml;
import org.kmsconf.control.confinfo.Endpoint;
import org.kmsconf.control.confinfo.EndpointStatus;
import org.kmsconf.control.confinfo.JoiningMethod;
import org.kmsconf.control.confinfo.Media;
import org.kmsconf.control.confinfo.State;
import org.kmsconf.control.confinfo.User;
import org.kmsconf.control.event.ReceiveOutcome.Reason;
import org.kmsconf.mikey.crypto.KeyMaterial;

/**
 * Bob's end of the conference package (docs/profile.md §6): the focus seals each notification for his leg; his
 * receiver applies the genuine ones and refuses the rest in check order: plain conference-info, an unknown kekid,
 * a flipped bit, a wrong KEK (carol, a genuine participant, sealing with her own KEK under bob's kekid), another
 * inner type, another conference's entity; an old version is dropped as a replay, a gap asks for the full state.
 */
class ConferenceEventReceiverTest {
    static final String FOCUS = "sip:focus7.conference1@operator";
    static final SecureRandom RANDOM = new SecureRandom();
    static final int BOB_CSB = 0x1111;
    static final int CAROL_CSB = 0x2222;

    final KeyMaterial bobKek = key();
    final KeyMaterial carolKek = key();
    final ConferenceInfoPublisher toBob = new ConferenceInfoPublisher();
    final ConferenceEventReceiver bob = new ConferenceEventReceiver(FOCUS,
            id -> id.csbId() == BOB_CSB ? Optional.of(bobKek) : Optional.empty());

    static KeyMaterial key() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return KeyMaterial.of(b);
    }

    static User user(String name, long ssrc) {
        return new User("sip:" + name + "@operator", State.FULL, Optional.empty(), List.of(), List.of(new Endpoint(
                "sip:" + name + "@host", State.FULL, Optional.empty(), Optional.of(EndpointStatus.CONNECTED),
                Optional.of(JoiningMethod.DIALED_IN), Optional.empty(), List.of(Media.audio("1", ssrc)))));
    }

    static ConferenceInfo state(User... users) {
        return new ConferenceInfo(FOCUS, State.FULL, 0, Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(users));
    }

    byte[] nextForBob(ConferenceInfo state) {
        return NotifyBody.seal(toBob.next(state).orElseThrow(), BOB_CSB, bobKek, RANDOM);
    }

    ReceiveOutcome deliver(byte[] body) {
        return bob.receive(NotifyBody.CONTENT_TYPE, body);
    }

    @Test
    void bobSeesANewcomerInHisDecryptedRoster() {
        assertThat(deliver(nextForBob(state(user("alice", 1), user("bob", 2))))).isInstanceOf(ReceiveOutcome.Applied.class);
        ReceiveOutcome o = deliver(nextForBob(state(user("alice", 1), user("bob", 2), user("carol", 3))));
        assertThat(o).isInstanceOfSatisfying(ReceiveOutcome.Applied.class, a -> {
            assertThat(a.document().state()).isEqualTo(State.PARTIAL);
            assertThat(a.roster().users()).extracting(User::entity)
                    .containsExactly("sip:alice@operator", "sip:bob@operator", "sip:carol@operator");
            assertThat(a.roster().user("sip:carol@operator").orElseThrow().endpoints().get(0).media().get(0).srcId())
                    .hasValue(3L);
        });
        assertThat(o.sipStatus()).isEqualTo(200);
    }

    @Test
    void plainConferenceInfoIsRefusedWith493() {
        byte[] plain = ConferenceInfoXml.write(toBob.next(state(user("alice", 1))).orElseThrow());
        ReceiveOutcome o = bob.receive(ConferenceInfo.MEDIA_TYPE, plain);
        assertRefused(o, Reason.NOT_PROTECTED);
        assertRefused(bob.receive("application/pkcs7-mime; smime-type=enveloped-data", plain), Reason.NOT_PROTECTED);
        assertThat(bob.view().current()).isEmpty();
    }

    @Test
    void anUnknownKekidIs493AndAsksForANewSubscription() {
        byte[] forCarol = NotifyBody.seal(toBob.next(state(user("alice", 1))).orElseThrow(), CAROL_CSB, carolKek,
                RANDOM);
        ReceiveOutcome o = deliver(forCarol);
        assertRefused(o, Reason.UNKNOWN_KEK);
        assertThat(((ReceiveOutcome.Refused) o).resubscribe()).isTrue();
    }

    @Test
    void oneFlippedBitIs493() {
        byte[] body = nextForBob(state(user("alice", 1)));
        body[body.length - 3] ^= 0x01; // inside the GCM tag
        assertRefused(deliver(body), Reason.AUTHENTICATION_FAILED);
        byte[] body2 = nextForBob(state(user("alice", 1), user("dave", 4)));
        body2[body2.length - 40] ^= (byte) 0x80; // inside the ciphertext
        assertRefused(deliver(body2), Reason.AUTHENTICATION_FAILED);
        assertThat(bob.view().current()).isEmpty();
    }

    @Test
    void carolSealingWithHerOwnKekUnderBobsKekidIs493() {
        // Carol, a genuine participant, holds her own leg's KEK and forges a roster for bob without a mallory.
        ConferenceInfo forged = state(user("alice", 1)).withVersion(1);
        byte[] body = NotifyBody.seal(forged, BOB_CSB, carolKek, RANDOM);
        assertRefused(deliver(body), Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void anotherInnerTypeIs493() {
        byte[] plain = ("Content-Type: text/plain\r\n\r\n" + new String(ConferenceInfoXml.write(
                state(user("alice", 1)).withVersion(1)), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertRefused(deliver(AuthEnvelopedCms.seal(plain, new KekId(BOB_CSB), bobKek, RANDOM)),
                Reason.WRONG_INNER_TYPE);
        byte[] noHeaders = ConferenceInfoXml.write(state(user("alice", 1)).withVersion(1));
        assertRefused(deliver(AuthEnvelopedCms.seal(noHeaders, new KekId(BOB_CSB), bobKek, RANDOM)),
                Reason.WRONG_INNER_TYPE);
    }

    @Test
    void anotherConferencesEntityIs493() {
        ConferenceInfo other = new ConferenceInfo("sip:focus8.conference1@operator", State.FULL, 1, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of());
        assertRefused(deliver(NotifyBody.seal(other, BOB_CSB, bobKek, RANDOM)), Reason.WRONG_ENTITY);
    }

    @Test
    void aReplayedNotifyIsDroppedAndAGapAsksForTheFullState() {
        byte[] v1 = nextForBob(state(user("alice", 1)));
        byte[] v2 = nextForBob(state(user("alice", 1), user("bob", 2)));
        assertThat(deliver(v1)).isInstanceOf(ReceiveOutcome.Applied.class);
        assertThat(deliver(v2)).isInstanceOf(ReceiveOutcome.Applied.class);
        // an attacker on the path replays v1 (bob removed in between would reappear): dropped
        ReceiveOutcome replay = deliver(v1);
        assertThat(replay).isInstanceOf(ReceiveOutcome.Replay.class);
        assertThat(replay.sipStatus()).isEqualTo(200);
        assertThat(deliver(v2)).isInstanceOf(ReceiveOutcome.Replay.class);
        assertThat(bob.view().version()).isEqualTo(2);
        nextForBob(state(user("alice", 1))); // v3 lost
        assertThat(deliver(nextForBob(state()))).isInstanceOf(ReceiveOutcome.NeedsFullState.class);
        assertThat(deliver(NotifyBody.seal(toBob.full(state()), BOB_CSB, bobKek, RANDOM)))
                .isInstanceOf(ReceiveOutcome.Applied.class);
        assertThat(bob.view().current().orElseThrow().users()).isEmpty();
    }

    @Test
    void theChecksRunInTheProfilesOrder() {
        // a body that fails checks 1 and 4 at once reports check 1
        ConferenceInfo other = new ConferenceInfo("sip:elsewhere@operator", State.FULL, 1, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of());
        assertRefused(deliver(NotifyBody.seal(other, CAROL_CSB, carolKek, RANDOM)), Reason.UNKNOWN_KEK);
        // checks 2 and 4: check 2
        assertRefused(deliver(NotifyBody.seal(other, BOB_CSB, carolKek, RANDOM)), Reason.AUTHENTICATION_FAILED);
        assertThat(NotifyBody.isProtected("Application/PKCS7-MIME; smime-type=\"authEnveloped-data\"")).isTrue();
    }

    static void assertRefused(ReceiveOutcome o, Reason r) {
        assertThat(o).isInstanceOfSatisfying(ReceiveOutcome.Refused.class, x -> assertThat(x.reason()).isEqualTo(r));
        assertThat(o.sipStatus()).isEqualTo(493);
    }
}
