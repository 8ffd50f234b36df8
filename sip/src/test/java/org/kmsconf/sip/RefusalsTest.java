package org.kmsconf.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.focus.ServerConfig;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.MikeyKeyAgent;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UserAgent;

/** Hand-made requests the conference system must refuse, with the SIP code and Warning of docs/sip.md "Refusals". */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusalsTest {
    private static final String ALICE = "sip:alice@operator";
    private static final String BOB = "sip:bob@operator";
    private static final String CAROL = "sip:carol@operator";
    private KmsWorld w;
    private ConferenceServer open;   // KMS decides who may create; participants may refer
    private ConferenceServer strict; // conference policy: only alice creates; owner-only REFER
    private RawSip raw;
    private UserAgent alice;
    private UserAgent bob;
    private UserAgent carol;
    private Contact server;

    @BeforeAll
    void start() throws Exception {
        w = new KmsWorld();
        open = w.server(null, true, "udp");
        alice = w.ue("alice", "udp");
        bob = w.ue("bob", "udp");
        carol = w.ue("carol", "udp");
        w.ue("eve", "udp");
        raw = new RawSip();
        server = open.contact("udp");
    }

    @AfterAll
    void stop() {
        raw.close();
        w.close();
    }

    private KeyAgent agentOf(String id) {
        return w.agentOf(id);
    }

    private byte[] transferInit(String from, List<String> ticketFor, String to, Ssrcs ssrcs) throws Exception {
        KeyAgent a = agentOf(from);
        return a.offer(a.requestTicket(from, ticketFor), to, ssrcs).message();
    }

    private static void assertRefused(Response r, int status, String warningPart) {
        assertThat(r.getStatusCode()).isEqualTo(status);
        assertThat(SipMessages.warningOf(r)).contains(warningPart);
        assertThat(r.getHeader("Warning").toString()).contains("399 kmsconf");
    }

    @Test
    void kmsRefusalAtResolveBecomes403AndCreatesNothing() throws Exception {
        // Eve got a ticket naming the factory while she could create conferences; then the KMS policy changed. The
        // factory's RESOLVE is refused (TR 33.829 flow 1 b) and it answers 403 with the reason; no conference.
        KeyAgent eve = agentOf("sip:eve@operator");
        var ticket = eve.requestTicket("sip:eve@operator", List.of(KmsWorld.FACTORY, BOB));
        byte[] init = eve.offer(ticket, KmsWorld.FACTORY, Ssrcs.UNASSIGNED).message();
        w.canCreate("eve", false);
        try {
            int before = open.conferences().size();
            assertRefused(raw.send(raw.invite("sip:eve@operator", KmsWorld.FACTORY, server, init)), 403,
                    "KMS refused");
            assertThat(open.conferences()).hasSize(before);
        } finally {
            w.canCreate("eve", true);
        }
    }

    @Test
    void unreachableKmsIs503() throws Exception {
        KmsClient dead = KmsClient.builder().address("http://127.0.0.1:9").build(); // discard port: nobody there
        ConferenceServer offline = ConferenceServer.start(ServerConfig.of(KmsWorld.FACTORY, "127.0.0.1", 0,
                w.directory, new MikeyKeyAgent(dead, "sip:kms.operator", new byte[] {1}, KeyMaterial.of(new byte[16]),
                        AlgorithmSet.SET_128, null)).withProbeKms(false));
        w.servers.add(offline);
        KeyAgent b = agentOf(BOB);
        byte[] init = b.offer(b.requestTicket(BOB, List.of(KmsWorld.FACTORY)), KmsWorld.FACTORY, Ssrcs.UNASSIGNED)
                .message();
        assertRefused(raw.send(raw.invite(BOB, KmsWorld.FACTORY, offline.contact("udp"), init)), 503,
                "KMS unavailable");
        assertThat(offline.conferences()).isEmpty();
    }

    @Test
    void replayedTransferInitIsRefused() throws Exception {
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB)).focusUri();
        byte[] init = transferInit(BOB, List.of(focus), focus, Ssrcs.UNASSIGNED);
        assertThat(raw.send(raw.invite(BOB, focus, server, init)).getStatusCode()).isEqualTo(200);
        assertRefused(raw.send(raw.invite(BOB, focus, server, init)), 488, "replay");
    }

    @Test
    void offerWithoutKeyMgmtIsRefused() throws Exception {
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB)).focusUri();
        assertRefused(raw.send(raw.invite(BOB, focus, server, null)), 488, "key-mgmt");
        assertRefused(raw.send(raw.invite(BOB, KmsWorld.FACTORY, server, null)), 488, "key-mgmt");
    }

    @Test
    void unknownFocusIs404() throws Exception {
        byte[] init = transferInit(BOB, List.of("sip:focus999.conference1@operator"),
                "sip:focus999.conference1@operator", Ssrcs.UNASSIGNED);
        assertThat(raw.send(raw.invite(BOB, "sip:focus999.conference1@operator", server, init)).getStatusCode())
                .isEqualTo(404);
    }

    @Test
    void ticketOfSomeoneElseIsRefused() throws Exception {
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB)).focusUri();
        byte[] alicesInit = transferInit(ALICE, List.of(focus), focus, Ssrcs.UNASSIGNED);
        assertRefused(raw.send(raw.invite(BOB, focus, server, alicesInit)), 403, "is not the sender");
    }

    @Test
    void ticketForAnotherFocusIsRefusedByTheKms() throws Exception {
        String one = alice.createConference(KmsWorld.FACTORY, List.of(BOB)).focusUri();
        String two = alice.createConference(KmsWorld.FACTORY, List.of(BOB)).focusUri();
        byte[] forOne = transferInit(BOB, List.of(one), one, Ssrcs.UNASSIGNED);
        // addressed to the other focus: refused before any KMS exchange (a responder checks the IDRr is itself)
        assertRefused(raw.send(raw.invite(BOB, two, server, forOne)), 403, "addressed to " + one);
        // addressed to this focus but with a ticket for the other one: the KMS refuses the resolve
        byte[] ticketForOne = transferInit(BOB, List.of(one), two, Ssrcs.UNASSIGNED);
        assertRefused(raw.send(raw.invite(BOB, two, server, ticketForOne)), 403, "KMS refused");
    }

    @Test
    void collidingSsrcIsRefused() throws Exception {
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB, CAROL)).focusUri();
        Call b = bob.join(focus);
        byte[] init = transferInit(CAROL, List.of(focus), focus, new Ssrcs(b.ssrc(), Ssrc.UNASSIGNED));
        assertRefused(raw.send(raw.invite(CAROL, focus, server, init)), 488, "SSRC");
        byte[] fresh = transferInit(CAROL, List.of(focus), focus, new Ssrcs(Ssrc.of(0x1234_5678L), Ssrc.UNASSIGNED));
        assertThat(raw.send(raw.invite(CAROL, focus, server, fresh)).getStatusCode()).isEqualTo(200);
        bob.leave(focus);
    }

    @Test
    void referWithoutTransferInitIsRefusedBeforeAnyWork() throws Exception {
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB)).focusUri();
        int before = w.events.size();
        assertRefused(raw.send(raw.refer(ALICE, focus, server, BOB, null)), 403, "TRANSFER_INIT");
        assertRefused(raw.send(raw.refer(ALICE, focus, server, BOB, "garbage".getBytes())), 403, "MIKEY");
        assertThat(w.events.subList(before, w.events.size())).noneMatch(e ->
                e instanceof FlowEvent.KmsDone k && k.exchange() == FlowEvent.KmsExchange.REQUEST);
    }

    @Test
    void replayedReferIsRefused() throws Exception {
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB, CAROL)).focusUri();
        byte[] init = transferInit(ALICE, List.of(focus, CAROL), focus, Ssrcs.UNASSIGNED);
        // first use: accepted (the call-out to carol follows; she is not asked to answer here)
        assertThat(raw.send(raw.refer(ALICE, focus, server, CAROL, init)).getStatusCode()).isEqualTo(202);
        assertRefused(raw.send(raw.refer(ALICE, focus, server, CAROL, init)), 403, "replay");
        carol.call(focus).ifPresent(c -> {
            try {
                carol.leave(focus);
            } catch (FlowFailedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void referToMustBeARecipientOfTheTicket() throws Exception {
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB, CAROL)).focusUri();
        byte[] init = transferInit(ALICE, List.of(focus, CAROL), focus, Ssrcs.UNASSIGNED);
        assertRefused(raw.send(raw.refer(ALICE, focus, server, BOB, init)), 403, "not a recipient of the ticket");
    }

    @Test
    void participantMayReferWhenThePolicyAllows() throws Exception {
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB, CAROL)).focusUri();
        bob.join(focus);
        assertThat(bob.referFocus(focus, CAROL).succeeded()).isTrue();
        assertThat(carol.call(focus)).isPresent();
        carol.leave(focus);
        bob.leave(focus);
    }

    @Test
    void conferencePolicyDecidesWhoCreates() throws Exception {
        strict = w.server(Set.of(ALICE), false, "udp");
        // the strict server has its own contact: point the factory's directory entry at it for this test
        strict.register(w.directory, "udp");
        try {
            int before = strict.conferences().size();
            assertThatThrownBy(() -> bob.createConference(KmsWorld.FACTORY, List.of(CAROL)))
                    .isInstanceOfSatisfying(FlowFailedException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.getMessage()).contains("conference policy");
                    });
            assertThat(strict.conferences()).hasSize(before);
            String focus = alice.createConference(KmsWorld.FACTORY, List.of(CAROL)).focusUri();
            assertThat(strict.conference(focus)).isPresent();
        } finally {
            open.register(w.directory, "udp");
        }
    }
}
