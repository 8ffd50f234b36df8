package org.kmsconf.app.demo;

import static org.kmsconf.app.demo.DemoWorld.FACTORY;
import static org.kmsconf.app.demo.DemoWorld.uri;
import static org.kmsconf.app.demo.StepFailed.check;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.RequestEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.app.trace.Ladder;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.control.confinfo.State;
import org.kmsconf.control.confinfo.User;
import org.kmsconf.control.event.NotifyBody;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.Contact;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.conference.Rule;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.kmsconf.sip.stack.SipHandler;
import org.kmsconf.sip.stack.SipNode;
import org.kmsconf.sip.trace.SignallingCheck;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UserAgent;

/**
 * The demo's attackers: users with genuine credentials of their own who send what an attacker would send, from a
 * SIP endpoint of their own (not our user agent, which would refuse to do it). Each step asserts that the rule it
 * attacks held, from the refusal on the wire and from the check the defending party reported.
 */
final class Attacks implements AutoCloseable {
    private final DemoWorld world;
    private final EventRecorder recorder;
    private final SipNode node;
    private final SipMessages msgs;
    /** What the attacker's endpoint does with a request that reaches it (it stands on a route). */
    private volatile Responder responder = (event, m) -> m.response(200, event.getRequest());

    @FunctionalInterface
    private interface Responder {
        Response answer(RequestEvent event, SipMessages msgs) throws Exception;
    }

