package org.kmsconf.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmsconf.sip.conference.ConferenceState;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.ue.AnswerPolicy;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UserAgent;

/** The five flows of TR 33.829 Figure 5.3.3.3.2-1 and their refusals, over real SIP sockets on loopback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConferenceFlowsTest {
    private KmsWorld w;
    private ConferenceServer cs;
    private UserAgent alice;
    private UserAgent bob;
    private UserAgent carol;
    private UserAgent dave;
    private UserAgent eve;

    @BeforeAll
    void start() throws Exception {
        w = new KmsWorld();
        cs = w.server(null, false, "udp");
        alice = w.ue("alice", "udp");
        bob = w.ue("bob", "udp");
        carol = w.ue("carol", "udp");
        dave = w.ue("dave", "udp");
        eve = w.ue("eve", "udp");
    }

    @AfterAll
    void stop() {
        w.close();
    }

    private static void assertSameLeg(Call call, Leg focusSide) {
        assertThat(call.leg().cs1().sameKeysAs(focusSide.cs1())).isTrue();
        assertThat(call.leg().cs2().sameKeysAs(focusSide.cs2())).isTrue();
        assertThat(call.leg().cs1().sameKeysAs(call.leg().cs2())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void createJoinCallInAndLeave(String transport) throws Exception {
        w.useTransport(transport);
        UserAgent.Created created = alice.createConference(KmsWorld.FACTORY, List.of("sip:bob@operator",
                "sip:carol@operator"));
        assertThat(created.focusUri()).matches(KmsWorld.FOCI);
        ConferenceState state = cs.conference(created.focusUri()).orElseThrow();
        assertThat(state.owner()).isEqualTo("sip:alice@operator");
        assertThat(state.allowed()).containsExactly("sip:bob@operator", "sip:carol@operator");

        Call a = alice.join(created.focusUri(), created.ticket()); // flow 2, re-using the creation ticket
        Call b = bob.join(created.focusUri()); // flow 3
        assertSameLeg(a, cs.legOf(created.focusUri(), "sip:alice@operator").orElseThrow());
        assertSameLeg(b, cs.legOf(created.focusUri(), "sip:bob@operator").orElseThrow());
        assertThat(a.sendKeys().sameKeysAs(b.sendKeys())).isFalse();
        assertThat(a.receiveKeys().sameKeysAs(b.receiveKeys())).isFalse();
        assertThat(a.ssrc().isAssigned()).isTrue();
        assertThat(a.ssrc()).isNotEqualTo(b.ssrc());
        assertThat(cs.conference(created.focusUri()).orElseThrow().participantSsrcs())
                .containsEntry("sip:alice@operator", a.ssrc()).containsEntry("sip:bob@operator", b.ssrc());

        bob.leave(created.focusUri());
        assertThat(cs.conference(created.focusUri()).orElseThrow().participantSsrcs())
                .doesNotContainKey("sip:bob@operator");
        Call again = bob.join(created.focusUri()); // re-join
        assertThat(again.isActive()).isTrue();

        alice.leave(created.focusUri()); // the owner ends the conference
        again.ended().get(5, TimeUnit.SECONDS);
        assertThat(cs.conference(created.focusUri())).isEmpty();
    }

    @Test
    void creatorJoiningWithANewTicketUpdatesTheAllowedSet() throws Exception {
        w.useTransport("udp");
        UserAgent.Created created = alice.createConference(KmsWorld.FACTORY, List.of("sip:bob@operator"));
        Call a = alice.join(created.focusUri(), List.of("sip:carol@operator")); // flow 2 step a with an update
        assertThat(cs.conference(created.focusUri()).orElseThrow().allowed()).containsExactly("sip:carol@operator");
        assertThatThrownBy(() -> bob.join(created.focusUri()))
                .isInstanceOfSatisfying(FlowFailedException.class, e -> assertThat(e.status()).isEqualTo(403));
        Call c = carol.join(created.focusUri());
        assertSameLeg(c, cs.legOf(created.focusUri(), "sip:carol@operator").orElseThrow());
        assertSameLeg(a, cs.legOf(created.focusUri(), "sip:alice@operator").orElseThrow());
        alice.leave(created.focusUri());
        c.ended().get(5, TimeUnit.SECONDS);
    }

    @Test
    void callerOutsideTheAllowedSetIsRefused() throws Exception {
        UserAgent.Created created = alice.createConference(KmsWorld.FACTORY, List.of("sip:bob@operator"));
        assertThatThrownBy(() -> dave.join(created.focusUri()))
                .isInstanceOfSatisfying(FlowFailedException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    // the 403 carries a MIKEY error whose MAC (MPKi) dave's user agent verified
                    assertThat(e.getMessage()).contains("INVALID_ID").contains("(authenticated)");
                });
        assertThat(cs.conference(created.focusUri()).orElseThrow().participantSsrcs()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void referToFocusCallsTheParticipantOut(String transport) throws Exception {
        w.useTransport(transport);
        UserAgent.Created created = alice.createConference(KmsWorld.FACTORY, List.of("sip:carol@operator"));
        alice.join(created.focusUri());
        ReferOutcome outcome = alice.referFocus(created.focusUri(), "sip:carol@operator");
        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        assertThat(outcome.referee()).isEqualTo(created.focusUri());
        Call c = carol.call(created.focusUri()).orElseThrow();
        assertThat(c.weInitiated()).isFalse();
        assertSameLeg(c, cs.legOf(created.focusUri(), "sip:carol@operator").orElseThrow());
        assertThat(c.ssrc()).isEqualTo(cs.conference(created.focusUri()).orElseThrow().participantSsrcs()
                .get("sip:carol@operator"));
        alice.leave(created.focusUri());
        c.ended().get(5, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void referToUserMakesTheUserJoin(String transport) throws Exception {
        w.useTransport(transport);
        UserAgent.Created created = alice.createConference(KmsWorld.FACTORY, List.of("sip:bob@operator"));
        alice.join(created.focusUri());
        ReferOutcome outcome = alice.referUser("sip:bob@operator", created.focusUri());
        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        assertThat(outcome.referee()).isEqualTo("sip:bob@operator");
        Call b = bob.call(created.focusUri()).orElseThrow();
        assertThat(b.weInitiated()).isTrue();
        assertSameLeg(b, cs.legOf(created.focusUri(), "sip:bob@operator").orElseThrow());
        alice.leave(created.focusUri());
    }

    @Test
    void outcomesOfReferralsThatDoNotEndInTheConferenceAreReported() throws Exception {
        w.useTransport("udp");
        UserAgent.Created created = alice.createConference(KmsWorld.FACTORY, List.of("sip:carol@operator"));
        alice.join(created.focusUri());
        carol.setAnswerPolicy(AnswerPolicy.never());
        bob.setAnswerPolicy(AnswerPolicy.never());
        try {
            ReferOutcome declined = alice.referFocus(created.focusUri(), "sip:carol@operator");
            assertThat(declined.succeeded()).isFalse();
            assertThat(declined.finalStatus()).isEqualTo(603); // carol declined the focus's call-out
            assertThat(declined.progress()).first().isEqualTo("SIP/2.0 100 Trying");
            // dave is not allowed: he follows the REFER, but the focus refuses his INVITE and he reports it
            ReferOutcome refused = alice.referUser("sip:dave@operator", created.focusUri());
            assertThat(refused.finalStatus()).isEqualTo(403);
            assertThat(dave.call(created.focusUri())).isEmpty();
            // bob declines the referral itself (his answer policy: 603 Decline)
            assertThatThrownBy(() -> alice.referUser("sip:bob@operator", created.focusUri()))
                    .isInstanceOfSatisfying(FlowFailedException.class, e -> assertThat(e.status()).isEqualTo(603));
            assertThat(cs.conference(created.focusUri()).orElseThrow().participantSsrcs())
                    .containsOnlyKeys("sip:alice@operator");
        } finally {
            carol.setAnswerPolicy(AnswerPolicy.always());
            bob.setAnswerPolicy(AnswerPolicy.always());
            alice.leave(created.focusUri());
        }
    }

    @Test
    void ownerUpdatesTheAllowedSetOthersCannot() throws Exception {
        UserAgent.Created created = alice.createConference(KmsWorld.FACTORY, List.of("sip:bob@operator"));
        alice.join(created.focusUri());
        Call b = bob.join(created.focusUri());
        assertThatThrownBy(() -> bob.updateAllowed(created.focusUri(), List.of("sip:eve@operator"),
                UserAgent.UpdateMethod.UPDATE))
                .isInstanceOfSatisfying(FlowFailedException.class, e -> assertThat(e.status()).isEqualTo(403));
        String bobBefore = b.sendKeys().fingerprint();
        bob.refresh(created.focusUri(), null, UserAgent.UpdateMethod.REINVITE); // a participant may re-key its leg
        assertThat(b.sendKeys().fingerprint()).isNotEqualTo(bobBefore);
        assertSameLeg(b, cs.legOf(created.focusUri(), "sip:bob@operator").orElseThrow());
        Leg before = alice.call(created.focusUri()).orElseThrow().leg();
        String beforeFp = before.cs1().fingerprint();
        Call a = alice.updateAllowed(created.focusUri(), List.of("sip:bob@operator", "sip:dave@operator"),
                UserAgent.UpdateMethod.REINVITE);
        assertThat(a.leg().cs1().fingerprint()).isNotEqualTo(beforeFp); // re-keyed with the new ticket
        assertSameLeg(a, cs.legOf(created.focusUri(), "sip:alice@operator").orElseThrow());
        assertThat(cs.conference(created.focusUri()).orElseThrow().allowed())
                .containsExactly("sip:bob@operator", "sip:dave@operator");
        dave.join(created.focusUri());
        alice.updateAllowed(created.focusUri(), List.of("sip:bob@operator", "sip:dave@operator", "sip:eve@operator"),
                UserAgent.UpdateMethod.UPDATE);
        eve.join(created.focusUri());
        alice.refresh(created.focusUri(), null, UserAgent.UpdateMethod.UPDATE); // focus-only ticket: no change
        assertThat(cs.conference(created.focusUri()).orElseThrow().allowed()).hasSize(3);
        Call defining = alice.updateAllowed(created.focusUri(), List.of("sip:bob@operator", "sip:carol@operator"),
                UserAgent.UpdateMethod.REINVITE);
        alice.refresh(created.focusUri(), defining.ticket(), UserAgent.UpdateMethod.REINVITE); // re-use: no change
        assertThat(cs.conference(created.focusUri()).orElseThrow().allowed())
                .containsExactly("sip:bob@operator", "sip:carol@operator");
        assertSameLeg(alice.call(created.focusUri()).orElseThrow(),
                cs.legOf(created.focusUri(), "sip:alice@operator").orElseThrow());
        assertThat(b.isActive()).isTrue();
        alice.leave(created.focusUri());
    }

    @Test
    void kmsRefusesATicketForTheFactoryToAUserWhoMayNotCreate() throws Exception {
        w.canCreate("eve", false);
        try {
            int before = cs.conferences().size();
            assertThatThrownBy(() -> eve.createConference(KmsWorld.FACTORY, List.of("sip:bob@operator")))
                    .isInstanceOfSatisfying(FlowFailedException.class, e -> {
                        assertThat(e.status()).isZero(); // refused at the REQUEST: no INVITE was sent
                        assertThat(e.getMessage()).contains("KMS refused");
                    });
            assertThat(cs.conferences()).hasSize(before);
        } finally {
            w.canCreate("eve", true);
        }
    }

    @Test
    void participantCannotReferWhenPolicySaysOwnerOnly() throws Exception {
        UserAgent.Created created = alice.createConference(KmsWorld.FACTORY, List.of("sip:bob@operator",
                "sip:carol@operator"));
        bob.join(created.focusUri());
        assertThatThrownBy(() -> bob.referFocus(created.focusUri(), "sip:carol@operator"))
                .isInstanceOfSatisfying(FlowFailedException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThat(carol.call(created.focusUri())).isEmpty();
        bob.leave(created.focusUri());
    }

    @Test
    void ownerCannotReferSomeoneOutsideTheAllowedSet() throws Exception {
        UserAgent.Created created = alice.createConference(KmsWorld.FACTORY, List.of("sip:bob@operator"));
        alice.join(created.focusUri());
        assertThatThrownBy(() -> alice.referFocus(created.focusUri(), "sip:dave@operator"))
                .isInstanceOfSatisfying(FlowFailedException.class, e -> assertThat(e.status()).isEqualTo(403));
        alice.leave(created.focusUri());
    }

    @Test
    void severalConferencesAtOnce() throws Exception {
        UserAgent.Created one = alice.createConference(KmsWorld.FACTORY, List.of("sip:bob@operator"));
        UserAgent.Created two = carol.createConference(KmsWorld.FACTORY, List.of("sip:bob@operator"));
        assertThat(one.focusUri()).isNotEqualTo(two.focusUri());
        Call b1 = bob.join(one.focusUri());
        Call b2 = bob.join(two.focusUri());
        assertThat(b1.sendKeys().sameKeysAs(b2.sendKeys())).isFalse();
        assertThatThrownBy(() -> alice.join(two.focusUri()))
                .isInstanceOfSatisfying(FlowFailedException.class, e -> assertThat(e.status()).isEqualTo(403));
        bob.leave(one.focusUri());
        bob.leave(two.focusUri());
    }
}
