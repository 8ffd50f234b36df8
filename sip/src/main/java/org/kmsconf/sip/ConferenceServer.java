package org.kmsconf.sip;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.message.Request;
import org.kmsconf.sip.conference.ConferenceMedia;
import org.kmsconf.sip.conference.ConferenceState;
import org.kmsconf.sip.conference.SignallingOnlyMedia;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.stack.SipHandler;
import org.kmsconf.sip.stack.SipNode;
import org.kmsconf.sip.trace.FlowListener;
import org.kmsconf.sip.trace.KeyLogListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conference system of TR 33.829 clause 5.3.3: the conference factory and every focus it creates, on one SIP
 * stack and as one KMS user whose public identities are the factory URI and the focus URIs.
 *
 * <ul>
 *   <li>factory INVITE (flow 1): allocate a focus URI, RESOLVE as it, check the creator, record creator and allowed
 *       set, answer TRANSFER_RESP; the conference exists only when all of that succeeded;</li>
 *   <li>focus INVITE (flows 2, 3, 5): RESOLVE, check the caller is allowed, assign a unique SSRC, answer, relay;</li>
 *   <li>REFER to a focus (flow 4): RESOLVE first, check Refer-To, referrer and referee, 202 with TRANSFER_RESP,
 *       then call the referee out with the focus's own ticket and report by NOTIFY;</li>
 *   <li>re-INVITE/UPDATE from the owner with a new ticket replaces the allowed set; BYE from the owner ends it.</li>
 * </ul>
 * Refusals: 403 (authorisation) or 488 (MIKEY) with {@code Warning: 399 kmsconf "..."}; 404 for an unknown focus.
 */
