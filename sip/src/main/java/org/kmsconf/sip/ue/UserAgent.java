package org.kmsconf.sip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.sip.keys.IncomingTransfer;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.ResolvedTransfer;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.keys.Ticket;
import org.kmsconf.sip.keys.TransferOffer;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.kmsconf.sip.stack.SipHandler;
import org.kmsconf.sip.stack.SipNode;
import org.kmsconf.sip.trace.FlowEvent.KmsExchange;
import org.kmsconf.sip.trace.FlowListener;
import org.kmsconf.sip.trace.KeyLogListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user agent (UE) of TR 33.829 clause 5.3.3: creator, owner or participant of secure conferences.
 *
 * <p>Its operations ({@link #createConference}, {@link #join}, {@link #referFocus}, {@link #referUser},
 * {@link #updateAllowed}, {@link #leave}) block until the flow finished and must not be called from a SIP callback.
 * Incoming INVITEs from a focus (call-out, flow 4) and REFERs from an owner (flow 5) are handled on their own.
 */
public final class UserAgent implements SipHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UserAgent.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How an owner carries a new ticket to the focus. */
    public enum UpdateMethod { REINVITE, UPDATE }

    /**
     * Configuration of a user agent.
     *
     * @param identity public identity, e.g. {@code sip:alice@operator}
     * @param sipHost address to listen on for SIP (UDP and TCP)
     * @param sipPort port, 0 = any free one
     * @param media where this UE receives RTP (goes in the SDP)
     * @param keyAgent this UE's MIKEY-TICKET operations (PSK, key id, KMS client)
     * @param timeout how long to wait for a SIP answer or a flow's completion
     */
    public record Config(String identity, String sipHost, int sipPort, InetSocketAddress media, Directory directory,
                         KeyAgent keyAgent, FlowListener trace, KeyLogListener keyLog, Duration timeout) {
        public Config {
            identity = Directory.normalise(identity);
            Objects.requireNonNull(media, "media");
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(keyAgent, "keyAgent");
            trace = trace == null ? FlowListener.NONE : trace;
            keyLog = keyLog == null ? KeyLogListener.NONE : keyLog;
            timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        }

        /** A configuration without trace or key log and a 10 s timeout; refine with the {@code with…} methods. */
        public static Config of(String identity, String sipHost, int sipPort, InetSocketAddress media,
                                Directory directory, KeyAgent keyAgent) {
            return new Config(identity, sipHost, sipPort, media, directory, keyAgent, null, null, null);
        }

        public Config withTrace(FlowListener t) {
            return new Config(identity, sipHost, sipPort, media, directory, keyAgent, t, keyLog, timeout);
        }

        public Config withKeyLog(KeyLogListener k) {
            return new Config(identity, sipHost, sipPort, media, directory, keyAgent, trace, k, timeout);
        }

        public Config withTimeout(Duration d) {
            return new Config(identity, sipHost, sipPort, media, directory, keyAgent, trace, keyLog, d);
        }
    }

    /**
     * Result of conference creation (flow 1): the focus URI authenticated as the IDRr of the factory's TRANSFER_RESP,
     * and the ticket used, which the creator may reuse to call in (flow 2).
     */
    public record Created(String focusUri, Ticket ticket, Leg factoryLeg) { }

    private final Config config;
    private final String self;
    private final SipNode node;
    private final SipMessages msgs;
    private final Tracer tracer;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final Map<String, ReferTracker> refers = new ConcurrentHashMap<>();
    private volatile Predicate<Referral> referralPolicy = r -> true;
    private volatile Predicate<String> callPolicy = focus -> true;
    private volatile Consumer<Call> callListener = c -> { };
    private final UeIncoming incoming;

    private UserAgent(Config config) throws IOException {
        this.config = config;
        this.self = config.identity();
        this.tracer = new Tracer(config.trace(), config.keyLog());
        this.node = SipNode.start("ue-" + SipMessages.userOf(self), config.sipHost(), config.sipPort(), this,
                config.trace());
        this.msgs = new SipMessages(node);
        this.incoming = new UeIncoming(this, config, node, msgs, tracer, calls);
    }

    public static UserAgent start(Config config) throws IOException {
        return new UserAgent(config);
    }

    public String identity() {
        return self;
    }

    /** Where this UE listens for SIP (put it in the others' {@link Directory}). */
    public Contact contact(String transport) {
        return new Contact(node.host(), node.port(), transport);
    }

    /** Which REFERs to follow (flow 5); default: all from an authenticated referrer naming a focus of its ticket. */
    public void setReferralPolicy(Predicate<Referral> policy) {
        this.referralPolicy = Objects.requireNonNull(policy);
    }

    /** Which focus call-outs to accept (flow 4); default: all whose TRANSFER_INIT verifies. */
    public void setCallPolicy(Predicate<String> policy) {
        this.callPolicy = Objects.requireNonNull(policy);
    }

    /**
     * Told of each call set up by the other side (call-out, or a join after a REFER), and again whenever the other
     * side changes such a call's keys or media address (after a call-out, the focus announces its relay port in an
     * UPDATE): (re)start media from {@link Call#sendKeys()}, {@link Call#receiveKeys()}, {@link Call#peerMedia()}.
     */
    public void setCallListener(Consumer<Call> listener) {
        this.callListener = Objects.requireNonNull(listener);
    }

    Predicate<Referral> referralPolicy() {
        return referralPolicy;
    }

    Predicate<String> callPolicy() {
        return callPolicy;
    }

    Consumer<Call> callListener() {
        return callListener;
    }

    public Optional<Call> call(String focusUri) {
        Call c = calls.get(Directory.normalise(focusUri));
        return c != null && c.isActive() ? Optional.of(c) : Optional.empty();
    }

    public List<Call> calls() {
        return List.copyOf(calls.values());
    }

    // ---------------------------------------------------------------- flow 1: creation

    /**
     * Flow 1: requests a ticket for {factory, participants...}, INVITEs the factory with the TRANSFER_INIT and checks
     * the TRANSFER_RESP; returns the focus URI it authenticates. The factory dialog is then closed with BYE (joining
     * is flow 2, a separate INVITE to the focus).
     */
    public Created createConference(String factoryUri, List<String> participants) throws FlowFailedException {
        String factory = Directory.normalise(factoryUri);
        List<String> recipients = new ArrayList<>();
        recipients.add(factory);
        participants.stream().map(Directory::normalise).filter(p -> !recipients.contains(p)).forEach(recipients::add);
        Ticket ticket = requestTicket(recipients);
        Established est = destroyOnFailure(ticket, t -> invite(factory, t, Ssrcs.UNASSIGNED));
        String focus = est.leg().responder();
        boolean plausible = !focus.equals(factory) && focus.startsWith("sip:");
        tracer.check(self, "focus-uri-authenticated", plausible, focus);
        bye(est.dialog());
        if (!plausible) {
            throw new FlowFailedException(0, "factory answered with an unusable focus identity " + focus);
        }
        tracer.legKeys(self, est.callId(), est.leg(), false);
        return new Created(focus, ticket, est.leg());
    }

    // ---------------------------------------------------------------- flows 2 and 3: call-in

    /** Flow 3 (and 2): a fresh ticket for the focus alone, INVITE, TRANSFER_RESP checked. */
    public Call join(String focusUri) throws FlowFailedException {
        String focus = Directory.normalise(focusUri);
        return destroyOnFailure(requestTicket(List.of(focus)), t -> join(focus, t));
    }

    /** Flow 2 with an update: the owner's ticket names the focus and the (new) allowed participants. */
    public Call join(String focusUri, List<String> allowedParticipants) throws FlowFailedException {
        String focus = Directory.normalise(focusUri);
        return destroyOnFailure(requestTicket(withFirst(focus, allowedParticipants)), t -> join(focus, t));
    }

    /** Flow 2 re-using a ticket, e.g. the one of {@link #createConference} (the KMS lets the focus resolve it). */
    public Call join(String focusUri, Ticket ticket) throws FlowFailedException {
        String focus = Directory.normalise(focusUri);
        if (call(focus).isPresent()) {
            throw new FlowFailedException(0, "already in conference " + focus);
        }
        Established est = invite(focus, ticket, Ssrcs.UNASSIGNED);
        if (!est.leg().responder().equals(focus)) {
            tracer.check(self, "focus-authenticated", false, est.leg().responder());
            bye(est.dialog());
            throw new FlowFailedException(0, "TRANSFER_RESP names " + est.leg().responder() + ", not " + focus);
        }
        tracer.check(self, "focus-authenticated", true, focus);
        boolean assigned = est.leg().ssrcs().cs1() != 0;
        tracer.check(self, "ssrc-assigned", assigned, Ssrcs.hex(est.leg().ssrcs().cs1()));
        Call call = new Call(self, focus, est.dialog(), est.leg(), config.media(), est.peerMedia());
        call.peerSdp(est.peerSdp());
        call.ticket(ticket);
        calls.put(focus, call);
        tracer.legKeys(self, est.callId(), est.leg());
        return call;
    }

    // ---------------------------------------------------------------- allowed-set update

    /**
     * The owner replaces the conference's allowed set: a new ticket for {focus, newSet...} in a re-INVITE or UPDATE
     * of the existing call; the call is re-keyed with the new TRANSFER exchange.
     */
    public Call updateAllowed(String focusUri, List<String> newSet, UpdateMethod method) throws FlowFailedException {
        String focus = Directory.normalise(focusUri);
        return destroyOnFailure(requestTicket(withFirst(focus, newSet)), t -> rekey(focus, t, method));
    }

    /**
     * A re-INVITE or UPDATE without changing the allowed set: with {@code ticket} (re-use of the one that defined
     * the set) or, when null, a new ticket naming the focus alone.
     */
    public Call refresh(String focusUri, Ticket ticket, UpdateMethod method) throws FlowFailedException {
        String focus = Directory.normalise(focusUri);
        if (ticket != null) {
            return rekey(focus, ticket, method); // the caller's ticket stays the caller's
        }
        return destroyOnFailure(requestTicket(List.of(focus)), t -> rekey(focus, t, method));
    }

    private Call rekey(String focus, Ticket ticket, UpdateMethod method) throws FlowFailedException {
        Call call = call(focus).orElseThrow(() -> new FlowFailedException(0, "not in conference " + focus));
        TransferOffer offer = offer(ticket, focus, new Ssrcs(call.ssrc(), 0));
        Request req = inDialog(call.dialog(), method == UpdateMethod.UPDATE ? Request.UPDATE : Request.INVITE);
        SipMessages.setBody(req, KeyMgmtSdp.build(SipMessages.userOf(self), config.media(), offer.message()),
                msgs.sdpType());
        SipNode.Outgoing out = send(req, true);
        Response resp = await(out.answer(), method + " to " + focus);
        if (method == UpdateMethod.REINVITE && resp.getStatusCode() / 100 == 2) {
            ackQuietly(call.dialog(), resp);
        }
        if (resp.getStatusCode() / 100 != 2) {
            throw refused(method.name(), focus, resp, offer);
        }
        Leg leg = complete(offer, resp, focus);
        call.rekey(leg, KeyMgmtSdp.mediaAddress(SipMessages.bodyText(resp)).orElse(null));
        call.peerSdp(SipMessages.bodyText(resp));
        call.ticket(ticket);
        tracer.legKeys(self, SipMessages.callIdOf(req), leg);
        return call;
    }

    // ---------------------------------------------------------------- leave

    /** BYE to the focus. */
    public void leave(String focusUri) throws FlowFailedException {
        String focus = Directory.normalise(focusUri);
        Call call = calls.remove(focus);
        if (call == null || !call.isActive()) {
            throw new FlowFailedException(0, "not in conference " + focus);
        }
        bye(call.dialog());
        call.end("left");
    }

    // ---------------------------------------------------------------- flow 4: REFER to the focus

    /**
     * Flow 4: asks the focus to call {@code participantUri} out. A ticket for {focus, participant}, TRANSFER_INIT in a
     * REFER inside our call's dialog (JAIN-SIP.md pitfall 5), TRANSFER_RESP in the 202 authenticates the focus;
     * returns when the focus's final NOTIFY reported the outcome of its INVITE.
     */
    public ReferOutcome referFocus(String focusUri, String participantUri) throws FlowFailedException {
        String focus = Directory.normalise(focusUri);
        String participant = Directory.normalise(participantUri);
        Call call = call(focus).orElseThrow(() -> new FlowFailedException(0,
                "join " + focus + " before asking it to call someone (the REFER goes inside the call's dialog)"));
        Ticket ticket = requestTicket(List.of(focus, participant));
        try {
            TransferOffer offer = offer(ticket, focus, Ssrcs.UNASSIGNED);
            Request refer = inDialog(call.dialog(), Request.REFER);
            return sendRefer(refer, offer, focus, participant);
        } finally {
            ticket.destroy(); // used for this one REFER only
        }
    }

    // ---------------------------------------------------------------- flow 5: REFER to a user

    /**
     * Flow 5: refers {@code userUri} to the conference. A ticket for {focus, user}; TRANSFER_INIT (to the user) in an
     * out-of-dialog REFER whose Refer-To is the focus; the user's TRANSFER_RESP in the 202 authenticates the user;
     * returns when the user's final NOTIFY reported the outcome of its INVITE to the focus.
     */
    public ReferOutcome referUser(String userUri, String focusUri) throws FlowFailedException {
        String focus = Directory.normalise(focusUri);
        String user = Directory.normalise(userUri);
        Ticket ticket = requestTicket(List.of(focus, user));
        try {
            TransferOffer offer = offer(ticket, user, Ssrcs.UNASSIGNED);
            Request refer = msgs.request(Request.REFER, self, user, contactOf(user));
            return sendRefer(refer, offer, user, focus);
        } finally {
            ticket.destroy(); // used for this one REFER only
        }
    }

    private ReferOutcome sendRefer(Request refer, TransferOffer offer, String referee, String referTo)
            throws FlowFailedException {
        refer.addHeader(node.headerFactory().createReferToHeader(msgs.address(referTo)));
        SipMessages.setBody(refer, offer.message(), msgs.mikeyType());
        long cseq = ((CSeqHeader) refer.getHeader(CSeqHeader.NAME)).getSeqNumber();
        String key = SipMessages.callIdOf(refer) + "#" + cseq;
        ReferTracker tracker = new ReferTracker();
        refers.put(key, tracker); // before sending: a NOTIFY may beat the 202 (pitfall 5)
        try {
            // A REFER made by a dialog has a To tag: it goes inside that dialog (flow 4); flow 5's has none.
            javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) refer.getHeader(javax.sip.header.ToHeader.NAME);
            SipNode.Outgoing out = send(refer, to.getTag() != null);
            Response resp = await(out.answer(), "REFER to " + referee);
            if (resp.getStatusCode() / 100 != 2) {
                throw refused("REFER", referee, resp, offer);
            }
            byte[] body = SipMessages.body(resp);
            if (body.length == 0 || !SipMessages.hasContentType(resp, "application", "mikey")) {
                tracer.check(self, "refer-response-authenticated", false, "202 without TRANSFER_RESP");
                throw new FlowFailedException(0, "the " + resp.getStatusCode()
                        + " to REFER carries no TRANSFER_RESP: " + referee + " not authenticated");
            }
            Leg leg;
            try {
                leg = offer.complete(body);
            } catch (KeyManagementException e) {
                tracer.check(self, "refer-response-authenticated", false, e.getMessage());
                throw new FlowFailedException(0, "TRANSFER_RESP in the 202 from " + referee + ": "
                        + KmsStatus.describe(e));
            }
            leg.destroy(); // no media under a REFER: the exchange only authenticates the referee
            boolean ok = leg.responder().equals(referee);
            tracer.check(self, "refer-response-authenticated", ok, leg.responder());
            if (!ok) {
                throw new FlowFailedException(0, "TRANSFER_RESP in the 202 names " + leg.responder());
            }
            try {
                tracker.done.get(config.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new FlowFailedException(0, "no final NOTIFY from " + referee + " (progress so far: "
                        + tracker.progress + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlowFailedException(0, "interrupted");
            } catch (ExecutionException e) {
                throw new FlowFailedException(0, e.getCause().getMessage());
            }
            return new ReferOutcome(referee, tracker.progress, tracker.finalStatus);
        } finally {
            refers.remove(key);
        }
    }

    /** NOTIFY progress of one REFER (RFC 3515 §2.4.5). */
    private static final class ReferTracker {
        final List<String> progress = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile int finalStatus;
    }

    // ---------------------------------------------------------------- incoming requests

    @Override
    public void onRequest(RequestEvent event) {
        Request req = event.getRequest();
        try {
            switch (req.getMethod()) {
                case Request.INVITE, Request.UPDATE -> {
                    ServerTransaction stx = node.serverTransaction(event);
                    node.executor().execute(() -> incoming.onInvite(stx, req));
                }
                case Request.ACK -> { }
                case Request.BYE -> onBye(event);
                case Request.NOTIFY -> onNotify(event);
                case Request.REFER -> {
                    ServerTransaction stx = node.serverTransaction(event);
                    node.executor().execute(() -> incoming.onRefer(stx, req));
                }
                case Request.OPTIONS -> node.respond(node.serverTransaction(event), msgs.response(200, req));
                case Request.CANCEL -> node.respond(node.serverTransaction(event), msgs.response(200, req));
                default -> node.respond(node.serverTransaction(event), msgs.response(501, req));
            }
        } catch (SipException | RuntimeException e) {
            LOG.warn("{}: cannot handle {}: {}", self, req.getMethod(), e.getMessage());
        }
    }

    private void onNotify(RequestEvent event) throws SipException {
        Request req = event.getRequest();
        Response ok = msgs.response(200, req);
        ServerTransaction stx = event.getServerTransaction();
        if (stx == null) {
            try {
                stx = node.provider().getNewServerTransaction(req);
            } catch (SipException | RuntimeException e) {
                stx = null; // unsolicited NOTIFY the stack will not match: answer statelessly (pitfall 5)
            }
        }
        if (stx != null) {
            node.respond(stx, ok);
        } else {
            node.traceMessage(ok, org.kmsconf.sip.trace.FlowEvent.Direction.SENT);
            node.provider().sendResponse(ok);
        }
        EventHeader ev = (EventHeader) req.getHeader(EventHeader.NAME);
        String id = ev == null || ev.getEventId() == null ? "" : ev.getEventId();
        ReferTracker tracker = refers.get(SipMessages.callIdOf(req) + "#" + id);
        if (tracker == null) {
            LOG.debug("{}: NOTIFY for no REFER of ours", self);
            return;
        }
        String frag = SipMessages.bodyText(req).strip();
        String statusLine = frag.lines().findFirst().orElse("");
        tracker.progress.add(statusLine);
        SubscriptionStateHeader ss = (SubscriptionStateHeader) req.getHeader(SubscriptionStateHeader.NAME);
        boolean terminated = ss != null && SubscriptionStateHeader.TERMINATED.equalsIgnoreCase(ss.getState());
        int status = ReferNotify.statusOf(statusLine);
        if (terminated || status >= 200) {
            tracker.finalStatus = status;
            tracker.done.complete(null);
        }
    }

    private void onBye(RequestEvent event) throws SipException {
        Request req = event.getRequest();
        node.respond(node.serverTransaction(event), msgs.response(200, req));
        String peer = SipMessages.fromIdentity(req);
        Call call = calls.get(peer);
        if (call != null && event.getDialog() != null && event.getDialog().equals(call.dialog())) {
            calls.remove(peer, call);
            call.end("BYE from " + peer);
        }
    }

    @Override
    public void onDialogTerminated(DialogTerminatedEvent event) {
        calls.values().removeIf(c -> {
            if (c.dialog().equals(event.getDialog())) {
                c.end("dialog terminated");
                return true;
            }
            return false;
        });
    }

    // ---------------------------------------------------------------- helpers

    /** Result of an INVITE we sent: its dialog, the verified leg and the peer's media address. */
    private record Established(Dialog dialog, Leg leg, InetSocketAddress peerMedia, String callId, String peerSdp) { }

    private Established invite(String peer, Ticket ticket, Ssrcs ssrcs) throws FlowFailedException {
        TransferOffer offer = offer(ticket, peer, ssrcs);
        Request req = msgs.request(Request.INVITE, self, peer, contactOf(peer));
        SipMessages.setBody(req, KeyMgmtSdp.build(SipMessages.userOf(self), config.media(), offer.message()),
                msgs.sdpType());
        SipNode.Outgoing out = send(req, false);
        Response resp = await(out.answer(), "INVITE to " + peer);
        if (resp.getStatusCode() / 100 != 2) {
            throw refused("INVITE", peer, resp, offer);
        }
        Dialog dialog = out.transaction().getDialog();
        ackQuietly(dialog, resp);
        Leg leg;
        try {
            leg = complete(offer, resp, peer);
        } catch (FlowFailedException e) {
            bye(dialog);
            throw e;
        }
        return new Established(dialog, leg, KeyMgmtSdp.mediaAddress(SipMessages.bodyText(resp)).orElse(null),
                SipMessages.callIdOf(req), SipMessages.bodyText(resp));
    }

    private Leg complete(TransferOffer offer, Response resp, String peer) throws FlowFailedException {
        Optional<byte[]> transferResp = KeyMgmtSdp.readKeyMgmt(SipMessages.bodyText(resp));
        if (transferResp.isEmpty()) {
            tracer.check(self, "responder-authenticated", false, "answer without a=key-mgmt");
            throw new FlowFailedException(0, peer + " answered without a TRANSFER_RESP");
        }
        try {
            Leg leg = offer.complete(transferResp.get());
            tracer.check(self, "responder-authenticated", true, leg.responder());
            return leg;
        } catch (KeyManagementException e) {
            tracer.check(self, "responder-authenticated", false, e.getMessage());
            throw new FlowFailedException(0, "TRANSFER_RESP from " + peer + ": " + KmsStatus.describe(e));
        }
    }

    private Ticket requestTicket(List<String> responders) throws FlowFailedException {
        try {
            Ticket t = config.keyAgent().requestTicket(self, responders);
            tracer.kms(self, KmsExchange.REQUEST, responders, true, "");
            return t;
        } catch (KeyManagementException e) {
            tracer.kms(self, KmsExchange.REQUEST, responders, false, e.getMessage());
            throw new FlowFailedException(0, "ticket request for " + responders + ": " + KmsStatus.describe(e));
        }
    }

    private TransferOffer offer(Ticket ticket, String responder, Ssrcs ssrcs) throws FlowFailedException {
        try {
            return config.keyAgent().offer(ticket, responder, ssrcs);
        } catch (KeyManagementException e) {
            throw new FlowFailedException(0, "TRANSFER_INIT for " + responder + ": " + KmsStatus.describe(e));
        }
    }

    ResolvedTransfer resolve(IncomingTransfer in, String as) throws KeyManagementException {
        try {
            ResolvedTransfer r = in.resolve(as);
            tracer.kms(self, KmsExchange.RESOLVE, List.of(as), true, "");
            tracer.check(self, "initiator-authenticated", true, r.initiator());
            return r;
        } catch (KeyManagementException e) {
            tracer.kms(self, KmsExchange.RESOLVE, List.of(as), false, e.getMessage());
            tracer.check(self, "initiator-authenticated", false, e.getMessage());
            throw e;
        }
    }

    private Contact contactOf(String identity) throws FlowFailedException {
        return config.directory().lookup(identity).orElseThrow(() ->
                new FlowFailedException(0, "no contact known for " + identity));
    }

    private Request inDialog(Dialog dialog, String method) throws FlowFailedException {
        try {
            Request r = dialog.createRequest(method);
            r.setHeader(msgs.contact(self, SipMessages.transportOf(r)));
            return r;
        } catch (SipException e) {
            throw new FlowFailedException(0, "cannot create " + method + ": " + e.getMessage());
        }
    }

    private SipNode.Outgoing send(Request req, boolean inDialog) throws FlowFailedException {
        try {
            return node.send(req, inDialog);
        } catch (SipException e) {
            throw new FlowFailedException(0, "cannot send " + req.getMethod() + ": " + e.getMessage());
        }
    }

    private Response await(CompletableFuture<Response> answer, String what) throws FlowFailedException {
        try {
            return answer.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new FlowFailedException(0, "no answer to " + what + " within " + config.timeout().toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new FlowFailedException(0, what + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlowFailedException(0, "interrupted waiting for " + what);
        }
    }

    /**
     * A SIP refusal as an exception: status, Warning text and, when the refusal carries a MIKEY error message
     * (application/mikey body), what it says and whether its MAC verified (keyed from MPKi like our TRANSFER_INIT).
     */
    private FlowFailedException refused(String method, String peer, Response resp, TransferOffer offer) {
        String mikey = "";
        if (SipMessages.hasContentType(resp, "application", "mikey") && SipMessages.body(resp).length > 0) {
            try {
                offer.complete(SipMessages.body(resp));
                mikey = "; body is not a MIKEY error";
            } catch (KeyManagementException e) {
                mikey = "; " + e.getMessage();
            }
        }
        return new FlowFailedException(resp.getStatusCode(), method + " to " + peer + " refused: "
                + resp.getStatusCode() + " " + SipMessages.warningOf(resp) + mikey);
    }

    private void ackQuietly(Dialog dialog, Response ok) {
        try {
            node.ack(dialog, ok);
        } catch (SipException e) {
            LOG.warn("{}: cannot ACK: {}", self, e.getMessage());
        }
    }

    private void bye(Dialog dialog) {
        try {
            Request bye = dialog.createRequest(Request.BYE);
            SipNode.Outgoing out = node.send(bye, true);
            out.answer().get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SipException | ExecutionException | TimeoutException e) {
            LOG.info("{}: BYE failed: {}", self, e.toString());
        }
    }

    /** A step that uses a ticket we requested for it. */
    @FunctionalInterface
    private interface TicketStep<T> {
        T run(Ticket ticket) throws FlowFailedException;
    }

    /** Runs {@code step}; when it fails, zeroes the ticket's keys (nobody else holds it). */
    private static <T> T destroyOnFailure(Ticket ticket, TicketStep<T> step) throws FlowFailedException {
        try {
            return step.run(ticket);
        } catch (FlowFailedException | RuntimeException e) {
            ticket.destroy();
            throw e;
        }
    }

    private static List<String> withFirst(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        rest.stream().map(Directory::normalise).filter(p -> !all.contains(p)).forEach(all::add);
        return all;
    }

    static long randomSsrc() {
        long s;
        do {
            s = RANDOM.nextInt() & 0xFFFF_FFFFL;
        } while (s == 0);
        return s;
    }

    /** BYE to every call, then stops the stack (about a second; see {@link SipNode#closeAll}). */
    @Override
    public void close() {
        for (Call c : calls.values()) {
            if (c.isActive()) {
                bye(c.dialog());
                c.end("closed");
            }
        }
        calls.clear();
        node.close();
    }
}
