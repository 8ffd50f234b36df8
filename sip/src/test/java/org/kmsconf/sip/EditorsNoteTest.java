package org.kmsconf.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.keys.IncomingTransfer;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.keys.TransferOffer;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.kmsconf.sip.ue.UserAgent;

/**
 * The open Editor's Note of TR 33.829 5.3.3.1.2: "If a single ticket is used for specifying this key as well as the
 * allowed participants of the conference, will the allowed participant be able to resolve the ticket and thus get
 * the key?" Answer, tested: yes, Bob (an allowed recipient of Alice's creation ticket) can resolve it, but with key
 * forking the KMS gives him MPKr and TGK forked with HIS identity, so he cannot compute the Alice<->focus media keys
 * (forked with the focus URI), nor answer for the focus.
 */
class EditorsNoteTest {
    private static final String ALICE = "sip:alice@operator";
    private static final String BOB = "sip:bob@operator";

    @Test
    void allowedParticipantResolvingTheCreatorsTicketCannotComputeTheCreatorFocusKeys() throws Exception {
        try (KmsWorld w = new KmsWorld(); RawSip raw = new RawSip()) {
            ConferenceServer cs = w.server(null, false, "udp");
            UserAgent alice = w.ue("alice", "udp");
            w.ue("bob", "udp");
            UserAgent.Created created = alice.createConference(KmsWorld.FACTORY, List.of(BOB));
            String focus = created.focusUri();

            // Flow 2 with the creation ticket (IDRr = factory, bob): Alice's TRANSFER_INIT to the focus, seen by Bob.
            KeyAgent aliceAgent = w.agentOf(ALICE);
            TransferOffer offer = aliceAgent.offer(created.ticket(), focus, Ssrcs.UNASSIGNED);
            byte[] transferInit = offer.message();
            Response ok = raw.send(raw.invite(ALICE, focus, cs.contact("udp"), transferInit), false);
            assertThat(ok.getStatusCode()).isEqualTo(200);
            Leg aliceFocus = offer.complete(KmsMgmt.of(ok));
            assertThat(aliceFocus.responder()).isEqualTo(focus);
            Leg atFocus = cs.legOf(focus, ALICE).orElseThrow();
            assertThat(aliceFocus.cs1().sameKeysAs(atFocus.cs1())).isTrue();
            assertThat(aliceFocus.cs2().sameKeysAs(atFocus.cs2())).isTrue();

            // Bob is a recipient of that ticket: the KMS resolves it for him...
            KeyAgent bobAgent = w.agentOf(BOB);
            IncomingTransfer seenByBob = bobAgent.receive(transferInit);
            Leg bobsView = seenByBob.resolve(BOB).answer(new Ssrcs(aliceFocus.ssrcs().cs1(), Ssrc.UNASSIGNED));
            // ...but his keys are forked with his identity: neither direction matches Alice<->focus.
            assertThat(bobsView.cs1().sameKeysAs(aliceFocus.cs1())).isFalse();
            assertThat(bobsView.cs2().sameKeysAs(aliceFocus.cs2())).isFalse();

            // He cannot resolve it as the focus (not his identity)...
            IncomingTransfer again = w.agentOf(BOB).receive(transferInit);
            assertThatThrownBy(() -> again.resolve(focus))
                    .isInstanceOfSatisfying(KeyManagementException.class,
                            e -> assertThat(e.reason()).isEqualTo(KeyManagementException.Reason.KMS_REFUSED));
            // ...and an answer from him names him, not the focus, so Alice's user agent would refuse it.
            TransferOffer second = aliceAgent.offer(created.ticket(), focus, Ssrcs.UNASSIGNED);
            Leg forged = w.agentOf(BOB).receive(second.message()).resolve(BOB).answer(new Ssrcs(Ssrc.of(1), Ssrc.UNASSIGNED));
            assertThat(second.complete(forged.transferResp()).responder()).isEqualTo(BOB).isNotEqualTo(focus);
        }
    }

    /** The TRANSFER_RESP of an SDP answer. */
    private static final class KmsMgmt {
        static byte[] of(Response r) {
            return KeyMgmtSdp.readKeyMgmt(SipMessages.bodyText(r)).orElseThrow();
        }
    }
}
