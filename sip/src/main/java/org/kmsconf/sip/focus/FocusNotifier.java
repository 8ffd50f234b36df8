package org.kmsconf.sip.focus;

import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.header.ContentDispositionHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.control.event.NotifyBody;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.NonMediaSession;
import org.kmsconf.sip.conference.Conference;
import org.kmsconf.sip.stack.SipNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NOTIFYs of the conference event package at the focus: for each subscription one at a time, each after the
 * previous one's final response (two in flight can overtake each other), changes meanwhile folded into the next.
 * Each body is the conference-info document for that subscriber (full state, or what changed since its last one),
 * sealed under the KEK of its leg's current exchange, copied under the conference's lock and zeroed after use. A
 * NOTIFY answered 481, not answered, or answered 5xx ends the subscription (RFC 6665 §4.2.2); a 493 (a body that
 * crossed a re-key) does not: the subscriber refreshes.
 */
final class FocusNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FocusNotifier.class);
    private final ConferenceSystem sys;
    private final Consumer<FocusSubscription> forget;
    private final ExecutorService notifier;
    private final SecureRandom random = new SecureRandom();

    /** @param forget drops a subscription that ended or failed */
    FocusNotifier(ConferenceSystem sys, Consumer<FocusSubscription> forget) {
        this.sys = sys;
        this.forget = forget;
        this.notifier = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "conference-notify");
            t.setDaemon(true);
            return t;
        });
        notifier.execute(NotifyBody::warmUp); // the first subscriber should not wait for the CMS code to load
    }

    /** The key of a subscriber's live leg: its CSB ID and a copy of its K(0xE0), taken under the model's lock. */
    record LegKek(int csbId, KeyMaterial kek) { }

    static Optional<LegKek> kekOf(Conference<FocusLeg> conf, String identity) {
        return conf.readConnected(identity, p -> p.leg() == null ? null : p.leg().keys()
                .nonMediaKey(NonMediaSession.EVENT_PACKAGE_KEK)
                .map(k -> new LegKek(p.leg().keys().csbId(), k.copy())).orElse(null));
    }

    void start(FocusSubscription s) {
        try {
            notifier.execute(() -> pump(s));
        } catch (RejectedExecutionException e) {
            forget.accept(s); // shutting down
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
                forget.accept(s);
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
                forget.accept(s);
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
            forget.accept(s);
            return;
        }
        if (status / 100 != 2) {
            // e.g. 493: the body crossed a re-key of the leg; the subscriber refreshes for the full state
            LOG.info("{}: NOTIFY to {} answered {} {}", s.focusUri, s.subscriber, status, resp.getReasonPhrase());
        }
        if (sent.end() != null) {
            forget.accept(s);
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
        n.addHeader(hf.createEventHeader(FocusEvents.PACKAGE));
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
