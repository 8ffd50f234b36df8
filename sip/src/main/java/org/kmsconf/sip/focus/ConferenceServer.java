package org.kmsconf.sip.focus;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.message.Request;
import org.kmsconf.sip.Contact;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.conference.Actor;
import org.kmsconf.sip.conference.Conference;
import org.kmsconf.sip.conference.ConferenceState;
import org.kmsconf.sip.conference.Conferences;
import org.kmsconf.sip.conference.Departed;
import org.kmsconf.sip.conference.Outcome;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.stack.SipHandler;
import org.kmsconf.sip.stack.SipNode;
import org.kmsconf.sip.trace.SignallingCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conference system of TR 33.829 clause 5.3.3: the conference factory and every focus it creates, on one SIP
 * stack and as one KMS user whose public identities are the factory URI and the focus URIs. It routes each request
 * to its adapter ({@link FactoryHandler}, {@link FocusOfferHandler}, {@link FocusReferHandler}); the adapters parse,
 * let the {@link Conference} model decide, and answer. Costly requests go to a bounded pool, 503 with Retry-After
 * beyond it or beyond a source's rate; conferences that expired are ended every second.
 */
public final class ConferenceServer implements SipHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConferenceServer.class);
    private final ServerConfig config;
    private final SipNode node;
    private final ConferenceSystem sys;
    private final FactoryHandler factory;
    private final FocusOfferHandler offers;
    private final FocusReferHandler refers;
    private final ScheduledExecutorService sweeper;

    private ConferenceServer(ServerConfig config, Clock clock) throws IOException {
        this.config = config;
        this.node = SipNode.start("conf-" + SipMessages.userOf(config.factoryUri()), config.sipHost(),
                config.sipPort(), this, config.trace(), config.capacity());
        this.sys = new ConferenceSystem(config, node, clock);
        this.factory = new FactoryHandler(sys);
        this.offers = new FocusOfferHandler(sys);
        this.refers = new FocusReferHandler(sys);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "conference-expiry");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Starts the server. Unless the configuration says otherwise, first checks that the KMS lets the factory act
     * as the focus URIs it will allocate ({@link FocusUriProbe}); throws {@link IllegalStateException} if not.
     */
    public static ConferenceServer start(ServerConfig config) throws IOException {
        return start(config, Clock.systemUTC());
    }

    static ConferenceServer start(ServerConfig config, Clock clock) throws IOException {
        if (config.probeKms()) {
            FocusUriProbe.check(config.factoryUri(), config.focusUris().samples(), config.keyAgent(),
                    Duration.ofSeconds(30));
        }
        return new ConferenceServer(config, clock);
    }

    public String factoryUri() {
        return config.factoryUri();
    }

    /** Where the factory and every focus are reached. */
    public Contact contact(String transport) {
        return new Contact(node.host(), node.port(), transport);
    }

    /** Adds the factory and every focus URI (the rule's wildcard, or the list) to a directory. */
    public void register(Directory directory, String transport) {
        directory.put(config.factoryUri(), contact(transport));
        for (String entry : config.focusUris().directoryEntries()) {
            directory.put(entry, contact(transport));
        }
    }

    public Optional<ConferenceState> conference(String focusUri) {
        return sys.conference(Directory.normalise(focusUri)).map(Conference::snapshot);
    }

    public List<ConferenceState> conferences() {
        return sys.conferences.all().stream().filter(c -> !c.ended()).map(Conference::snapshot).toList();
    }

    /** The keys of a participant's current leg, for a debugging key log or a test; never logged. */
    public Optional<Leg> legOf(String focusUri, String participant) {
        return sys.conference(Directory.normalise(focusUri))
                .flatMap(c -> c.legOf(Directory.normalise(participant))).map(FocusLeg::keys);
    }

    /**
     * What an operator may see of a connected participant's leg: dialog, relay address, per-direction SSRC, SRTP
     * policy and key fingerprint (never keys); empty if the participant has no leg in that conference.
     */
    public Optional<LegDetails> legDetails(String focusUri, String participant) {
        String who = Directory.normalise(participant);
        return sys.conference(Directory.normalise(focusUri)).flatMap(c -> c.readConnected(who,
                p -> p.leg() == null ? null : LegDetails.of(who, p.dialogId(), p.leg())));
    }

    /** The operator ends a conference: every participant gets a BYE and loses its keys. */
    public Outcome<Departed<FocusLeg>> end(String focusUri, Actor actor) {
        Optional<Conference<FocusLeg>> c = sys.conference(Directory.normalise(focusUri));
        if (c.isEmpty()) {
            return new Outcome.Refused<>(org.kmsconf.sip.conference.Rule.CONFERENCE_RUNNING, "no conference "
                    + focusUri, List.of());
        }
        Outcome<Departed<FocusLeg>> o = c.get().end(actor);
        o.ifAdmitted(d -> sys.departed(c.get(), d, null, "ended"));
        return o;
    }

    /** The operator (or the owner, through the API) removes a participant: the same action as the owner's REFER. */
    public Outcome<Departed<FocusLeg>> remove(String focusUri, String participant, Actor actor) {
        Optional<Conference<FocusLeg>> c = sys.conference(Directory.normalise(focusUri));
        if (c.isEmpty()) {
            return new Outcome.Refused<>(org.kmsconf.sip.conference.Rule.CONFERENCE_RUNNING, "no conference "
                    + focusUri, List.of());
        }
        Outcome<Departed<FocusLeg>> o = c.get().remove(actor, Directory.normalise(participant));
        o.ifAdmitted(d -> sys.departed(c.get(), d, null, "removed"));
        return o;
    }

    /** Requests answered 503: {over the per-source rate, no worker free}; then UDP datagrams dropped unread. */
    public long[] overloadRefusals() {
        return node.overloadRefusals();
    }

    private void expire() {
        try {
            sys.events.expire(java.time.Instant.now());
            for (Conferences.Expired<FocusLeg> e : sys.conferences.expire()) {
                LOG.info("{}: {}", e.conference().focusUri(), e.conference().endReason().orElse("expired"));
                sys.departed(e.conference(), e.departed(), null, "expired");
            }
        } catch (RuntimeException e) {
            LOG.warn("conference expiry failed: {}", e.toString());
        }
    }

    // ---------------------------------------------------------------- dispatch

    @Override
    public void onRequest(RequestEvent event) {
        Request req = event.getRequest();
        String method = req.getMethod();
        if (Request.ACK.equals(method)) {
            return;
        }
        try {
            ServerTransaction stx = node.serverTransaction(event);
            String to = SipMessages.toIdentity(req);
            if (to.equals(config.factoryUri())) {
                switch (method) {
                    case Request.INVITE -> node.dispatch(stx, req, () -> factory.onInvite(stx, req));
                    case Request.BYE, Request.OPTIONS, Request.CANCEL -> node.respond(stx, sys.msgs.response(200, req));
                    default -> node.respond(stx, sys.msgs.refusal(405, req, method + " is not for the factory", null));
                }
                return;
            }
            Optional<Conference<FocusLeg>> found = sys.conference(to);
            if (found.isEmpty()) {
                if (Request.BYE.equals(method)) {
                    node.respond(stx, sys.msgs.response(481, req));
                } else {
                    // No KMS exchange for a focus URI that was never allocated, or has ended.
                    sys.tracer.check(to, SignallingCheck.FOCUS_EXISTS, false, to);
                    node.respond(stx, sys.msgs.refusal(404, req, "no conference " + to, null));
                }
                return;
            }
            Conference<FocusLeg> conf = found.get();
            switch (method) {
                case Request.INVITE, Request.UPDATE -> node.dispatch(stx, req, () -> offers.onOffer(conf, stx, req));
                case Request.REFER -> node.dispatch(stx, req, () -> refers.onRefer(conf, stx, req));
                case Request.SUBSCRIBE -> node.dispatch(stx, req, () -> sys.events.onSubscribe(conf, stx, req));
                case Request.BYE -> offers.onBye(conf, stx, req);
                case Request.OPTIONS, Request.CANCEL, Request.NOTIFY -> node.respond(stx, sys.msgs.response(200, req));
                default -> node.respond(stx, sys.msgs.response(501, req));
            }
        } catch (SipException | RuntimeException e) {
            LOG.warn("cannot handle {}: {}", method, e.getMessage());
        }
    }

    /** Stops the stack (about a second; see {@link org.kmsconf.sip.stack.SipStacks#closeAll}) and the media plane. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        for (Conference<FocusLeg> c : sys.conferences.all()) {
            c.end(Actor.operator("shutdown")).ifAdmitted(d -> {
                d.participants().forEach(p -> {
                    if (p.leg() != null) {
                        p.leg().close();
                    }
                });
                sys.conferences.forget(c);
                sys.closeRoom(c.focusUri());
            });
        }
        sys.events.close();
        sys.floors.close();
        node.close();
        config.media().close();
    }
}
