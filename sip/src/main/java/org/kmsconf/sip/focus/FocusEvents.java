package org.kmsconf.sip.focus;

import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.AcceptHeader;
import javax.sip.header.ContentDispositionHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.control.event.NotifyBody;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.NonMediaSession;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.SipStatus;
import org.kmsconf.sip.conference.Conference;
import org.kmsconf.sip.stack.SipNode;
import org.kmsconf.sip.trace.SignallingCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conference event package at the focus (RFC 4575 over RFC 6665), protected as docs/profile.md §6 says. A
 * SUBSCRIBE to a focus URI with {@code Event: conference} is accepted only from a participant with a live,
 * authenticated leg in that conference whose MIKEY exchange keyed the event-package KEK (403 otherwise, decided
 * before anything else is looked at), and only if it accepts {@code application/pkcs7-mime} (406). Each NOTIFY body
 * is the conference-info document sealed for that subscriber alone: CMS AuthEnvelopedData under the KEK of its leg's
 * current exchange, a fresh content key each time. The first NOTIFY carries the full state, later ones what changed,
 * version up by one. A subscription ends when it expires or is withdrawn, when the subscriber's leg ends or it is
 * removed, and when the conference ends; a participant keeps at most two (a third replaces its oldest).
 */
final class FocusEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FocusEvents.class);
    static final String PACKAGE = "conference";
    private static final int DEFAULT_EXPIRES = 3600;
    private static final int MIN_EXPIRES = 60;
    private static final int MAX_PER_PARTICIPANT = 2;

    private final ConferenceSystem sys;
    private final Map<String, FocusSubscription> byDialog = new ConcurrentHashMap<>();
    private final ExecutorService notifier;
    private final SecureRandom random = new SecureRandom();

    FocusEvents(ConferenceSystem sys) {
        this.sys = sys;
        this.notifier = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "conference-notify");
            t.setDaemon(true);
            return t;
        });
        notifier.execute(NotifyBody::warmUp); // the first subscriber should not wait for the CMS code to load
    }

    /** The key of a subscriber's live leg: its CSB ID and a copy of its K(0xE0), taken under the model's lock. */
    private record LegKek(int csbId, KeyMaterial kek) { }

    private static Optional<LegKek> kekOf(Conference<FocusLeg> conf, String identity) {
        return conf.readConnected(identity, p -> p.leg() == null ? null : p.leg().keys()
                .nonMediaKey(NonMediaSession.EVENT_PACKAGE_KEK)
                .map(k -> new LegKek(p.leg().keys().csbId(), k.copy())).orElse(null));
    }

    // ---------------------------------------------------------------- SUBSCRIBE

    void onSubscribe(Conference<FocusLeg> conf, ServerTransaction stx, Request req) {
        String focus = conf.focusUri();
        EventHeader event = (EventHeader) req.getHeader(EventHeader.NAME);
        if (event == null || !PACKAGE.equalsIgnoreCase(event.getEventType())) {
            Response r = sys.msgs.refusal(489, req, "only the conference event package", null);
            addAllowEvents(r);
            sys.node.respond(stx, r);
            return;
        }
        String dialogId = SipMessages.callKey(req, true);
        boolean inDialog = ((ToHeader) req.getHeader(ToHeader.NAME)).getTag() != null;
        FocusSubscription existing = inDialog ? byDialog.get(dialogId) : null;
        if (inDialog && existing == null) {
            sys.node.respond(stx, sys.msgs.refusal(481, req, "no such subscription", null));
            return;
        }
        String subscriber = SipMessages.fromIdentity(req);
        Optional<LegKek> kek = kekOf(conf, subscriber);
        kek.ifPresent(k -> k.kek().destroy());
        sys.tracer.check(focus, SignallingCheck.SUBSCRIBER_HAS_LIVE_LEG, kek.isPresent(), subscriber);
        if (kek.isEmpty()) {
            sys.node.respond(stx, sys.msgs.refusal(SipStatus.of(SignallingCheck.SUBSCRIBER_HAS_LIVE_LEG, null)
                    .status(), req, subscriber + " has no live leg with an event-package key in " + focus, null));
            if (existing != null) {
                end(existing, FocusSubscription.End.REJECTED);
            }
            return;
        }
        boolean accepts = acceptsCms(req);
        sys.tracer.check(focus, SignallingCheck.SUBSCRIBER_ACCEPTS_CMS, accepts, subscriber);
        if (!accepts) {
            sys.node.respond(stx, sys.msgs.refusal(SipStatus.of(SignallingCheck.SUBSCRIBER_ACCEPTS_CMS, null)
                    .status(), req, "the conference state is sent only as " + NotifyBody.ACCEPT, null));
            return;
        }
        ExpiresHeader eh = (ExpiresHeader) req.getHeader(ExpiresHeader.NAME);
        int asked = eh == null ? DEFAULT_EXPIRES : eh.getExpires();
        if (asked != 0 && asked < MIN_EXPIRES) {
            Response r = sys.msgs.refusal(423, req, "at least " + MIN_EXPIRES + " s", null);
            try {
                r.addHeader(sys.node.headerFactory().createMinExpiresHeader(MIN_EXPIRES));
            } catch (InvalidArgumentException e) {
                throw new IllegalStateException(e);
            }
            sys.node.respond(stx, r);
            return;
        }
        int expires = Math.min(asked, DEFAULT_EXPIRES);
        Response ok = sys.msgs.response(200, req);
        try {
            ok.addHeader(sys.node.headerFactory().createExpiresHeader(expires));
        } catch (InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
        sys.node.respond(stx, ok);
        Instant now = Instant.now();
        if (existing != null) {
            if (expires == 0) {
                end(existing, FocusSubscription.End.TIMEOUT);
            } else if (existing.refresh(now.plusSeconds(expires))) {
                start(existing);
            }
            return;
        }
        FocusSubscription s = new FocusSubscription(subscriber, focus, dialogId, stx.getDialog(), now,
                now.plusSeconds(expires));
        replaceOldest(focus, subscriber);
        byDialog.put(dialogId, s);
        LOG.info("{}: {} subscribed for {} s", focus, subscriber, expires);
        boolean go = s.refresh(s.expires());
        if (expires == 0) {
            s.end(FocusSubscription.End.TIMEOUT); // a fetch: the state once, then terminated
        }
        if (go) {
            start(s);
        }
    }

    private void replaceOldest(String focus, String subscriber) {
        List<FocusSubscription> mine = new java.util.ArrayList<>(byDialog.values().stream()
                .filter(s -> s.focusUri.equals(focus) && s.subscriber.equals(subscriber) && !s.ended())
                .sorted(Comparator.comparing(s -> s.created)).toList());
        while (mine.size() >= MAX_PER_PARTICIPANT) {
            end(mine.remove(0), FocusSubscription.End.DEACTIVATED);
        }
    }

    private static boolean acceptsCms(Request req) {
        ListIterator<?> it = req.getHeaders(AcceptHeader.NAME);
        while (it != null && it.hasNext()) {
            AcceptHeader a = (AcceptHeader) it.next();
            String type = a.getContentType() == null ? "" : a.getContentType().strip();
            String sub = a.getContentSubType() == null ? "" : a.getContentSubType().strip();
            if ((type.equalsIgnoreCase("application") && (sub.equalsIgnoreCase("pkcs7-mime") || sub.equals("*")))
                    || (type.equals("*") && sub.equals("*"))) {
                return true;
            }
        }
        return false;
    }

    private void addAllowEvents(Response r) {
        try {
            r.addHeader(sys.node.headerFactory().createAllowEventsHeader(PACKAGE));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- what changes the state

    /** The conference changed (a join, a departure, a removal, a new allowed set): every subscriber is told. */
    void changed(Conference<FocusLeg> conf) {
        for (FocusSubscription s : byDialog.values()) {
            if (s.focusUri.equals(conf.focusUri()) && s.changed()) {
                start(s);
            }
        }
    }

    /** A participant's leg ended (it left or was removed): its subscriptions end; it sees no more. */
    void legEnded(Conference<FocusLeg> conf, String identity) {
        for (FocusSubscription s : byDialog.values()) {
            if (s.focusUri.equals(conf.focusUri()) && s.subscriber.equals(identity)) {
                end(s, FocusSubscription.End.REJECTED);
            }
        }
    }

    /** The conference ended: every subscription to it ends. */
    void conferenceEnded(Conference<FocusLeg> conf) {
        for (FocusSubscription s : byDialog.values()) {
            if (s.focusUri.equals(conf.focusUri())) {
                end(s, FocusSubscription.End.NORESOURCE);
            }
        }
    }

    /** Ends the subscriptions whose time ran out. */
    void expire(Instant now) {
        for (FocusSubscription s : byDialog.values()) {
            if (!s.ended() && now.isAfter(s.expires())) {
                end(s, FocusSubscription.End.TIMEOUT);
            }
        }
    }

    int count() {
        return byDialog.size();
    }

    private void end(FocusSubscription s, FocusSubscription.End why) {
        boolean wasEnded = s.ended();
        if (s.end(why)) {
            start(s);
        }
        if (!wasEnded) {
            LOG.info("{}: subscription of {} ends ({})", s.focusUri, s.subscriber, why.reason);
        }
    }

    // ---------------------------------------------------------------- NOTIFY, one at a time per subscription

    private void start(FocusSubscription s) {
        try {
            notifier.execute(() -> pump(s));
        } catch (RejectedExecutionException e) {
            byDialog.remove(s.dialogId, s); // shutting down
        }
    }

    private void pump(FocusSubscription s) {
        while (true) {
            FocusSubscription.Next next = s.take();
            if (next == null) {
                return;
            }
            Request notify;
            try {
                notify = build(s, next);
            } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
                LOG.warn("{}: no NOTIFY for {}: {}", s.focusUri, s.subscriber, e.toString());
                byDialog.remove(s.dialogId, s);
                return;
            }
            if (notify == null) {
                continue; // nothing changed for this subscriber
            }
            try {
                SipNode.Outgoing out = sys.node.send(notify, true);
                out.answer().orTimeout(sys.config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .whenComplete((resp, err) -> answered(s, next, resp, err));
            } catch (SipException | RuntimeException e) {
                LOG.info("{}: NOTIFY to {} not sent: {}", s.focusUri, s.subscriber, e.getMessage());
                byDialog.remove(s.dialogId, s);
            }
            return; // the answer starts the next one
        }
    }

    private void answered(FocusSubscription s, FocusSubscription.Next sent, Response resp, Throwable err) {
        int status = err != null ? 408 : resp.getStatusCode();
        if (status == 481 || status == 408 || status >= 500) {
            // RFC 6665 §4.2.2: no subscription there (481), or nobody answering: the subscription ends.
            LOG.info("{}: NOTIFY to {} answered {}: subscription removed", s.focusUri, s.subscriber,
                    err != null ? "no answer in time" : status + " " + resp.getReasonPhrase());
            s.end(FocusSubscription.End.REJECTED);
            byDialog.remove(s.dialogId, s);
            return;
        }
        if (status / 100 != 2) {
            // e.g. 493: the body crossed a re-key of the leg; the subscriber refreshes for the full state
            LOG.info("{}: NOTIFY to {} answered {} {}", s.focusUri, s.subscriber, status, resp.getReasonPhrase());
        }
        if (sent.end() != null) {
            byDialog.remove(s.dialogId, s);
            return;
        }
        start(s);
    }

    /** The NOTIFY for {@code next}, or null when there is nothing new for this subscriber. */
    private Request build(FocusSubscription s, FocusSubscription.Next next)
            throws ParseException, SipException, InvalidArgumentException {
        HeaderFactory hf = sys.node.headerFactory();
        Optional<Conference<FocusLeg>> conf = sys.conference(s.focusUri);
        FocusSubscription.End end = next.end();
        byte[] body = null;
        ConferenceInfo doc = null;
        if (end == null || (end == FocusSubscription.End.TIMEOUT && next.fullState())) {
            Optional<LegKek> kek = conf.flatMap(c -> kekOf(c, s.subscriber));
            if (kek.isEmpty()) {
                end = conf.isPresent() ? FocusSubscription.End.REJECTED : FocusSubscription.End.NORESOURCE;
                s.end(end);
            } else {
                try {
                    ConferenceInfo current = ConferenceInfoOf.of(conf.get().snapshot(),
                            sys.config.limits().maxParticipants());
                    doc = next.fullState() ? s.publisher.full(current) : s.publisher.next(current).orElse(null);
                    if (doc == null && end == null) {
                        return null;
                    }
                    body = doc == null ? null : NotifyBody.seal(doc, kek.get().csbId(), kek.get().kek(), random);
                } finally {
                    kek.get().kek().destroy();
                }
            }
        }
        Request n = s.dialog.createRequest(Request.NOTIFY);
        n.addHeader(hf.createEventHeader(PACKAGE));
        SubscriptionStateHeader ss;
        if (end == null) {
            ss = hf.createSubscriptionStateHeader(SubscriptionStateHeader.ACTIVE);
            ss.setExpires((int) Math.max(1, s.expires().getEpochSecond() - Instant.now().getEpochSecond()));
        } else {
            ss = hf.createSubscriptionStateHeader(SubscriptionStateHeader.TERMINATED);
            ss.setReasonCode(end.reason);
        }
        n.addHeader(ss);
        if (body != null) {
            ContentTypeHeader type = hf.createContentTypeHeader("application", "pkcs7-mime");
            type.setParameter("smime-type", "authEnveloped-data");
            type.setParameter("name", "smime.p7m");
            ContentDispositionHeader disposition = hf.createContentDispositionHeader("attachment");
            disposition.setParameter("handling", "required");
            disposition.setParameter("filename", "smime.p7m");
            n.addHeader(disposition);
            n.setContent(body, type);
            LOG.debug("{}: NOTIFY to {}: version {} ({}), {} users", s.focusUri, s.subscriber, doc.version(),
                    doc.state(), doc.users().size());
        }
        return n;
    }

    @Override
    public void close() {
        notifier.shutdownNow();
    }
}
