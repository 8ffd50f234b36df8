package org.kmsconf.sip.ue;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sip.DialogTerminatedEvent;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.EventHeader;
import javax.sip.message.Request;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.sip.Contact;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.ReferOutcome;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.Ticket;
import org.kmsconf.sip.stack.SipHandler;
import org.kmsconf.sip.stack.SipNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user agent (UE) of TR 33.829 clause 5.3.3: creator, owner or participant of secure conferences.
 *
 * <p>Its operations block until the flow finished and must not be called from a SIP callback. What others start
 * (a focus calling it out, flow 4; an owner's REFER, flow 5) is answered by its {@link AnswerPolicy}.
 */
public final class UserAgent implements SipHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UserAgent.class);

    /** How an owner carries a new ticket on its call. */
    public enum UpdateMethod { REINVITE, UPDATE }

    /**
     * Result of conference creation (flow 1): the focus URI authenticated as the IDRr of the factory's
     * TRANSFER_RESP, and the ticket used, which the creator may reuse to call in (flow 2).
     */
    public record Created(String focusUri, Ticket ticket, Leg factoryLeg) { }

    private final UeContext ue;
    private final Creation creation;
    private final Joining joining;
    private final Referring referring;
    private final IncomingCalls incomingCalls;
    private final IncomingRefers incomingRefers;

    private UserAgent(UeConfig config) throws IOException {
        SipNode node = SipNode.start("ue-" + SipMessages.userOf(config.identity()), config.sipHost(),
                config.sipPort(), this, config.trace(), config.capacity());
        this.ue = new UeContext(config, node);
        Initiator initiator = new Initiator(ue);
        this.creation = new Creation(ue, initiator);
        this.joining = new Joining(ue, initiator);
        this.referring = new Referring(ue);
        this.incomingCalls = new IncomingCalls(ue);
        this.incomingRefers = new IncomingRefers(ue, this);
    }

    public static UserAgent start(UeConfig config) throws IOException {
        return new UserAgent(config);
    }

    public String identity() {
        return ue.self;
    }

    /** Where this UE listens for SIP (put it in the others' {@link Directory}). */
    public Contact contact(String transport) {
        return new Contact(ue.node.host(), ue.node.port(), transport);
    }

    /** Which call-outs and REFERs to answer (603 Decline to the others). */
    public void setAnswerPolicy(AnswerPolicy policy) {
        ue.answer = Objects.requireNonNull(policy);
    }

    /**
     * Told of each call set up by the other side (call-out, or a join after a REFER), and again whenever the other
     * side re-keys such a call: (re)start media from {@link Call#sendKeys()}, {@link Call#receiveKeys()}.
     */
    public void setCallListener(Consumer<Call> listener) {
        ue.listener = Objects.requireNonNull(listener);
    }

    public Optional<Call> call(String focusUri) {
        Call c = ue.calls.get(Directory.normalise(focusUri));
        return c != null && c.isActive() ? Optional.of(c) : Optional.empty();
    }

    public List<Call> calls() {
        return List.copyOf(ue.calls.values());
    }

    /**
     * Flow 1: a ticket for {factory, participants...}, INVITE to the factory, and the TRANSFER_RESP must come from a
     * focus URI of that factory; returns that focus URI. The creation call is then closed (joining is flow 2).
     */
    public Created createConference(String factoryUri, List<String> participants) throws FlowFailedException {
        return creation.create(factoryUri, participants, false);
    }

    /** Flow 1 asking for a floor-controlled conference (BFCP, RFC 8855): only the floor holder is heard. */
    public Created createConference(String factoryUri, List<String> participants, boolean floorControl)
            throws FlowFailedException {
        return creation.create(factoryUri, participants, floorControl);
    }

    /** Flow 3 (and 2): a fresh ticket for the focus alone, INVITE, the TRANSFER_RESP must come from the focus. */
    public Call join(String focusUri) throws FlowFailedException {
        String focus = Directory.normalise(focusUri);
        Ticket t = joining.ticketFor(focus, null);
        return UeContext.destroyOnFailure(t, x -> joining.join(focus, x));
    }

    /** Flow 2 with an update: the owner's ticket names the focus and the (new) allowed participants. */
    public Call join(String focusUri, List<String> allowedParticipants) throws FlowFailedException {
        String focus = Directory.normalise(focusUri);
        Ticket t = joining.ticketFor(focus, allowedParticipants);
        return UeContext.destroyOnFailure(t, x -> joining.join(focus, x));
    }

    /** Flow 2 re-using a ticket, e.g. the one of {@link #createConference} (the KMS lets the focus resolve it). */
    public Call join(String focusUri, Ticket ticket) throws FlowFailedException {
        return joining.join(Directory.normalise(focusUri), ticket);
    }

    /**
     * The owner replaces the allowed set: a new ticket for {focus, newSet...} (an empty set: {focus, owner}) in a
     * re-INVITE or UPDATE of its call, which is re-keyed; participants no longer allowed lose their legs.
     */
    public Call updateAllowed(String focusUri, List<String> newSet, UpdateMethod method) throws FlowFailedException {
        String focus = Directory.normalise(focusUri);
        Ticket t = joining.ticketFor(focus, newSet);
        return UeContext.destroyOnFailure(t, x -> joining.rekey(focus, x, method(method), false));
    }

    /**
     * A re-key that keeps the allowed set: with {@code ticket} (re-use of the one that defined the set) or, when
     * null, a new ticket naming the focus alone.
     */
    public Call refresh(String focusUri, Ticket ticket, UpdateMethod method) throws FlowFailedException {
        String focus = Directory.normalise(focusUri);
        if (ticket != null) {
            return joining.rekey(focus, ticket, method(method), false); // the caller's ticket stays the caller's
        }
        Ticket t = joining.ticketFor(focus, null);
        return UeContext.destroyOnFailure(t, x -> joining.rekey(focus, x, method(method), false));
    }

    /**
     * Asks for floor control on our call with a focus that has none yet (a re-INVITE with a BFCP m-line and a new
     * MIKEY exchange keying its PSK), and returns it; fails if the conference is not floor-controlled.
     */
    public FloorSession addFloorControl(String focusUri) throws FlowFailedException {
        String focus = Directory.normalise(focusUri);
        Optional<FloorSession> current = ue.activeCall(focus).floor();
        if (current.isPresent()) {
            return current.get();
        }
        Ticket t = joining.ticketFor(focus, null);
        Call c = UeContext.destroyOnFailure(t, x -> joining.rekey(focus, x, Initiator.Method.REINVITE, true));
        return c.floor().orElseThrow(() -> new FlowFailedException(0, focus + " has no floor control for us"));
    }

    /** Floor control in a conference we are in, if the call has it. */
    public Optional<FloorSession> floor(String focusUri) {
        return call(focusUri).flatMap(Call::floor);
    }

    /** Told of every FloorStatus of every conference we have floor control in. */
    public void setFloorListener(FloorListener l) {
        ue.floorListener = Objects.requireNonNull(l);
    }

    /** Told whenever the roster of a conference we follow changes. */
    public void setRosterListener(RosterListener l) {
        ue.watching.listener = Objects.requireNonNull(l);
    }

    /**
     * The dialog of our subscription to a conference's state, as any proxy on its path sees it (diagnostics, and
     * the demo's attacker, who forges NOTIFYs inside it).
     */
    public Optional<Call.DialogView> subscriptionView(String focusUri) {
        return ue.watching.dialogView(Directory.normalise(focusUri));
    }

    /** The roster of a conference as its last verified NOTIFY left it (empty before the first, or unsubscribed). */
    public Optional<ConferenceInfo> roster(String focusUri) {
        return ue.watching.roster(Directory.normalise(focusUri));
    }

    private static Initiator.Method method(UpdateMethod m) {
        return m == UpdateMethod.UPDATE ? Initiator.Method.UPDATE : Initiator.Method.REINVITE;
    }

    /** BYE to the focus. */
    public void leave(String focusUri) throws FlowFailedException {
        joining.leave(Directory.normalise(focusUri));
    }

    /** Flow 4: asks the focus to call {@code participantUri} out; returns when the focus reported the outcome. */
    public ReferOutcome referFocus(String focusUri, String participantUri) throws FlowFailedException {
        return referring.referFocus(Directory.normalise(focusUri), Directory.normalise(participantUri), false);
    }

    /** The owner removes a participant: out of the allowed set and off its call (REFER with method=BYE). */
    public ReferOutcome removeParticipant(String focusUri, String participantUri) throws FlowFailedException {
        return referring.referFocus(Directory.normalise(focusUri), Directory.normalise(participantUri), true);
    }

    /** Flow 5: refers {@code userUri} to the conference; returns when the user reported its INVITE's outcome. */
    public ReferOutcome referUser(String userUri, String focusUri) throws FlowFailedException {
        return referring.referUser(Directory.normalise(userUri), Directory.normalise(focusUri));
    }

    // ---------------------------------------------------------------- incoming requests

    @Override
    public void onRequest(RequestEvent event) {
        Request req = event.getRequest();
        try {
            switch (req.getMethod()) {
                case Request.INVITE, Request.UPDATE -> {
                    ServerTransaction stx = ue.node.serverTransaction(event);
                    ue.node.dispatch(stx, req, () -> incomingCalls.onOffer(stx, req));
                }
                case Request.REFER -> {
                    ServerTransaction stx = ue.node.serverTransaction(event);
                    ue.node.dispatch(stx, req, () -> incomingRefers.onRefer(stx, req));
                }
                case Request.ACK -> {
                    if (event.getDialog() != null) {
                        incomingCalls.onAck(event.getDialog());
                    }
                }
                case Request.BYE -> onBye(event);
                case Request.NOTIFY -> {
                    EventHeader ev = (EventHeader) req.getHeader(EventHeader.NAME);
                    if (ev != null && Watching.PACKAGE.equalsIgnoreCase(ev.getEventType())) {
                        ue.watching.onNotify(event);
                    } else {
                        referring.onNotify(event);
                    }
                }
                case Request.OPTIONS, Request.CANCEL ->
                        ue.node.respond(ue.node.serverTransaction(event), ue.msgs.response(200, req));
                default -> ue.node.respond(ue.node.serverTransaction(event), ue.msgs.response(501, req));
            }
        } catch (SipException | RuntimeException e) {
            LOG.warn("{}: cannot handle {}: {}", ue.self, req.getMethod(), e.getMessage());
        }
    }

    private void onBye(RequestEvent event) throws SipException {
        Request req = event.getRequest();
        ue.node.respond(ue.node.serverTransaction(event), ue.msgs.response(200, req));
        String peer = SipMessages.fromIdentity(req);
        Call call = ue.calls.get(peer);
        if (call != null && event.getDialog() != null && event.getDialog().equals(call.dialog())) {
            ue.calls.remove(peer, call);
            call.end("BYE from " + peer);
        }
    }

    @Override
    public void onDialogTerminated(DialogTerminatedEvent event) {
        ue.calls.values().removeIf(c -> {
            if (c.dialog().equals(event.getDialog())) {
                c.end("dialog terminated");
                return true;
            }
            return false;
        });
    }

    /** BYE to every call, then stops the stack (about a second; see {@link org.kmsconf.sip.stack.SipStacks#closeAll}). */
    @Override
    public void close() {
        for (Call c : ue.calls.values()) {
            if (c.isActive()) {
                ue.bye(c.dialog());
                c.end("closed");
            }
        }
        ue.calls.clear();
        ue.watching.close();
        ue.node.close();
    }
}
