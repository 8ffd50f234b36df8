package org.kmsconf.sip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ReferToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.sip.conference.ConferenceMedia;
import org.kmsconf.sip.conference.ConferenceState;
import org.kmsconf.sip.conference.SignallingOnlyMedia;
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

    /** One conference: its owner, allowed set and legs. Guarded by its own monitor. */
    private static final class Conference {
        final String focus;
        final String owner;
        final ConferenceMedia.Room room;
        final Set<String> allowed = new LinkedHashSet<>();
        final Map<String, Participant> participants = new LinkedHashMap<>();
        volatile boolean ended;

        Conference(String focus, String owner, List<String> allowed, ConferenceMedia.Room room) {
            this.focus = focus;
            this.owner = owner;
            this.allowed.addAll(allowed);
            this.room = room;
        }

        synchronized ConferenceState snapshot() {
            Map<String, Long> ssrcs = new LinkedHashMap<>();
            participants.forEach((k, v) -> ssrcs.put(k, v.ssrc));
            return new ConferenceState(focus, owner, new ArrayList<>(allowed), ssrcs);
        }
    }

    /** One participant leg at the focus. */
    private static final class Participant {
        final String identity;
        final Dialog dialog;
        final long ssrc;
        final ConferenceMedia.Port port;
        volatile Leg leg;

        Participant(String identity, Dialog dialog, long ssrc, ConferenceMedia.Port port, Leg leg) {
            this.identity = identity;
            this.dialog = dialog;
            this.ssrc = ssrc;
            this.port = port;
            this.leg = leg;
        }

        /** Keys of the participant -> focus direction. */
        Leg leg() {
            return leg;
        }
    }

    private final Config config;
    private final String factory;
    private final SipNode node;
    private final SipMessages msgs;
    private final Tracer tracer;
    private final Map<String, Conference> conferences = new ConcurrentHashMap<>();
    private final AtomicLong focusCounter = new AtomicLong();

    private ConferenceServer(Config config) throws IOException {
        this.config = config;
        this.factory = config.factoryUri();
        this.tracer = new Tracer(config.trace(), config.keyLog());
        this.node = SipNode.start("conf-" + SipMessages.userOf(factory), config.sipHost(), config.sipPort(), this,
                config.trace());
        this.msgs = new SipMessages(node);
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
                    case Request.INVITE -> node.executor().execute(() -> createConference(stx, req));
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
                case Request.INVITE, Request.UPDATE -> node.executor().execute(() -> onFocusOffer(conf, stx, req));
                case Request.REFER -> node.executor().execute(() -> onRefer(conf, stx, req));
                case Request.BYE -> onBye(conf, stx, req);
                case Request.OPTIONS, Request.CANCEL -> node.respond(stx, msgs.response(200, req));
                case Request.NOTIFY -> node.respond(stx, msgs.response(200, req));
                default -> node.respond(stx, msgs.response(501, req));
            }
        } catch (SipException | RuntimeException e) {
            LOG.warn("cannot handle {}: {}", method, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- flow 1: factory

    private void createConference(ServerTransaction stx, Request req) {
        String from = SipMessages.fromIdentity(req);
        Optional<byte[]> init = KeyMgmtSdp.readKeyMgmt(SipMessages.bodyText(req));
        if (init.isEmpty()) {
            tracer.check(factory, "offer-has-key-mgmt", false, from);
            node.respond(stx, msgs.refusal(488, req, "no a=key-mgmt:mikey in the offer", null));
            return;
        }
        String focus = allocateFocusUri();
        ResolvedTransfer resolved;
        IncomingTransfer in = null;
        try {
            in = config.keyAgent().receive(init.get());
            resolved = resolve(factory, in, focus);
        } catch (KeyManagementException e) {
            String reason = e.reason() == KeyManagementException.Reason.KMS_REFUSED
                    ? "KMS refused to resolve the creator's ticket for " + focus + ": " + e.getMessage()
                    : KmsStatus.describe(e);
            node.respond(stx, msgs.refusal(KmsStatus.statusFor(e), req, reason, errorBody(in, e)));
            return;
        }
        String creator = resolved.initiator();
        if (!checkFrom(factory, resolved, from, stx, req)) {
            return;
        }
        if (config.allowedCreators() != null) {
            boolean may = config.allowedCreators().contains(creator);
            tracer.check(factory, "creator-authorised-by-conference-policy", may, creator);
            if (!may) {
                node.respond(stx, msgs.refusal(403, req, creator
                        + " may not create secure conferences (conference policy)",
                        resolved.refusal(ErrorCode.INVALID_ID)));
                return;
            }
        } else {
            tracer.check(factory, "creator-authorised-by-kms", true, creator);
        }
        List<String> allowed = new ArrayList<>(resolved.responders());
        allowed.remove(factory);
        allowed.remove(focus);
        allowed.remove(creator);
        Leg leg;
        try {
            leg = resolved.answer(Ssrcs.UNASSIGNED);
        } catch (KeyManagementException e) {
            node.respond(stx, msgs.refusal(KmsStatus.statusFor(e), req, KmsStatus.describe(e), null));
            return;
        }
        // Everything checked: only now does the conference exist (nothing half-created).
        Conference conf = new Conference(focus, creator, allowed, config.media().open(focus));
        conferences.put(focus, conf);
        tracer.conference(focus, focus, "created", creator, allowed, List.of());
        Response ok = msgs.response(200, req);
        // The factory takes no media: port 0 (RFC 3264 §6) in the answer that carries the TRANSFER_RESP.
        SipMessages.setBody(ok, KeyMgmtSdp.build(SipMessages.userOf(factory), new InetSocketAddress(node.host(), 0),
                leg.transferResp()), msgs.sdpType());
        node.respond(stx, ok);
        tracer.legKeys(factory, UserAgent.callIdOf(req), leg);
        leg.destroy();
    }

    private String allocateFocusUri() {
        while (true) {
            String uri = Directory.normalise(config.focusPattern().replace("{N}",
                    Long.toString(focusCounter.incrementAndGet())));
            if (!conferences.containsKey(uri)) {
                return uri;
            }
        }
    }

    // ---------------------------------------------------------------- flows 2, 3, 5 (call-in) and updates

    private void onFocusOffer(Conference conf, ServerTransaction stx, Request req) {
        String focus = conf.focus;
        String from = SipMessages.fromIdentity(req);
        Optional<byte[]> init = KeyMgmtSdp.readKeyMgmt(SipMessages.bodyText(req));
        if (init.isEmpty()) {
            tracer.check(focus, "offer-has-key-mgmt", false, from);
            node.respond(stx, msgs.refusal(488, req, "no a=key-mgmt:mikey in the offer", null));
            return;
        }
        ResolvedTransfer resolved;
        IncomingTransfer in = null;
        try {
            in = config.keyAgent().receive(init.get());
            resolved = resolve(focus, in, focus);
        } catch (KeyManagementException e) {
            node.respond(stx, msgs.refusal(KmsStatus.statusFor(e), req, KmsStatus.describe(e), errorBody(in, e)));
            return;
        }
        if (!checkFrom(focus, resolved, from, stx, req)) {
            return;
        }
        String caller = resolved.initiator();
        List<String> named = new ArrayList<>(resolved.responders());
        named.remove(focus);
        named.remove(factory);
        named.remove(caller);
        boolean changesSet = !named.isEmpty() && !new LinkedHashSet<>(named).equals(conf.allowed);
        Leg leg;
        Participant p;
        boolean newcomer;
        synchronized (conf) {
            if (conf.ended) {
                resolved.discard();
                node.respond(stx, msgs.refusal(404, req, "conference " + focus + " has ended", null));
                return;
            }
            Participant existing = conf.participants.get(caller);
            boolean inDialog = existing != null && existing.dialog.equals(stx.getDialog());
            newcomer = !inDialog;
            if (newcomer && Request.UPDATE.equals(req.getMethod())) {
                resolved.discard();
                node.respond(stx, msgs.refusal(481, req, "UPDATE outside a call with " + focus, null));
                return;
            }
            boolean mayJoin = caller.equals(conf.owner) || conf.allowed.contains(caller);
            tracer.check(focus, "caller-allowed", mayJoin, caller);
            if (!mayJoin) {
                node.respond(stx, msgs.refusal(403, req, caller + " is not allowed in " + focus,
                        resolved.refusal(ErrorCode.INVALID_ID)));
                return;
            }
            if (changesSet) {
                boolean owner = caller.equals(conf.owner);
                tracer.check(focus, "allowed-set-change-by-owner", owner, caller);
                if (!owner) {
                    node.respond(stx, msgs.refusal(403, req, "only the owner " + conf.owner
                            + " may change the allowed participants",
                            resolved.refusal(ErrorCode.INVALID_ID)));
                    return;
                }
            }
            if (existing != null && !inDialog) {
                tracer.check(focus, "not-already-joined", false, caller);
                node.respond(stx, msgs.refusal(486, req, caller + " is already in " + focus,
                        resolved.refusal(ErrorCode.UNSPECIFIED)));
                return;
            }
            long offered = resolved.offeredSsrcs().cs1();
            long ssrc;
            if (inDialog) {
                ssrc = existing.ssrc;
            } else if (offered != 0) {
                boolean free = conf.room.claimSsrc(caller, offered);
                tracer.check(focus, "ssrc-unique", free, Ssrcs.hex(offered));
                if (!free) {
                    node.respond(stx, msgs.refusal(488, req, "SSRC " + Ssrcs.hex(offered)
                            + " is already used in " + focus,
                            resolved.refusal(ErrorCode.UNSPECIFIED)));
                    return;
                }
                ssrc = offered;
            } else {
                ssrc = conf.room.assignSsrc(caller);
                tracer.check(focus, "ssrc-unique", true, "assigned " + Ssrcs.hex(ssrc));
            }
            try {
                // CS 2 (focus -> participant) carries relayed streams under their own SSRCs: its SSRC field is 0.
                leg = resolved.answer(new Ssrcs(ssrc, 0));
            } catch (KeyManagementException e) {
                if (!inDialog) {
                    conf.room.releaseSsrc(caller);
                }
                node.respond(stx, msgs.refusal(KmsStatus.statusFor(e), req, KmsStatus.describe(e), null));
                return;
            }
            if (changesSet) {
                conf.allowed.clear();
                conf.allowed.addAll(named);
            }
            if (inDialog) {
                p = existing;
                Leg old = p.leg;
                p.leg = leg;
                old.destroy();
            } else {
                p = new Participant(caller, stx.getDialog(), ssrc, conf.room.reserve(caller), leg);
                conf.participants.put(caller, p);
            }
            // remote null: the relay learns it from the participant's first authenticated packet (symmetric RTP,
            // RFC 4961); a UE's RTP socket need not be the port its SDP named.
            p.port.activate(null, ssrc, leg.cs1(), leg.cs2());
        }
        Response ok = msgs.response(200, req);
        SipMessages.setBody(ok, KeyMgmtSdp.build(SipMessages.userOf(focus), p.port.localAddress(),
                leg.transferResp()), msgs.sdpType());
        node.respond(stx, ok);
        tracer.legKeys(focus, UserAgent.callIdOf(req), leg);
        ConferenceState s = conf.snapshot();
        tracer.conference(focus, focus, (changesSet ? "allowed-set-replaced, " : "")
                + (newcomer ? "joined " : "re-keyed ") + caller, conf.owner, s.allowed(),
                List.copyOf(s.participantSsrcs().keySet()));
    }

    // ---------------------------------------------------------------- flow 4: REFER to the focus

    private void onRefer(Conference conf, ServerTransaction stx, Request req) {
        String focus = conf.focus;
        String from = SipMessages.fromIdentity(req);
        byte[] body = SipMessages.body(req);
        // Authenticate the referrer before any other work (TR 33.829 5.3.3.3.2 flow 4 b: limits DoS).
        if (body.length == 0 || !SipMessages.hasContentType(req, "application", "mikey")) {
            tracer.check(focus, "referrer-authenticated", false, "REFER without TRANSFER_INIT");
            node.respond(stx, msgs.refusal(403, req, "REFER must carry a TRANSFER_INIT (application/mikey)", null));
            return;
        }
        ResolvedTransfer resolved;
        try {
            resolved = resolve(focus, config.keyAgent().receive(body), focus);
        } catch (KeyManagementException e) {
            int status = e.reason() == KeyManagementException.Reason.KMS_UNAVAILABLE ? 503 : 403;
            node.respond(stx, msgs.refusal(status, req, KmsStatus.describe(e), null));
            return;
        }
        if (!checkFrom(focus, resolved, from, stx, req)) {
            return;
        }
        String referrer = resolved.initiator();
        ReferToHeader referTo = (ReferToHeader) req.getHeader(ReferToHeader.NAME);
        String target = referTo == null ? "" : SipMessages.identityOf(referTo.getAddress());
        boolean inTicket = resolved.responders().contains(target) && !target.equals(focus);
        tracer.check(focus, "refer-to-in-ticket", inTicket, target);
        if (!inTicket) {
            node.respond(stx, msgs.refusal(403, req, "Refer-To " + target + " is not a recipient of the ticket",
                    resolved.refusal(ErrorCode.INVALID_ID)));
            return;
        }
        boolean referrerOk;
        boolean targetOk;
        synchronized (conf) {
            referrerOk = referrer.equals(conf.owner)
                    || (config.participantsMayRefer() && conf.participants.containsKey(referrer));
            targetOk = target.equals(conf.owner) || conf.allowed.contains(target);
        }
        tracer.check(focus, "referrer-may-refer", referrerOk, referrer);
        if (!referrerOk) {
            node.respond(stx, msgs.refusal(403, req, referrer + " may not ask " + focus + " to call anyone",
                    resolved.refusal(ErrorCode.INVALID_ID)));
            return;
        }
        tracer.check(focus, "referee-allowed", targetOk, target);
        if (!targetOk) {
            node.respond(stx, msgs.refusal(403, req, target + " is not allowed in " + focus,
                    resolved.refusal(ErrorCode.INVALID_ID)));
            return;
        }
        Leg leg;
        try {
            leg = resolved.answer(Ssrcs.UNASSIGNED);
        } catch (KeyManagementException e) {
            node.respond(stx, msgs.refusal(KmsStatus.statusFor(e), req, KmsStatus.describe(e), null));
            return;
        }
        leg.destroy(); // a REFER keys no media; the exchange authenticates both ends
        Response accepted = msgs.response(202, req);
        SipMessages.setBody(accepted, leg.transferResp(), msgs.mikeyType());
        node.respond(stx, accepted);
        Dialog dialog = stx.getDialog();
        long cseq = ((CSeqHeader) req.getHeader(CSeqHeader.NAME)).getSeqNumber();
        UserAgent.notifyProgress(node, msgs, dialog, cseq, "SIP/2.0 100 Trying", false, config.timeout());
        String outcome = callOut(conf, target);
        UserAgent.notifyProgress(node, msgs, dialog, cseq, outcome, true, config.timeout());
    }

    /** Flow 4 b-d: the focus's own ticket for the participant, INVITE with TRANSFER_INIT, TRANSFER_RESP checked. */
    private String callOut(Conference conf, String target) {
        String focus = conf.focus;
        Contact contact = config.directory().lookup(target).orElse(null);
        if (contact == null) {
            return "SIP/2.0 404 Not Found";
        }
        synchronized (conf) {
            if (conf.participants.containsKey(target)) {
                return "SIP/2.0 486 Busy Here";
            }
        }
        Ticket ticket;
        try {
            ticket = config.keyAgent().requestTicket(focus, List.of(target));
            tracer.kms(focus, KmsExchange.REQUEST, List.of(target), true, "");
        } catch (KeyManagementException e) {
            tracer.kms(focus, KmsExchange.REQUEST, List.of(target), false, e.getMessage());
            return "SIP/2.0 500 Server Internal Error";
        }
        ConferenceMedia.Port port = conf.room.reserve(target);
        boolean joined = false;
        boolean claimed = false;
        try {
            // CS 1 (focus -> participant) carries relayed streams under their own SSRCs: its SSRC field is 0. The
            // participant chooses its SSRC in TRANSFER_RESP; the focus refuses it below if it collides.
            TransferOffer offer = config.keyAgent().offer(ticket, target, Ssrcs.UNASSIGNED);
            Request invite = msgs.request(Request.INVITE, focus, target, contact);
            SipMessages.setBody(invite, KeyMgmtSdp.build(SipMessages.userOf(focus), port.localAddress(),
                    offer.message()), msgs.sdpType());
            SipNode.Outgoing out = node.send(invite, false);
            Response resp = out.answer().get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (resp.getStatusCode() / 100 != 2) {
                return "SIP/2.0 " + resp.getStatusCode() + " " + resp.getReasonPhrase();
            }
            Dialog dialog = out.transaction().getDialog();
            node.ack(dialog, resp);
            Optional<byte[]> transferResp = KeyMgmtSdp.readKeyMgmt(SipMessages.bodyText(resp));
            Leg leg = null;
            String failure = null;
            if (transferResp.isEmpty()) {
                failure = "answer without TRANSFER_RESP";
            } else {
                try {
                    leg = offer.complete(transferResp.get());
                    if (!leg.responder().equals(target)) {
                        failure = "TRANSFER_RESP names " + leg.responder();
                    } else if (leg.ssrcs().cs2() == 0) {
                        failure = "participant chose no SSRC";
                    } else {
                        claimed = conf.room.claimSsrc(target, leg.ssrcs().cs2());
                        tracer.check(focus, "ssrc-unique", claimed, Ssrcs.hex(leg.ssrcs().cs2()));
                        if (!claimed) {
                            failure = "SSRC " + Ssrcs.hex(leg.ssrcs().cs2()) + " already used in the conference";
                        }
                    }
                } catch (KeyManagementException e) {
                    failure = KmsStatus.describe(e);
                }
            }
            tracer.check(focus, "participant-authenticated", failure == null, failure == null ? target : failure);
            if (failure != null) {
                sendBye(dialog);
                return "SIP/2.0 488 Not Acceptable Here";
            }
            synchronized (conf) {
                if (conf.ended) {
                    sendBye(dialog);
                    return "SIP/2.0 404 Not Found";
                }
                // The focus initiated: CS 1 is focus -> participant, CS 2 participant -> focus.
                long ssrc = leg.ssrcs().cs2();
                port.activate(null, ssrc, leg.cs2(), leg.cs1()); // symmetric RTP, as for call-in
                conf.participants.put(target, new Participant(target, dialog, ssrc, port, leg));
                joined = true;
            }
            tracer.legKeys(focus, UserAgent.callIdOf(invite), leg);
            InetSocketAddress advertised = KeyMgmtSdp.mediaAddress(SipMessages.bodyText(invite)).orElse(null);
            if (advertised != null && !advertised.equals(port.localAddress())) {
                moveMedia(dialog, focus, port.localAddress());
            }
            ConferenceState s = conf.snapshot();
            tracer.conference(focus, focus, "called out " + target, conf.owner, s.allowed(),
                    List.copyOf(s.participantSsrcs().keySet()));
            return "SIP/2.0 200 OK";
        } catch (KeyManagementException e) {
            return "SIP/2.0 500 Server Internal Error";
        } catch (TimeoutException e) {
            return "SIP/2.0 408 Request Timeout";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "SIP/2.0 500 Server Internal Error";
        } catch (SipException | ExecutionException e) {
            LOG.info("{}: call-out to {} failed: {}", focus, target, e.toString());
            return "SIP/2.0 503 Service Unavailable";
        } finally {
            if (!joined) {
                port.close();
                if (claimed) {
                    conf.room.releaseSsrc(target);
                }
            }
            ticket.destroy();
        }
    }

    // ---------------------------------------------------------------- BYE

    private void onBye(Conference conf, ServerTransaction stx, Request req) {
        String from = SipMessages.fromIdentity(req);
        List<Participant> others = List.of();
        synchronized (conf) {
            Participant p = conf.participants.get(from);
            if (p == null || !p.dialog.equals(stx.getDialog())) {
                node.respond(stx, msgs.response(200, req));
                return;
            }
            conf.participants.remove(from);
            close(conf, p);
            if (from.equals(conf.owner)) {
                conf.ended = true;
                others = new ArrayList<>(conf.participants.values());
                conf.participants.clear();
                conferences.remove(conf.focus, conf);
            }
        }
        node.respond(stx, msgs.response(200, req)); // after the state change: the BYE's sender sees it done
        ConferenceState s = conf.snapshot();
        tracer.conference(conf.focus, conf.focus, "left " + from, conf.owner, s.allowed(),
                List.copyOf(s.participantSsrcs().keySet()));
        if (conf.ended) {
            List<Participant> toEnd = others;
            node.executor().execute(() -> endConference(conf, toEnd));
        }
    }

    /** The owner left: BYE to everybody else, free the media (TR: the owner ends the conference). */
    private void endConference(Conference conf, List<Participant> others) {
        for (Participant p : others) {
            close(conf, p);
            sendBye(p.dialog);
        }
        conf.room.close();
        tracer.conference(conf.focus, conf.focus, "ended", conf.owner, List.of(), List.of());
    }

    private static void close(Conference conf, Participant p) {
        p.port.close();
        conf.room.releaseSsrc(p.identity);
        p.leg.destroy();
    }

    // ---------------------------------------------------------------- helpers

    private ResolvedTransfer resolve(String party, IncomingTransfer in, String as) throws KeyManagementException {
        try {
            ResolvedTransfer r = in.resolve(as);
            tracer.kms(party, KmsExchange.RESOLVE, List.of(as), true, "");
            tracer.check(party, "initiator-authenticated", true, r.initiator());
            return r;
        } catch (KeyManagementException e) {
            tracer.kms(party, KmsExchange.RESOLVE, List.of(as), false, e.getMessage());
            tracer.check(party, "initiator-authenticated", false, e.getMessage());
            throw e;
        }
    }

    /** An (unauthenticated) MIKEY error message for a TRANSFER_INIT that could not be resolved, if it parsed. */
    private static byte[] errorBody(IncomingTransfer in, KeyManagementException e) {
        return in == null ? null : in.refusal(e.mikeyError().orElse(ErrorCode.UNSPECIFIED));
    }

    /** The authenticated IDRi must be the From identity of the request that carried the TRANSFER_INIT. */
    private boolean checkFrom(String party, ResolvedTransfer resolved, String from, ServerTransaction stx,
                              Request req) {
        boolean same = resolved.initiator().equals(from);
        tracer.check(party, "initiator-is-from", same, resolved.initiator());
        if (!same) {
            node.respond(stx, msgs.refusal(403, req, "ticket initiator " + resolved.initiator()
                    + " is not the sender " + from,
                    resolved.refusal(ErrorCode.INVALID_ID)));
        }
        return same;
    }

    /**
     * Tells a called-out participant where its relay leg listens, now that the leg (and its socket) exists: an UPDATE
     * whose SDP has no a=key-mgmt, so the keys of the call-out stay as they are.
     */
    private void moveMedia(Dialog dialog, String focus, InetSocketAddress local) {
        try {
            Request update = dialog.createRequest(Request.UPDATE);
            update.setHeader(msgs.contact(focus, SipMessages.transportOf(update)));
            SipMessages.setBody(update, KeyMgmtSdp.build(SipMessages.userOf(focus), local, null), msgs.sdpType());
            Response r = node.send(update, true).answer().get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (r.getStatusCode() / 100 != 2) {
                LOG.info("{}: media UPDATE refused: {}", focus, r.getStatusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SipException | ExecutionException | TimeoutException e) {
            LOG.info("{}: media UPDATE failed: {}", focus, e.toString());
        }
    }

    private void sendBye(Dialog dialog) {
        try {
            SipNode.Outgoing out = node.send(dialog.createRequest(Request.BYE), true);
            out.answer().get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SipException | ExecutionException | TimeoutException e) {
            LOG.info("BYE failed: {}", e.toString());
        }
    }

    /** Stops the stack (about a second; see {@link SipNode#closeAll}) and the media plane. */
    @Override
    public void close() {
        for (Conference c : conferences.values()) {
            synchronized (c) {
                c.ended = true;
                for (Participant p : c.participants.values()) {
                    close(c, p);
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