public final class ConferenceServer implements SipHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConferenceServer.class);

    /**
     * Configuration.
     *
     * @param factoryUri e.g. {@code sip:factory.conference1@operator}
     * @param focusPattern focus URIs allocated, {@code {N}} replaced by a counter; default
     *                     {@code sip:focus{N}.conference1@operator} for that factory (the KMS's default rule)
     * @param allowedCreators when non-null, the conference policy of the conference system: only these may create
     *                        conferences; when null, the check is left to the KMS at resolve
     * @param participantsMayRefer whether participants other than the owner may ask the focus to call someone out
     * @param media the focus's media plane; null = {@link SignallingOnlyMedia}
     */
    public record Config(String factoryUri, String focusPattern, String sipHost, int sipPort, Directory directory,
                         KeyAgent keyAgent, Set<String> allowedCreators, boolean participantsMayRefer,
                         ConferenceMedia media, FlowListener trace, KeyLogListener keyLog, Duration timeout) {
        public Config {
            factoryUri = Directory.normalise(factoryUri);
            if (focusPattern == null) {
                focusPattern = defaultFocusPattern(factoryUri);
            }
            if (!focusPattern.contains("{N}")) {
                throw new IllegalArgumentException("focus pattern needs {N}: " + focusPattern);
            }
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(keyAgent, "keyAgent");
            allowedCreators = allowedCreators == null ? null
                    : Set.copyOf(allowedCreators.stream().map(Directory::normalise).toList());
            media = media == null ? new SignallingOnlyMedia(sipHost) : media;
            trace = trace == null ? FlowListener.NONE : trace;
            keyLog = keyLog == null ? KeyLogListener.NONE : keyLog;
            timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        }

        /**
         * Factory on {@code sipHost:sipPort}, default focus pattern, creation left to the KMS, owner-only REFER,
         * signalling-only media, no trace, 10 s timeout; refine with the {@code with…} methods.
         */
        public static Config of(String factoryUri, String sipHost, int sipPort, Directory directory,
                                KeyAgent keyAgent) {
            return new Config(factoryUri, null, sipHost, sipPort, directory, keyAgent, null, false, null, null, null,
                    null);
        }

        public Config withFocusPattern(String pattern) {
            return new Config(factoryUri, pattern, sipHost, sipPort, directory, keyAgent, allowedCreators,
                    participantsMayRefer, media, trace, keyLog, timeout);
        }

        /** The conference policy of the conference system: who may create conferences (null: the KMS decides). */
        public Config withAllowedCreators(Set<String> creators) {
            return new Config(factoryUri, focusPattern, sipHost, sipPort, directory, keyAgent, creators,
                    participantsMayRefer, media, trace, keyLog, timeout);
        }

        public Config withParticipantsMayRefer(boolean may) {
            return new Config(factoryUri, focusPattern, sipHost, sipPort, directory, keyAgent, allowedCreators, may,
                    media, trace, keyLog, timeout);
        }

        public Config withMedia(ConferenceMedia m) {
            return new Config(factoryUri, focusPattern, sipHost, sipPort, directory, keyAgent, allowedCreators,
                    participantsMayRefer, m, trace, keyLog, timeout);
        }

        public Config withTrace(FlowListener t) {
            return new Config(factoryUri, focusPattern, sipHost, sipPort, directory, keyAgent, allowedCreators,
                    participantsMayRefer, media, t, keyLog, timeout);
        }

        public Config withKeyLog(KeyLogListener k) {
            return new Config(factoryUri, focusPattern, sipHost, sipPort, directory, keyAgent, allowedCreators,
                    participantsMayRefer, media, trace, k, timeout);
        }

        public Config withTimeout(Duration d) {
            return new Config(factoryUri, focusPattern, sipHost, sipPort, directory, keyAgent, allowedCreators,
                    participantsMayRefer, media, trace, keyLog, d);
        }

        /** {@code sip:factory.X@d} -> {@code sip:focus{N}.X@d}; any other factory name -> {@code sip:focus{N}.<user>@d}. */
        static String defaultFocusPattern(String factory) {
            String user = SipMessages.userOf(factory);
            String domain = factory.substring(factory.indexOf('@') + 1);
            String suffix = user.startsWith("factory.") ? user.substring("factory.".length()) : user;
            return "sip:focus{N}." + suffix + "@" + domain;
        }
    }

    private final Config config;
    private final String factory;
    private final SipNode node;
    private final SipMessages msgs;
    private final Map<String, Conference> conferences;
    private final FactoryFlow factoryFlow;
    private final FocusCallIn callIn;
    private final FocusReferral referral;

    private ConferenceServer(Config config) throws IOException {
        this.config = config;
        this.factory = config.factoryUri();
        this.node = SipNode.start("conf-" + SipMessages.userOf(factory), config.sipHost(), config.sipPort(), this,
                config.trace());
        this.msgs = new SipMessages(node);
        ConferenceSystem sys = new ConferenceSystem(config, node, msgs, new Tracer(config.trace(), config.keyLog()));
        this.conferences = sys.conferences;
        this.factoryFlow = new FactoryFlow(sys);
        this.callIn = new FocusCallIn(sys);
        this.referral = new FocusReferral(sys);
    }

    public static ConferenceServer start(Config config) throws IOException {
        return new ConferenceServer(config);
    }

    public String factoryUri() {
        return factory;
    }

    /** Where the factory and every focus are reached (one entry for the factory, one wildcard for the foci). */
    public Contact contact(String transport) {
        return new Contact(node.host(), node.port(), transport);
    }

    /** Adds the factory and the focus wildcard to a directory. */
    public void register(Directory directory, String transport) {
        directory.put(factory, contact(transport));
        String pattern = config.focusPattern();
        directory.put("sip:*" + pattern.substring(pattern.indexOf("{N}") + 3), contact(transport));
    }

    public Optional<ConferenceState> conference(String focusUri) {
        Conference c = conferences.get(Directory.normalise(focusUri));
        return c == null ? Optional.empty() : Optional.of(c.snapshot());
    }

    public List<ConferenceState> conferences() {
        return conferences.values().stream().map(Conference::snapshot).toList();
    }

    /**
     * The SRTP keys of a participant's current leg, for a debugging key log or a test; never logged. Empty when the
     * participant is not in the conference.
     */
    public Optional<Leg> legOf(String focusUri, String participant) {
        Conference c = conferences.get(Directory.normalise(focusUri));
        if (c == null) {
            return Optional.empty();
        }
        synchronized (c) {
            Participant p = c.participants.get(Directory.normalise(participant));
            return p == null ? Optional.empty() : Optional.of(p.leg());
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
            if (to.equals(factory)) {
                switch (method) {
                    case Request.INVITE -> node.executor().execute(() -> factoryFlow.createConference(stx, req));
                    case Request.BYE, Request.OPTIONS, Request.CANCEL -> node.respond(stx, msgs.response(200, req));
                    default -> node.respond(stx, msgs.refusal(405, req, method + " is not for the factory", null));
                }
                return;
            }
            Conference conf = conferences.get(to);
            if (conf == null || conf.ended) {
                if (Request.BYE.equals(method)) {
                    node.respond(stx, msgs.response(481, req));
                } else {
                    node.respond(stx, msgs.refusal(404, req, "no conference " + to, null));
                }
                return;
            }
            switch (method) {
                case Request.INVITE, Request.UPDATE -> node.executor().execute(() -> callIn.onFocusOffer(conf, stx, req));
                case Request.REFER -> node.executor().execute(() -> referral.onRefer(conf, stx, req));
                case Request.BYE -> callIn.onBye(conf, stx, req);
                case Request.OPTIONS, Request.CANCEL -> node.respond(stx, msgs.response(200, req));
                case Request.NOTIFY -> node.respond(stx, msgs.response(200, req));
                default -> node.respond(stx, msgs.response(501, req));
            }
        } catch (SipException | RuntimeException e) {
            LOG.warn("cannot handle {}: {}", method, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- flows 2, 3, 5 (call-in) and updates

    // ---------------------------------------------------------------- BYE

    /** Stops the stack (about a second; see {@link SipNode#closeAll}) and the media plane. */
    @Override
    public void close() {
        for (Conference c : conferences.values()) {
            synchronized (c) {
                c.ended = true;
                for (Participant p : c.participants.values()) {
                    ConferenceSystem.close(c, p);
                }
                c.participants.clear();
            }
            c.room.close();
        }
        conferences.clear();
        node.close();
        config.media().close();
    }
}