    Attacks(DemoWorld world, EventRecorder recorder) throws java.io.IOException {
        this.world = world;
        this.recorder = recorder;
        this.node = SipNode.start("attacker", "127.0.0.1", 0, new SipHandler() {
            @Override
            public void onRequest(RequestEvent event) {
                if (!Request.ACK.equals(event.getRequest().getMethod())) {
                    try {
                        node().respond(node().serverTransaction(event), responder.answer(event, msgs()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }, recorder); // the ladder shows what the attacker sends
        this.msgs = new SipMessages(node);
    }

    private SipNode node() {
        return node;
    }

    private SipMessages msgs() {
        return msgs;
    }

    /**
     * Item 1 of the attacks: mallory may not create conferences. She asks the KMS for a ticket naming what she
     * guesses the next focus URI is and a friend, not the factory (the KMS sees no factory and grants it), and
     * INVITEs the factory with it. The factory refuses before any KMS exchange: the ticket does not name it.
     */
    String creationWithoutTheRight(int mark, String focus) throws Exception {
        Matcher n = Pattern.compile("sip:focus(\\d+)\\.").matcher(focus);
        check(n.find(), "unexpected focus URI " + focus);
        String guess = "sip:focus" + Long.toUnsignedString(Long.parseUnsignedLong(n.group(1)) + 1)
                + ".conference1@" + DemoWorld.DOMAIN;
        KeyAgent mallory = world.keyAgent("mallory");
        byte[] init = mallory.offer(mallory.requestTicket(uri("mallory"), List.of(guess, uri("bob"))), FACTORY,
                Ssrcs.UNASSIGNED).message();
        int before = world.server().conferences().size();
        int sent = recorder.mark();
        Response r = send(invite(uri("mallory"), FACTORY, world.server().contact(world.transport()), init));
        check(r.getStatusCode() == 403, "the factory answered " + r.getStatusCode());
        check(recorder.failed(mark, FACTORY, Rule.TICKET_NAMES_FACTORY), "no failed ticket-names-factory check");
        check(!recorder.askedTheKms(sent, FACTORY), "the factory asked the KMS about a ticket it had to refuse");
        check(world.server().conferences().size() == before, "a conference was created");
        return "mallory's ticket named " + Ladder.name(guess) + " and bob, not the factory: 403 before any KMS "
                + "exchange, no conference (and focus numbers are 64-bit random: the guess was wrong anyway)";
    }

    /**
     * Item 2 (flow 1 c): bob, named in alice's creation ticket, stands on the route to the factory and answers her
     * INVITE himself. His TRANSFER_RESP verifies (the KMS resolved the ticket for him) but names bob, a recipient of
     * the ticket, not a focus URI of the factory: alice refuses it and hangs up.
     */
    String focusImpersonation(int mark) throws Exception {
        KeyAgent bob = world.keyAgent("bob");
        responder = (event, m) -> {
            Request req = event.getRequest();
            if (!Request.INVITE.equals(req.getMethod())) {
                return m.response(200, req);
            }
            byte[] init = KeyMgmtSdp.readKeyMgmt(SipMessages.bodyText(req)).orElseThrow();
            Leg leg = bob.receive(init).resolve(uri("bob")).answer(new Ssrcs(Ssrc.of(1), Ssrc.of(2)));
            Response ok = m.response(200, req);
            SipMessages.setBody(ok, KeyMgmtSdp.build("bob", new InetSocketAddress("127.0.0.1", 9),
                    leg.transferResp()), m.sdpType());
            return ok;
        };
        Contact factory = world.directory().require(FACTORY);
        world.directory().put(FACTORY, new Contact(node.host(), node.port(), world.transport()));
        int before = world.server().conferences().size();
        String refused;
        try {
            world.ue("alice").createConference(FACTORY, List.of(uri("bob"), uri("carol")));
            throw new StepFailed("alice accepted bob's answer as the focus");
        } catch (FlowFailedException e) {
            refused = e.getMessage();
        } finally {
            world.directory().put(FACTORY, factory);
            responder = (event, m) -> m.response(200, event.getRequest());
        }
        check(recorder.failed(mark, uri("alice"), SignallingCheck.FOCUS_URI_AUTHENTICATED),
                "alice did not report a failed focus-uri-authenticated check (" + refused + ")");
        check(world.server().conferences().size() == before, "a conference was created");
        return "bob resolved alice's ticket as himself and answered her INVITE to the factory: his TRANSFER_RESP "
                + "verified but named bob, a recipient of the ticket, so alice refused it and hung up";
    }

    /**
     * Item 4: someone on the path forges an UPDATE inside bob's call that moves his media to the attacker, with no
     * TRANSFER_INIT. The focus refuses it (488) and bob's leg, keys and relay port stay as they were.
     */
    String mediaMoveWithoutMikey(int mark, String focus) throws Exception {
        Call bob = world.ue("bob").call(focus).orElseThrow(() -> new StepFailed("bob is not in the call"));
        Leg before = world.server().legOf(focus, uri("bob")).orElseThrow();
        Call.DialogView d = bob.dialogView();
        Request update = msgs.request(Request.UPDATE, uri("bob"), focus, contactOf(d.remoteTarget()));
        ((FromHeader) update.getHeader(FromHeader.NAME)).setTag(d.localTag());
        ((ToHeader) update.getHeader(ToHeader.NAME)).setTag(d.remoteTag());
        ((CallIdHeader) update.getHeader(CallIdHeader.NAME)).setCallId(d.callId());
        update.setHeader(node.headerFactory().createCSeqHeader(9000L, Request.UPDATE));
        SipMessages.setBody(update, KeyMgmtSdp.build("bob", new InetSocketAddress(node.host(), 4000), null),
                msgs.sdpType());
        Response r = send(update);
        check(r.getStatusCode() == 488, "the focus answered the forged UPDATE with " + r.getStatusCode());
        check(recorder.failed(mark, focus, SignallingCheck.CARRIES_TRANSFER_INIT),
                "the focus did not report a failed carries-transfer-init check");
        Leg after = world.server().legOf(focus, uri("bob")).orElseThrow();
        check(after.cs1().sameKeysAs(before.cs1()) && bob.isActive(), "bob's leg changed");
        return "an UPDATE forged inside bob's call, moving his media without a TRANSFER_INIT: 488, his leg, keys and "
                + "relay port unchanged";
    }

    /** A stranger asks for the conference state: 403, decided before anything else; nothing is sent to it. */
    String strangerSubscribes(int mark, String focus) throws Exception {
        Request r = msgs.request(Request.SUBSCRIBE, uri("mallory"), focus, world.server().contact(world.transport()));
        r.addHeader(node.headerFactory().createEventHeader("conference"));
        r.addHeader(node.headerFactory().createAcceptHeader("application", "pkcs7-mime"));
        r.addHeader(node.headerFactory().createExpiresHeader(600));
        Response resp = send(r);
        check(resp.getStatusCode() == 403, "the focus answered mallory's SUBSCRIBE " + resp.getStatusCode());
        check(recorder.failed(mark, focus, SignallingCheck.SUBSCRIBER_HAS_LIVE_LEG),
                "no failed subscriber-has-live-leg check");
        return "mallory (no leg in the conference) asked for its state: 403, no NOTIFY, nothing learnt";
    }

    /**
     * An attacker on the path forges a NOTIFY inside bob's subscription (its Call-ID and tags travel in the clear)
     * telling him alice left: the body is CMS under bob's key id but with a key of the attacker's. Bob answers 493
     * and his roster does not change.
     */
    String forgedNotify(int mark, String focus) throws Exception {
        UserAgent bob = world.ue("bob");
        Call.DialogView d = bob.subscriptionView(focus).orElseThrow(() -> new StepFailed(
                "bob follows no conference state of " + focus));
        ConferenceInfo before = bob.roster(focus).orElseThrow(() -> new StepFailed("bob has no roster yet"));
        ConferenceInfo lie = new ConferenceInfo(focus, State.PARTIAL, before.version() + 1, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(User.deleted(uri("alice"))));
        byte[] guess = new byte[16];
        SecureRandom random = new SecureRandom();
        random.nextBytes(guess);
        int bobsKeyId = bob.call(focus).orElseThrow().leg().csbId();
        byte[] body = NotifyBody.seal(lie, bobsKeyId, KeyMaterial.of(guess), random);
        Request n = msgs.request(Request.NOTIFY, focus, uri("bob"), bob.contact(world.transport()));
        n.setHeader(node.headerFactory().createCallIdHeader(d.callId()));
        ((FromHeader) n.getHeader(FromHeader.NAME)).setTag(d.remoteTag());
        ((ToHeader) n.getHeader(ToHeader.NAME)).setTag(d.localTag());
        n.setHeader(node.headerFactory().createCSeqHeader(1000L, Request.NOTIFY));
        n.addHeader(node.headerFactory().createEventHeader("conference"));
        SubscriptionStateHeader ss = node.headerFactory().createSubscriptionStateHeader(
                SubscriptionStateHeader.ACTIVE);
        ss.setExpires(600);
        n.addHeader(ss);
        ContentTypeHeader type = node.headerFactory().createContentTypeHeader("application", "pkcs7-mime");
        type.setParameter("smime-type", "authEnveloped-data");
        n.setContent(body, type);
        Response resp = send(n);
        check(resp.getStatusCode() == 493, "bob answered the forged NOTIFY " + resp.getStatusCode());
        check(recorder.failed(mark, uri("bob"), SignallingCheck.NOTIFY_BODY_VERIFIED),
                "bob reported no failed notify-body-verified check");
        check(bob.roster(focus).equals(Optional.of(before)), "bob's roster changed");
        return "a NOTIFY forged in bob's subscription (\"alice left\", sealed under bob's key id with a guessed "
                + "key): 493 Undecipherable, bob's roster unchanged";
    }

    private static Contact contactOf(String target) throws ParseException {
        Matcher m = Pattern.compile("@([^:;>]+):(\\d+)(?:;transport=(\\w+))?").matcher(target);
        if (!m.find()) {
            throw new ParseException("no host:port in " + target, 0);
        }
        return new Contact(m.group(1), Integer.parseInt(m.group(2)), m.group(3) == null ? "udp" : m.group(3));
    }

    private Request invite(String from, String to, Contact target, byte[] transferInit) {
        Request r = msgs.request(Request.INVITE, from, to, target);
        SipMessages.setBody(r, KeyMgmtSdp.build("mallory", new InetSocketAddress(node.host(), 4002), transferInit),
                msgs.sdpType());
        return r;
    }

    private Response send(Request r) throws Exception {
        SipNode.Outgoing out = node.send(r, false);
        Response resp = out.answer().get(8, TimeUnit.SECONDS);
        if (Request.INVITE.equals(r.getMethod()) && resp.getStatusCode() / 100 == 2) {
            node.ack(out.transaction().getDialog(), resp);
        }
        return resp;
    }

    @Override
    public void close() {
        node.close();
    }
}
