package org.kmsconf.sip.ue;

import java.text.ParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.control.event.ConferenceEventReceiver;
import org.kmsconf.control.event.NotifyBody;
import org.kmsconf.control.event.ReceiveOutcome;
import org.kmsconf.mikey.exchange.NonMediaSession;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.stack.SipNode;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.SignallingCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user agent following the rosters of its conferences: once a leg to a focus is up and keyed the event package's
 * KEK, it subscribes to the focus URI ({@code Event: conference}, {@code Accept: application/pkcs7-mime}, out of
 * dialog), refreshes before expiry, and checks every NOTIFY body ({@link ConferenceEventReceiver}: protected, its
 * kekid one of our live legs to that focus, the tag, conference-info inside, the focus as entity, the version
 * above the last): 493 to what fails, the roster changes to the listener for what passes. A body it cannot open for
 * want of the current key, or a gap in versions, asks the focus for the full state again (a refresh, at most one
 * every few seconds, whatever a forger sends).
 */
final class Watching implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Watching.class);
    static final String PACKAGE = "conference";
    private static final int EXPIRES = 600;

    private final UeContext ue;
    private final Map<String, UeSubscription> byCallId = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    volatile RosterListener listener = RosterListener.NONE;

    Watching(UeContext ue) {
        this.ue = ue;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ue-subscriptions");
            t.setDaemon(true);
            return t;
        });
        if (ue.config.subscribe()) {
            timer.execute(NotifyBody::warmUp); // before the first NOTIFY: loading the CMS code takes a while
        }
    }

    /** The roster of a conference as the last verified NOTIFY left it. */
    Optional<ConferenceInfo> roster(String focus) {
        return byCallId.values().stream().filter(s -> s.focus.equals(focus) && !s.ended)
                .map(s -> s.receiver.view().current()).flatMap(Optional::stream).findFirst();
    }

    /** The dialog of our subscription to {@code focus}, as a proxy on the path sees it. */
    Optional<Call.DialogView> dialogView(String focus) {
        return byCallId.values().stream().filter(s -> s.focus.equals(focus) && !s.ended && s.dialog != null)
                .findFirst().map(s -> new Call.DialogView(s.callId, s.dialog.getLocalTag(), s.dialog.getRemoteTag(),
                        s.dialog.getRemoteTarget() == null ? "" : s.dialog.getRemoteTarget().getURI().toString()));
    }

    boolean subscribed(String focus) {
        return byCallId.values().stream().anyMatch(s -> s.focus.equals(focus) && !s.ended && s.dialog != null);
    }

    /** A leg to {@code call}'s focus is up: subscribe to its conference unless configured not to or keyless. */
    void legUp(Call call) {
        Leg leg = call.leg();
        if (!ue.config.subscribe() || leg.nonMediaKey(NonMediaSession.EVENT_PACKAGE_KEK).isEmpty()
                || byCallId.values().stream().anyMatch(s -> s.focus.equals(call.peer()) && !s.ended)) {
            return;
        }
        try {
            timer.execute(() -> subscribe(call.peer()));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void subscribe(String focus) {
        try {
            Request req = ue.msgs.request(Request.SUBSCRIBE, ue.self, focus, ue.contactOf(focus));
            addHeaders(req, EXPIRES);
            UeSubscription s = new UeSubscription(focus, SipMessages.callIdOf(req), ue.calls);
            byCallId.put(s.callId, s); // before sending: the first NOTIFY may beat the 200
            SipNode.Outgoing out = ue.send(req, false);
            out.answer().orTimeout(ue.config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((resp, err) -> subscribed(s, out, resp, err));
        } catch (FlowFailedException | RuntimeException e) {
            LOG.warn("{}: cannot subscribe to {}: {}", ue.self, focus, e.getMessage());
        }
    }

    private void subscribed(UeSubscription s, SipNode.Outgoing out, Response resp, Throwable err) {
        if (err != null || resp.getStatusCode() / 100 != 2) {
            s.ended = true;
            byCallId.remove(s.callId, s);
            LOG.warn("{}: subscription to {} refused: {}", ue.self, s.focus, err != null ? err.getMessage()
                    : resp.getStatusCode() + " " + SipMessages.warningOf(resp));
            return;
        }
        s.dialog = out.transaction().getDialog();
        ExpiresHeader e = (ExpiresHeader) resp.getHeader(ExpiresHeader.NAME);
        int granted = e == null ? EXPIRES : e.getExpires();
        LOG.info("{}: subscribed to the conference state of {} for {} s", ue.self, s.focus, granted);
        scheduleRefresh(s, granted);
    }

    private void scheduleRefresh(UeSubscription s, int seconds) {
        try {
            timer.schedule(() -> refresh(s), Math.max(1, seconds * 4L / 5), TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** A re-SUBSCRIBE in the subscription's dialog: a new expiry and the full state again. */
    private void refresh(UeSubscription s) {
        Dialog d = s.dialog;
        if (s.ended || d == null) {
            return;
        }
        try {
            Request req = ue.inDialog(d, Request.SUBSCRIBE);
            addHeaders(req, EXPIRES);
            SipNode.Outgoing out = ue.send(req, true);
            out.answer().orTimeout(ue.config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((resp, err) -> {
                        if (err == null && resp.getStatusCode() / 100 == 2) {
                            ExpiresHeader e = (ExpiresHeader) resp.getHeader(ExpiresHeader.NAME);
                            scheduleRefresh(s, e == null ? EXPIRES : e.getExpires());
                        } else {
                            s.ended = true;
                            byCallId.remove(s.callId, s);
                            LOG.info("{}: refresh of the subscription to {} failed", ue.self, s.focus);
                        }
                    });
        } catch (FlowFailedException | RuntimeException e) {
            LOG.info("{}: cannot refresh the subscription to {}: {}", ue.self, s.focus, e.getMessage());
        }
    }

    private void addHeaders(Request req, int expires) {
        HeaderFactory hf = ue.node.headerFactory();
        try {
            req.addHeader(hf.createEventHeader(PACKAGE));
            req.addHeader(hf.createAcceptHeader("application", "pkcs7-mime"));
            req.addHeader(hf.createExpiresHeader(expires));
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- NOTIFY

    /** A NOTIFY of the conference package: checked, answered (200 or 493; 481 for no subscription of ours). */
    void onNotify(RequestEvent event) throws SipException {
        Request req = event.getRequest();
        UeSubscription s = byCallId.get(SipMessages.callIdOf(req));
        Call call = s == null ? null : ue.calls.get(s.focus);
        if (s == null || call == null || !call.isActive()) {
            // no subscription of ours, or our call with that focus is over (a NOTIFY crossed our BYE): RFC 6665
            // §4.1.3, 481 ends the subscription
            if (s != null) {
                s.ended = true;
                byCallId.remove(s.callId, s);
            }
            answer(event, 481);
            return;
        }
        int status = 200;
        byte[] body = SipMessages.body(req);
        if (body.length > 0) {
            ContentTypeHeader ct = (ContentTypeHeader) req.getHeader(ContentTypeHeader.NAME);
            ReceiveOutcome o = s.receiver.receive(contentType(ct), body);
            status = o.sipStatus();
            boolean verified = !(o instanceof ReceiveOutcome.Refused);
            ue.tracer.check(ue.self, SignallingCheck.NOTIFY_BODY_VERIFIED, verified, s.focus + ": " + describe(o));
            answer(event, status);
            if (o instanceof ReceiveOutcome.Applied a) {
                Optional<ConferenceInfo> before = Optional.ofNullable(s.lastSeen);
                s.lastSeen = a.roster();
                listener.changed(RosterEvent.between(before, a.roster()), a.roster());
            } else if ((o instanceof ReceiveOutcome.Refused r && r.resubscribe())
                    || o instanceof ReceiveOutcome.NeedsFullState) {
                if (s.mayRefreshNow()) {
                    timer.execute(() -> refresh(s));
                }
            } else if (o instanceof ReceiveOutcome.Refused r) {
                LOG.warn("{}: NOTIFY from {} refused: {} {}", ue.self, s.focus, r.reason(), r.detail());
            }
        } else {
            answer(event, status);
        }
        SubscriptionStateHeader ss = (SubscriptionStateHeader) req.getHeader(SubscriptionStateHeader.NAME);
        if (ss != null && SubscriptionStateHeader.TERMINATED.equalsIgnoreCase(ss.getState()) && status == 200) {
            s.ended = true;
            byCallId.remove(s.callId, s);
            String reason = ss.getReasonCode() == null ? "" : ss.getReasonCode();
            LOG.info("{}: subscription to {} terminated ({})", ue.self, s.focus, reason);
            if ("deactivated".equalsIgnoreCase(reason)) {
                legUp(call); // RFC 6665 §4.1.3: deactivated, subscribe again at once
            }
        }
    }

    private static String describe(ReceiveOutcome o) {
        if (o instanceof ReceiveOutcome.Applied a) {
            return "version " + a.document().version() + " (" + a.document().state().name().toLowerCase() + ")";
        } else if (o instanceof ReceiveOutcome.Refused r) {
            return r.reason() + ": " + r.detail();
        } else if (o instanceof ReceiveOutcome.Replay r) {
            return "replay of version " + r.version() + " dropped (last " + r.lastApplied() + ")";
        }
        return "gap before version " + ((ReceiveOutcome.NeedsFullState) o).version() + ": full state asked";
    }

    private static String contentType(ContentTypeHeader ct) {
        if (ct == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(ct.getContentType() + "/" + ct.getContentSubType());
        for (Iterator<?> it = ct.getParameterNames(); it.hasNext(); ) {
            String name = (String) it.next();
            b.append(';').append(name).append('=').append(ct.getParameter(name));
        }
        return b.toString();
    }

    private void answer(RequestEvent event, int status) throws SipException {
        Request req = event.getRequest();
        Response r = ue.msgs.response(status, req);
        ServerTransaction stx = event.getServerTransaction();
        if (stx == null) {
            try {
                stx = ue.node.provider().getNewServerTransaction(req);
            } catch (SipException | RuntimeException e) {
                stx = null; // a NOTIFY the stack will not match (it beat the 200): answer statelessly
            }
        }
        if (stx != null) {
            ue.node.respond(stx, r);
        } else {
            ue.node.traceMessage(r, FlowEvent.Direction.SENT);
            ue.node.provider().sendResponse(r);
        }
    }

    List<String> focuses() {
        return byCallId.values().stream().filter(s -> !s.ended).map(s -> s.focus).distinct().toList();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
