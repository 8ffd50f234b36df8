package org.kmsconf.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.conference.Rule;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.kmsconf.sip.trace.CheckName;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.SignallingCheck;
import org.kmsconf.sip.ue.AnswerPolicy;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UserAgent;

/**
 * Attackers with genuine credentials of their own, over real sockets against a real KMS and conference server, each
 * trying to break one rule of TR 33.829 clause 5.3.3 (docs/security.md lists which test proves which rule). The
 * attacker is a user agent of its own (mallory), or bob, a legitimate participant who also sits on the signalling
 * path as a {@link MaliciousProxy} (a wrong route, a compromised proxy).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignallingAttackTest {
    private static final String ALICE = "sip:alice@operator";
    private static final String BOB = "sip:bob@operator";
    private static final String CAROL = "sip:carol@operator";
    private static final String MALLORY = "sip:mallory@operator";
    private KmsWorld w;
    private ConferenceServer cs;
    private UserAgent alice;
    private UserAgent bob;
    private UserAgent mallory;
    private RawSip raw;
    private MaliciousProxy proxy;

    @BeforeAll
    void start() throws Exception {
        w = new KmsWorld();
        cs = w.server(null, false, "udp");
        alice = w.ue("alice", "udp");
        bob = w.ue("bob", "udp");
        w.ue("carol", "udp");
        mallory = w.ue("mallory", "udp");
        w.canCreate("mallory", false);
        raw = new RawSip();
    }

    @AfterEach
    void restoreRoutes() {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
        cs.register(w.directory, "udp");
    }

    @AfterAll
    void stop() {
        raw.close();
        w.close();
    }

    private int mark() {
        return w.events.size();
    }

    private boolean reported(int mark, String party, CheckName check, boolean passed) {
        return w.events.subList(mark, w.events.size()).stream().anyMatch(e -> e instanceof FlowEvent.Check c
                && c.party().equals(party) && c.check() == check && c.passed() == passed);
    }

    private boolean resolvedBy(int mark, String party) {
        return w.events.subList(mark, w.events.size()).stream().anyMatch(e -> e instanceof FlowEvent.KmsDone k
                && k.party().equals(party) && k.exchange() == FlowEvent.KmsExchange.RESOLVE);
    }

    /** Item 1: mallory may not create conferences; she names the next focus URI (as she guesses it) and a friend. */
    @Test
    void noConferenceWithoutTheCreateRightByNamingTheFocusInsteadOfTheFactory() throws Exception {
        String observed = alice.createConference(KmsWorld.FACTORY, List.of(BOB)).focusUri();
        Matcher n = Pattern.compile("sip:focus(\\d+)\\.").matcher(observed);
        assertThat(n.find()).isTrue();
        String guess = "sip:focus" + Long.toUnsignedString(Long.parseUnsignedLong(n.group(1)) + 1)
                + ".conference1@operator";
        KeyAgent agent = w.agentOf(MALLORY);
        var ticket = agent.requestTicket(MALLORY, List.of(guess, BOB)); // the KMS sees no factory: it grants
        byte[] init = agent.offer(ticket, KmsWorld.FACTORY, Ssrcs.UNASSIGNED).message();
        int before = cs.conferences().size();
        int mark = mark();
        Response r = raw.send(raw.invite(MALLORY, KmsWorld.FACTORY, cs.contact("udp"), init));
        assertThat(r.getStatusCode()).isEqualTo(403);
        assertThat(SipMessages.warningOf(r)).contains("does not name " + KmsWorld.FACTORY);
        assertThat(cs.conferences()).hasSize(before);
        assertThat(cs.conferences()).noneMatch(c -> c.owner().equals(MALLORY));
        assertThat(resolvedBy(mark, KmsWorld.FACTORY)).as("no KMS exchange for a refused creation").isFalse();
        assertThat(reported(mark, KmsWorld.FACTORY, Rule.TICKET_NAMES_FACTORY, false)).isTrue();
        // naming the factory instead: the KMS refuses her the ticket (she lacks the right)
        assertThatThrownBy(() -> mallory.createConference(KmsWorld.FACTORY, List.of(BOB)))
                .isInstanceOf(FlowFailedException.class).hasMessageContaining("KMS refused");
    }

    /** Item 1: a focus URI never allocated is unknown; it costs no KMS exchange. */
    @Test
    void anInviteToAnUnallocatedFocusUriIs404WithoutAnyKmsExchange() throws Exception {
        String never = "sip:focus12345678901234567890.conference1@operator".replace("12345678901234567890",
                Long.toUnsignedString(-2L));
        KeyAgent agent = w.agentOf(MALLORY);
        byte[] init = agent.offer(agent.requestTicket(MALLORY, List.of(never)), never, Ssrcs.UNASSIGNED).message();
        int mark = mark();
        Response r = raw.send(raw.invite(MALLORY, never, cs.contact("udp"), init));
        assertThat(r.getStatusCode()).isEqualTo(404);
        assertThat(resolvedBy(mark, never)).isFalse();
        assertThat(reported(mark, never, SignallingCheck.FOCUS_EXISTS, false)).isTrue();
    }

    /**
     * Item 2, flow 1 c: bob, named in alice's creation ticket, sits on the route to the factory and answers her
     * INVITE himself: his TRANSFER_RESP verifies (the KMS resolved the ticket for him, a named recipient), but it
     * names bob, not a focus URI of the factory. alice must refuse it and hang up.
     */
    @Test
    void aRecipientOfTheCreationTicketCannotPlayTheFocus() throws Exception {
        proxy = new MaliciousProxy(new InetSocketAddress("127.0.0.1", cs.contact("udp").port()));
        w.directory.put(KmsWorld.FACTORY, proxy.contact());
        KeyAgent bobsAgent = w.agentOf(BOB);
        proxy.interceptor = req -> req.startsWith("INVITE ") ? answerAs(bobsAgent, BOB, req)
                : req.startsWith("BYE ") || req.startsWith("ACK ") ? byeOk(req) : null;
        int mark = mark();
        int before = cs.conferences().size();
        assertThatThrownBy(() -> alice.createConference(KmsWorld.FACTORY, List.of(BOB, CAROL)))
                .isInstanceOf(FlowFailedException.class).hasMessageContaining("not a focus of " + KmsWorld.FACTORY);
        assertThat(reported(mark, ALICE, SignallingCheck.FOCUS_URI_AUTHENTICATED, false)).isTrue();
        assertThat(reported(mark, ALICE, SignallingCheck.FOCUS_URI_AUTHENTICATED, true)).isFalse();
        assertThat(proxy.seen()).anyMatch(m -> m.startsWith("BYE ")); // alice tore the call down
        assertThat(cs.conferences()).hasSize(before);
    }

    /**
     * Item 5: on a re-key the answer must come from the focus. bob, allowed and on alice's route, answers her UPDATE
     * (whose new ticket names him) with his own TRANSFER_RESP: alice refuses it and keeps her keys.
     */
    @Test
    void aReKeyAnsweredByAnyoneButTheFocusIsRefused() throws Exception {
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB, CAROL)).focusUri();
        proxy = new MaliciousProxy(new InetSocketAddress("127.0.0.1", cs.contact("udp").port()));
        w.directory.put(focus, proxy.contact());
        Call a = alice.join(focus); // through the proxy, which record-routes itself into the dialog
        String keysBefore = a.sendKeys().fingerprint();
        KeyAgent bobsAgent = w.agentOf(BOB);
        proxy.interceptor = req -> req.startsWith("UPDATE ") ? answerAs(bobsAgent, BOB, req) : null;
        int mark = mark();
        assertThatThrownBy(() -> alice.updateAllowed(focus, List.of(BOB, CAROL), UserAgent.UpdateMethod.UPDATE))
                .isInstanceOf(FlowFailedException.class).hasMessageContaining("names " + BOB + ", not " + focus);
        assertThat(reported(mark, ALICE, SignallingCheck.RESPONDER_IS_CALLED_PARTY, false)).isTrue();
        assertThat(a.sendKeys().fingerprint()).isEqualTo(keysBefore);
        assertThat(a.isActive()).isTrue();
        proxy.interceptor = req -> null;
        alice.leave(focus);
    }

    /**
     * Item 4 at the user agent: an UPDATE in alice's dialog without a TRANSFER_INIT (an attacker on the path moving
     * her media to itself) is refused with 488 and her media address stays.
     */
    @Test
    void aUserAgentRefusesAMediaMoveWithoutAMikeyExchange() throws Exception {
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB)).focusUri();
        proxy = new MaliciousProxy(new InetSocketAddress("127.0.0.1", cs.contact("udp").port()));
        w.directory.put(focus, proxy.contact());
        Call a = alice.join(focus);
        InetSocketAddress mediaBefore = a.peerMedia();
        String ok = proxy.seen().stream().filter(m -> m.startsWith("SIP/2.0 200") && m.contains("CSeq: 1 INVITE"))
                .reduce((x, y) -> y).orElseThrow();
        String aliceContact = MaliciousProxy.header(proxy.seen().stream().filter(m -> m.startsWith("INVITE "))
                .reduce((x, y) -> y).orElseThrow(), "Contact").replaceAll("[<>]", "");
        String sdp = KeyMgmtSdp.build("focus", new InetSocketAddress("127.0.0.1", 4444), null);
        String update = "UPDATE " + aliceContact + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + proxy.contact().host() + ":" + proxy.contact().port()
                + ";branch=z9hG4bK-forged1\r\n"
                + "From: " + MaliciousProxy.header(ok, "To") + "\r\n"
                + "To: " + MaliciousProxy.header(ok, "From") + "\r\n"
                + "Call-ID: " + MaliciousProxy.header(ok, "Call-ID") + "\r\n"
                + "CSeq: 900 UPDATE\r\nMax-Forwards: 70\r\n"
                + "Contact: <sip:attacker@" + proxy.contact().host() + ":" + proxy.contact().port() + ">\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;
        int seenBefore = proxy.seen().size();
        proxy.send(update, hostPort(aliceContact));
        Optional<String> answer = awaitResponse(proxy, seenBefore, "900 UPDATE");
        assertThat(answer).hasValueSatisfying(r -> assertThat(r).startsWith("SIP/2.0 488"));
        assertThat(a.peerMedia()).isEqualTo(mediaBefore);
        alice.leave(focus);
    }

    /** Item 4 at the focus: the same from a participant (no new keys, just a new address): 488, the leg stays. */
    @Test
    void theFocusRefusesAMediaMoveWithoutAMikeyExchange() throws Exception {
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB)).focusUri();
        proxy = new MaliciousProxy(new InetSocketAddress("127.0.0.1", cs.contact("udp").port()));
        w.directory.put(focus, proxy.contact());
        Call b = bob.join(focus);
        Leg legBefore = cs.legOf(focus, BOB).orElseThrow();
        String ok = proxy.seen().stream().filter(m -> m.startsWith("SIP/2.0 200") && m.contains("CSeq: 1 INVITE"))
                .reduce((x, y) -> y).orElseThrow();
        String focusContact = MaliciousProxy.header(ok, "Contact").replaceAll("[<>]", "");
        String sdp = KeyMgmtSdp.build("bob", new InetSocketAddress("127.0.0.1", 4446), null);
        String update = "UPDATE " + focusContact + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + proxy.contact().host() + ":" + proxy.contact().port()
                + ";branch=z9hG4bK-forged2\r\n"
                + "From: " + MaliciousProxy.header(ok, "From") + "\r\n"
                + "To: " + MaliciousProxy.header(ok, "To") + "\r\n"
                + "Call-ID: " + MaliciousProxy.header(ok, "Call-ID") + "\r\n"
                + "CSeq: 901 UPDATE\r\nMax-Forwards: 70\r\n"
                + "Contact: <sip:bob@" + proxy.contact().host() + ":" + proxy.contact().port() + ">\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;
        int seenBefore = proxy.seen().size();
        proxy.send(update, hostPort(focusContact));
        Optional<String> answer = awaitResponse(proxy, seenBefore, "901 UPDATE");
        assertThat(answer).hasValueSatisfying(r -> assertThat(r).startsWith("SIP/2.0 488"));
        assertThat(cs.legOf(focus, BOB).orElseThrow().cs1().sameKeysAs(legBefore.cs1())).isTrue();
        assertThat(b.isActive()).isTrue();
        bob.leave(focus);
    }

    /** Item 5: a responder refuses a TRANSFER_INIT addressed to someone else (mallory re-addresses bob's). */
    @Test
    void aUserAgentRefusesATransferInitAddressedToSomeoneElse() throws Exception {
        KeyAgent agent = w.agentOf(MALLORY);
        byte[] forCarol = agent.offer(agent.requestTicket(MALLORY, List.of(CAROL, BOB)), CAROL, Ssrcs.UNASSIGNED)
                .message();
        int mark = mark();
        Response r = raw.send(raw.invite(MALLORY, BOB, bob.contact("udp"), forCarol));
        assertThat(r.getStatusCode()).isEqualTo(403);
        assertThat(SipMessages.warningOf(r)).contains("addressed to " + CAROL);
        assertThat(reported(mark, BOB, SignallingCheck.ADDRESSED_TO_US, false)).isTrue();
        assertThat(bob.calls()).noneMatch(c -> c.peer().equals(MALLORY) && c.isActive());
    }

    /** Item 5 f: a user agent answers calls it did not start only by its policy; a refusal is 603 Decline. */
    @Test
    void aUserAgentAnswersCallsByItsPolicy() throws Exception {
        KeyAgent agent = w.agentOf(MALLORY);
        try {
            bob.setAnswerPolicy(AnswerPolicy.never());
            byte[] init = agent.offer(agent.requestTicket(MALLORY, List.of(BOB)), BOB, Ssrcs.UNASSIGNED).message();
            assertThat(raw.send(raw.invite(MALLORY, BOB, bob.contact("udp"), init)).getStatusCode()).isEqualTo(603);
            java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
            bob.setAnswerPolicy(AnswerPolicy.ask(q -> {
                asked.add(q.toString());
                return false;
            }));
            byte[] again = agent.offer(agent.requestTicket(MALLORY, List.of(BOB)), BOB, Ssrcs.UNASSIGNED).message();
            assertThat(raw.send(raw.invite(MALLORY, BOB, bob.contact("udp"), again)).getStatusCode()).isEqualTo(603);
            assertThat(asked).containsExactly(MALLORY + " calls you into its conference");
            assertThat(bob.calls()).noneMatch(c -> c.peer().equals(MALLORY) && c.isActive());
        } finally {
            bob.setAnswerPolicy(AnswerPolicy.always());
        }
    }

    // ---------------------------------------------------------------- the attacker's tools

    /** bob's answer to a request carrying a TRANSFER_INIT: he resolves it as himself and signs a TRANSFER_RESP. */
    private String answerAs(KeyAgent agent, String identity, String req) {
        try {
            byte[] init = KeyMgmtSdp.readKeyMgmt(MaliciousProxy.body(req)).orElseThrow();
            Leg leg = agent.receive(init).resolve(identity).answer(new Ssrcs(Ssrc.of(0x0bad0bad), Ssrc.of(0x0bad0bad)));
            String sdp = KeyMgmtSdp.build("bob", new InetSocketAddress("127.0.0.1", 4448), leg.transferResp());
            return MaliciousProxy.respond(req, 200, "OK", "<sip:bob@127.0.0.1:" + proxy.contact().port() + ">",
                    "application/sdp", sdp);
        } catch (KeyManagementException e) {
            return MaliciousProxy.respond(req, 500, "Attacker Failed", null, null, null);
        }
    }

    private static String byeOk(String req) {
        return req.startsWith("ACK ") ? null : MaliciousProxy.respond(req, 200, "OK", null, null, null);
    }

    private static Optional<String> awaitResponse(MaliciousProxy p, int from, String cseq) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            List<String> s = p.seen();
            for (int i = from; i < s.size(); i++) {
                if (s.get(i).startsWith("SIP/2.0 ") && s.get(i).contains("CSeq: " + cseq)) {
                    return Optional.of(s.get(i));
                }
            }
            Thread.sleep(10);
        }
        return Optional.empty();
    }

    private static InetSocketAddress hostPort(String uri) {
        Matcher m = Pattern.compile("@([^:;>]+):(\\d+)").matcher(uri);
        assertThat(m.find()).as(uri).isTrue();
        return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
    }
}
