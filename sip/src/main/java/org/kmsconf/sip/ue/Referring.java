package org.kmsconf.sip.ue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.ReferNotify;
import org.kmsconf.sip.ReferOutcome;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.SipStatus;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.keys.Ticket;
import org.kmsconf.sip.keys.TransferOffer;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.SignallingCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REFERs a user agent sends: to the focus to call someone out (flow 4 a), to a user to join (flow 5 a), and to the
 * focus to remove a participant (Refer-To with {@code method=BYE}, RFC 4579 §5.11). Each carries a TRANSFER_INIT
 * for a ticket naming the referee and the Refer-To target; the 202's TRANSFER_RESP must come from the referee;
 * NOTIFYs report the outcome (RFC 3515 §2.4.5).
 */
final class Referring {
    private static final Logger LOG = LoggerFactory.getLogger(Referring.class);
    private final UeContext ue;
    private final Map<String, Tracker> refers = new ConcurrentHashMap<>();

    Referring(UeContext ue) {
        this.ue = ue;
    }

    /** Flow 4: REFER inside our call's dialog (JAIN-SIP delivers its NOTIFYs reliably there). */
    ReferOutcome referFocus(String focus, String participant, boolean remove) throws FlowFailedException {
        Call call = ue.calls.get(focus);
        if (call == null || !call.isActive()) {
            throw new FlowFailedException(0, "join " + focus
                    + " before asking it to call anyone (the REFER goes inside the call's dialog)");
        }
        Ticket ticket = ue.requestTicket(List.of(focus, participant));
        try {
            TransferOffer offer = ue.offer(ticket, focus, Ssrcs.UNASSIGNED, Set.of());
            Address to = ue.msgs.address(participant);
            if (remove) {
                ((SipURI) to.getURI()).setMethodParam(Request.BYE);
            }
            return send(ue.inDialog(call.dialog(), Request.REFER), offer, focus, to);
        } catch (java.text.ParseException e) {
            throw new FlowFailedException(0, "cannot build Refer-To: " + e.getMessage());
        } finally {
            ticket.destroy(); // used for this one REFER only
        }
    }

    /** Flow 5: an out-of-dialog REFER to the user whose Refer-To is the focus. */
    ReferOutcome referUser(String user, String focus) throws FlowFailedException {
        Ticket ticket = ue.requestTicket(List.of(focus, user));
        try {
            TransferOffer offer = ue.offer(ticket, user, Ssrcs.UNASSIGNED, Set.of());
            return send(ue.msgs.request(Request.REFER, ue.self, user, ue.contactOf(user)), offer, user,
                    ue.msgs.address(focus));
        } finally {
            ticket.destroy();
        }
    }

    private ReferOutcome send(Request refer, TransferOffer offer, String referee, Address referTo)
            throws FlowFailedException {
        refer.addHeader(ue.node.headerFactory().createReferToHeader(referTo));
        SipMessages.setBody(refer, offer.message(), ue.msgs.mikeyType());
        String key = SipMessages.callIdOf(refer) + "#" + ((CSeqHeader) refer.getHeader(CSeqHeader.NAME)).getSeqNumber();
        Tracker tracker = new Tracker();
        refers.put(key, tracker); // before sending: a NOTIFY may beat the 202 (JAIN-SIP pitfall: NOTIFY races)
        try {
            boolean inDialog = ((ToHeader) refer.getHeader(ToHeader.NAME)).getTag() != null;
            Response resp = ue.await(ue.send(refer, inDialog).answer(), "REFER to " + referee);
            if (resp.getStatusCode() / 100 != 2) {
                throw Initiator.refused("REFER", referee, resp, offer);
            }
            authenticate(resp, offer, referee);
            try {
                tracker.done.get(ue.config.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
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

    /** The 202 must carry a TRANSFER_RESP from the referee (mutual authentication of referrer and referee). */
    private void authenticate(Response resp, TransferOffer offer, String referee) throws FlowFailedException {
        byte[] body = SipMessages.body(resp);
        if (body.length == 0 || !SipMessages.hasContentType(resp, "application", "mikey")) {
            ue.tracer.check(ue.self, SignallingCheck.RESPONDER_AUTHENTICATED, false, "202 without TRANSFER_RESP");
            throw new FlowFailedException(0, "the " + resp.getStatusCode() + " to REFER carries no TRANSFER_RESP: "
                    + referee + " not authenticated");
        }
        Leg leg;
        try {
            leg = offer.complete(body);
        } catch (KeyManagementException e) {
            ue.tracer.check(ue.self, SignallingCheck.RESPONDER_AUTHENTICATED, false, e.getMessage());
            throw new FlowFailedException(0, "TRANSFER_RESP in the 202 from " + referee + ": "
                    + SipStatus.describe(e));
        }
        leg.destroy(); // no media under a REFER: the exchange only authenticates the referee
        ue.tracer.check(ue.self, SignallingCheck.RESPONDER_AUTHENTICATED, true, leg.responder());
        boolean ok = leg.responder().equals(referee);
        ue.tracer.check(ue.self, SignallingCheck.RESPONDER_IS_CALLED_PARTY, ok, leg.responder());
        if (!ok) {
            throw new FlowFailedException(0, "TRANSFER_RESP in the 202 names " + leg.responder());
        }
    }

    /** NOTIFY progress of one of our REFERs (RFC 3515 §2.4.5); answered 200 whatever it reports. */
    void onNotify(RequestEvent event) throws SipException {
        Request req = event.getRequest();
        Response ok = ue.msgs.response(200, req);
        ServerTransaction stx = event.getServerTransaction();
        if (stx == null) {
            try {
                stx = ue.node.provider().getNewServerTransaction(req);
            } catch (SipException | RuntimeException e) {
                stx = null; // an unsolicited NOTIFY the stack will not match: answer statelessly
            }
        }
        if (stx != null) {
            ue.node.respond(stx, ok);
        } else {
            ue.node.traceMessage(ok, FlowEvent.Direction.SENT);
            ue.node.provider().sendResponse(ok);
        }
        EventHeader ev = (EventHeader) req.getHeader(EventHeader.NAME);
        String id = ev == null || ev.getEventId() == null ? "" : ev.getEventId();
        Tracker tracker = refers.get(SipMessages.callIdOf(req) + "#" + id);
        if (tracker == null) {
            LOG.debug("{}: NOTIFY for no REFER of ours", ue.self);
            return;
        }
        String statusLine = SipMessages.bodyText(req).strip().lines().findFirst().orElse("");
        tracker.progress.add(statusLine);
        SubscriptionStateHeader ss = (SubscriptionStateHeader) req.getHeader(SubscriptionStateHeader.NAME);
        boolean terminated = ss != null && SubscriptionStateHeader.TERMINATED.equalsIgnoreCase(ss.getState());
        int status = ReferNotify.statusOf(statusLine);
        if (terminated || status >= 200) {
            tracker.finalStatus = status;
            tracker.done.complete(null);
        }
    }

    /** NOTIFY progress of one REFER. */
    private static final class Tracker {
        final List<String> progress = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile int finalStatus;
    }
}
