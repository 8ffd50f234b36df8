package org.kmsconf.sip.focus;

import java.text.ParseException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.header.AcceptHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.control.event.NotifyBody;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.SipStatus;
import org.kmsconf.sip.conference.Conference;
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
    private final FocusNotifier notifier;

    FocusEvents(ConferenceSystem sys) {
        this.sys = sys;
        this.notifier = new FocusNotifier(sys, s -> byDialog.remove(s.dialogId, s));
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
        Optional<FocusNotifier.LegKek> kek = FocusNotifier.kekOf(conf, subscriber);
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
                notifier.start(existing);
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
            notifier.start(s);
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
                notifier.start(s);
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
            notifier.start(s);
        }
        if (!wasEnded) {
            LOG.info("{}: subscription of {} ends ({})", s.focusUri, s.subscriber, why.reason);
        }
    }

    @Override
    public void close() {
        notifier.close();
    }
}
