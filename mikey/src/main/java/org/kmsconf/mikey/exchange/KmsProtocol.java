package org.kmsconf.mikey.exchange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyDerivation.Direction;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.Macs;
import org.kmsconf.mikey.crypto.MessageKeys;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.Header;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.Rand;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.Randr;
import org.kmsconf.mikey.payload.TicketFlag;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.Tr;
import org.kmsconf.mikey.payload.TrRole;
import org.kmsconf.mikey.payload.KeyValidity;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.replay.PartitionedReplayCache;
import org.kmsconf.mikey.replay.ReplayCache;
import org.kmsconf.mikey.replay.ReplayKey;
import org.kmsconf.mikey.ticket.BaseTicket;
import org.kmsconf.mikey.ticket.InitiatorData;

/**
 * The KMS side of MIKEY-TICKET mode 1 (RFC 6043 §4.2.1, §4.2.3, App. A) with PSK: issues base tickets
 * (REQUEST_INIT_PSK -> REQUEST_RESP) and resolves them with key forking (RESOLVE_INIT_PSK -> RESOLVE_RESP).
 * Users and policy come from a {@link KmsDirectory}; the KMS's identity and ticket protection keys from
 * {@link KmsSettings}. Every message gets an answer: a response, or an error message (with a V keyed like the
 * request once the request was authenticated, docs/profile.md); every refusal is one of {@link KmsRefusal}.
 * Thread-safe; no I/O.
 *
 * <p>Order of the checks (RFC 3830 §5.4, hardened against floods): what the bytes alone decide (decoding, payloads,
 * addressee, algorithms, timestamp within the skew); the sender's key (IDRpsk, or without it the key of IDRi / IDRr,
 * RFC 6043 §6.1); a read-only look-up in the sender's replay partition; the MAC; every check that depends on the
 * message only (ticket policy and templates, or the ticket's own MAC, validity and Initiator Data); only then is the
 * message <em>recorded</em> in the sender's replay partition ({@link PartitionedReplayCache}) and by the directory
 * ({@link KmsDirectory#firstSeen}: durable, shared between nodes), before any policy decision or key. So neither
 * unauthenticated traffic nor an authenticated sender's garbage takes room in the replay state, and one sender can
 * only fill its own partition.
 */
public final class KmsProtocol {
    /** CSB ID used in the base ticket's KEMAC IV (RFC 6043 App. A.2). */
    static final int TICKET_CSB_ID = 0xFFFFFFFF;

    private final KmsSettings settings;
    private final KmsDirectory directory;
    private final PartyContext ctx;
    private final PartitionedReplayCache replay;

    /**
     * A KMS whose replay state is one partition per authenticated user, each bounded by the context's replay cache
     * capacity, on the context's clock and skew.
     */
    public KmsProtocol(KmsSettings settings, KmsDirectory directory, PartyContext ctx) {
        this(settings, directory, ctx, new PartitionedReplayCache(ctx.replayCache().capacity(),
                ctx.replayCache().capacity(), ctx.replayCache().skew(), ctx.clock()));
    }

    public KmsProtocol(KmsSettings settings, KmsDirectory directory, PartyContext ctx,
            PartitionedReplayCache replay) {
        this.settings = Objects.requireNonNull(settings);
        this.directory = Objects.requireNonNull(directory);
        this.ctx = Objects.requireNonNull(ctx);
        this.replay = Objects.requireNonNull(replay);
    }

    /** The replay state (per authenticated user), for metrics and restoring a durable journal. */
    public PartitionedReplayCache replayState() {
        return replay;
    }

    /** What is known about the message being handled, for the error message and the audit outcome. */
    private static final class Attempt {
        KmsOutcome.Exchange exchange = KmsOutcome.Exchange.UNKNOWN;
        Header header;
        Timestamp requestT;
        KeyMaterial authKey;
        /** The user's PSK from the directory: owned here, destroyed when the message is answered. */
        KeyMaterial psk;
        MacAlg macAlg;
        String user;
        String identity;
        String initiator;
        List<String> responders;
        String viaFactory;

        KmsOutcome outcome(boolean granted, ErrorCode error, KmsRefusal refusal, String reason) {
            return new KmsOutcome(exchange, granted, user, identity, initiator, responders, viaFactory, error,
                    refusal, reason);
        }

        /** From here on refusals carry no V (replays: the sender learns nothing keyed). */
        void forgetAuthKey() {
            if (authKey != null) {
                authKey.destroy();
                authKey = null;
            }
        }
    }

    /** Handles one message from a user; never throws for bad input. */
    public KmsResult handle(byte[] requestBytes) {
        Attempt a = new Attempt();
        try {
            MikeyMessage m = MikeyCodec.decode(requestBytes);
            a.header = m.header();
            return switch (m.dataType()) {
                case REQUEST_INIT_PSK -> issue(m, requestBytes, a);
                case RESOLVE_INIT_PSK -> resolve(m, requestBytes, a);
                case REQUEST_INIT_PK, RESOLVE_INIT_PK -> throw KmsRefusal.PK_VARIANT.refuse(
                        m.dataType() + " (PK variant) is not supported by this KMS");
                default -> throw KmsRefusal.NOT_FOR_KMS.refuse(m.dataType() + " is not a message for the KMS");
            };
        } catch (KmsRefusal.Refused e) {
            if (e.refusal.code() == ErrorCode.INVALID_TS) {
                a.forgetAuthKey();
            }
            return refusal(a, e.errorCode(), e.refusal, oneLine(e));
        } catch (MikeyException e) {
            // only decoders throw plain MikeyExceptions: the message (or a part of it) is malformed
            return refusal(a, e.errorCode(), KmsRefusal.MALFORMED, oneLine(e));
        } catch (SharedReplayFailure e) {
            throw e.cause;
        } catch (RuntimeException e) {
            // Not expected for any input; answered like any refusal rather than propagated to the transport.
            return refusal(a, KmsRefusal.INTERNAL.code(), KmsRefusal.INTERNAL,
                    "internal error: " + e.getClass().getSimpleName());
        } finally {
            // Key hygiene: the request's auth key and the directory's PSK copy die with the answer.
            a.forgetAuthKey();
            if (a.psk != null) {
                a.psk.destroy();
            }
        }
    }

    private KmsResult refusal(Attempt a, ErrorCode code, KmsRefusal why, String reason) {
        Timestamp t = Exchanges.freshTimestamp(ctx, a.requestT);
        byte[] err = a.authKey != null
                ? ErrorMessages.authenticated(a.header, t, code, a.macAlg, a.authKey)
                : ErrorMessages.unauthenticated(a.header, t, code);
        return new KmsResult(err, a.outcome(false, code, why, reason));
    }

    private static String oneLine(MikeyException e) {
        String s = e.getMessage();
        return s == null ? e.errorCode().name() : s.replace('\n', ' ').replace('\r', ' ');
    }

    /** The received IDR of a role every message of our profile carries (RFC 6043 allows omitting it). */
    private static Idr requireIdr(MikeyMessage m, IdRole role) {
        return m.idr(role).orElseThrow(() -> KmsRefusal.MISSING_IDENTITY.refuse(m.dataType() + " without " + role));
    }

    private static <T extends Payload> T require(MikeyMessage m, Class<T> type, String what) {
        return m.first(type).orElseThrow(() -> KmsRefusal.MISSING_PAYLOAD.refuse(m.dataType() + " without " + what));
    }

    private static Randr requireRandr(MikeyMessage m, RandRole role) {
        return m.randr(role).orElseThrow(() -> KmsRefusal.MISSING_PAYLOAD.refuse(m.dataType() + " without " + role));
    }

    private static Verification requireClosingV(MikeyMessage m) {
        if (m.payloads().isEmpty() || !(m.last() instanceof Verification v)) {
            throw KmsRefusal.NO_V.refuse(m.dataType() + " does not end with a V payload");
        }
        if (v.authAlg() == MacAlg.NULL) {
            throw KmsRefusal.NULL_MAC.refuse(m.dataType() + " with a NULL MAC");
        }
        return v;
    }

    /** The key of the sender: named by IDRpsk, or (RFC 6043 §5.1, §5.3: IDRpsk absent) the current key of its identity. */
    private KmsDirectory.UserKey senderKey(Idr sender, Optional<Idr> idrpsk) {
        if (idrpsk.isPresent()) {
            return directory.pskById(idrpsk.get().data())
                    .orElseThrow(() -> KmsRefusal.UNKNOWN_KEY.refuse("unknown IDRpsk"));
        }
        return directory.pskOfIdentity(sender.asString())
                .orElseThrow(() -> KmsRefusal.UNKNOWN_KEY.refuse("no IDRpsk, and " + sender.role()
                        + " names no user with a key"));
    }

    /**
     * An initial message to the KMS (REQUEST_INIT_PSK, RFC 6043 §5.1; RESOLVE_INIT_PSK, §5.3) once it has been read
     * and authenticated: its timestamp, its one RANDR, the sender's IDR (IDRi or IDRr), the ticket policy or ticket it
     * is about, the algorithm set, and the sender's key. The response's keys derive from that RANDR alone.
     */
    private record Initial<P extends Payload>(MikeyMessage m, Timestamp t, Randr rand, Idr sender, P body,
            AlgorithmSet set, KmsDirectory.UserKey key) {

        int csbId() {
            return m.header().csbId();
        }

        /** Encryption keys for the response's KEMAC (its V carries the MAC: NULL MAC inside). */
        MessageKeys responseKeys() {
            return KeyDerivation.messageKeys(set.prf(), key.psk(), Direction.RESPONSE, csbId(),
                    randOf(rand, RandRole.RANDRi), randOf(rand, RandRole.RANDRr), set.encrAlg(), MacAlg.NULL);
        }

        /** The response's bytes with its V, keyed for the response direction and bound to the request. */
        byte[] signed(MikeyMessage response, byte[] requestBytes) {
            KeyMaterial auth = KeyDerivation.authKey(set.prf(), key.psk(), Direction.RESPONSE, csbId(),
                    randOf(rand, RandRole.RANDRi), randOf(rand, RandRole.RANDRr), set.macAlg());
            try {
                return Exchanges.signedBytes(response, auth, requestBytes);
            } finally {
                auth.destroy();
            }
        }
    }

    /** The RAND of a RANDR when it has this role (the one the key derivation expects there), else null. */
    private static byte[] randOf(Randr rand, RandRole role) {
        return rand.role() == role ? rand.rand() : null;
    }

    /**
     * Reads an initial message in the order of the checks (T, RANDR, the sender's IDR, IDRkms, the body, the closing
     * V; then addressee and algorithms), authenticates it and checks its RAND's length.
     */
    private <P extends Payload> Initial<P> initial(MikeyMessage m, byte[] requestBytes, Attempt a, RandRole randRole,
            IdRole senderRole, Class<P> bodyType, String bodyName) {
        Timestamp t = require(m, Timestamp.class, "T");
        a.requestT = t;
        Randr rand = requireRandr(m, randRole);
        Idr sender = requireIdr(m, senderRole);
        a.identity = sender.asString();
        Idr idrkms = requireIdr(m, IdRole.IDRkms);
        P body = require(m, bodyType, bodyName);
        Optional<Idr> idrpsk = m.idr(IdRole.IDRpsk);
        Verification v = requireClosingV(m);
        checkAddressedToUs(idrkms);
        AlgorithmSet set = setOf(m.header().prfFunc(), v);
        KmsDirectory.UserKey uk = authenticate(m, requestBytes, a, set, sender, idrkms, idrpsk, rand, v);
        checkRandLength(rand.rand(), set);
        return new Initial<>(m, t, rand, sender, body, set, uk);
    }

    /**
     * The authentication every initial message gets: timestamp within the skew, the sender's key, a read-only look-up
     * in the sender's replay partition (a replay is refused before any MAC is computed), the MAC over the message and
     * the identities of RFC 6043 Table 5.2. Records nothing: {@link #record} does, once every check that depends on
     * the message alone has passed. Once it returns, the attempt holds the auth key, so refusals carry a V; the
     * sender's identity is then checked to be one of the authenticated user's.
     */
    private KmsDirectory.UserKey authenticate(MikeyMessage m, byte[] requestBytes, Attempt a, AlgorithmSet set,
            Idr sender, Idr idrkms, Optional<Idr> idrpsk, Randr rand, Verification v) {
        Timestamp t = a.requestT;
        if (t.tsType() == org.kmsconf.mikey.payload.TsType.COUNTER || !replay.withinSkew(t.toInstant())) {
            throw KmsRefusal.OUTSIDE_SKEW.refuse("timestamp outside the allowed clock skew of "
                    + replay.skew().toSeconds() + " s");
        }
        KmsDirectory.UserKey uk = senderKey(sender, idrpsk);
        a.psk = uk.psk();
        ReplayKey rk = Exchanges.replayKey(sender, m, t);
        if (replay.contains(uk.user(), rk)) {
            throw KmsRefusal.REPLAYED.refuse("replayed message");
        }
        KeyMaterial auth = KeyDerivation.authKey(set.prf(), uk.psk(), Direction.INITIAL, m.header().csbId(),
                randOf(rand, RandRole.RANDRi), randOf(rand, RandRole.RANDRr), v.authAlg());
        String name = m.header().dataType().name();
        int base = requestBytes.length - v.authAlg().macBytes();
        if (!Macs.verify(v.authAlg(), auth, v.mac(), requestBytes, 0, base, sender.data(), idrkms.data())) {
            auth.destroy();
            throw KmsRefusal.MAC_FAILED.refuse(name + ": MAC verification failed");
        }
        a.authKey = auth;
        a.macAlg = v.authAlg();
        a.user = uk.user();
        if (!directory.isIdentityOf(uk.user(), sender.asString())) {
            throw KmsRefusal.IDENTITY_NOT_USERS.refuse(sender.role() + " " + sender.asString()
                    + " is not an identity of user " + uk.user());
        }
        return uk;
    }

    /**
     * RFC 3830 §5.4 last step, for a message that authenticated and passed every check of its own: remember it in the
     * sender's partition, then through the directory (durable before the answer, shared between nodes). A refusal
     * here carries no V, like any replay refusal.
     */
    private void record(Attempt a, MikeyMessage m, Idr sender) {
        ReplayKey rk = Exchanges.replayKey(sender, m, a.requestT);
        ReplayCache.Verdict v = replay.record(a.user, rk);
        switch (v) {
            case ACCEPTED -> { }
            case OUTSIDE_SKEW -> throw KmsRefusal.OUTSIDE_SKEW.refuse("timestamp left the allowed clock skew");
            case REPLAYED -> throw KmsRefusal.REPLAYED.refuse("replayed message");
            case FULL -> throw KmsRefusal.REPLAY_STATE_FULL.refuse("replay partition of user " + a.user
                    + " is full within the skew window; refusing this user until entries expire");
        }
        Instant now = ctx.clock().instant();
        Instant latest = rk.timestamp().isAfter(now) ? rk.timestamp() : now;
        boolean first;
        try {
            first = directory.firstSeen(a.user, rk, latest.plus(replay.skew()));
        } catch (RuntimeException e) {
            throw new SharedReplayFailure(e);
        }
        if (!first) {
            throw KmsRefusal.REPLAYED.refuse("replayed message (already seen before a restart or by another node)");
        }
    }

    // ---- Ticket Request ----------------------------------------------------------------------------------------

    private KmsResult issue(MikeyMessage m, byte[] requestBytes, Attempt a) {
        a.exchange = KmsOutcome.Exchange.REQUEST;
        Initial<TicketPolicy> in = initial(m, requestBytes, a, RandRole.RANDRi, IdRole.IDRi, TicketPolicy.class, "TP");
        Idr idri = in.sender();
        AlgorithmSet set = in.set();
        KmsDirectory.UserKey uk = in.key();
        TicketPolicy tp = in.body();
        checkTicketType(tp);
        if (tp.prfFunc() != m.header().prfFunc()) {
            throw KmsRefusal.TP_PRF_MISMATCH.refuse("TP PRF func differs from the HDR PRF func");
        }
        if (!tp.has(TicketFlag.I)) {
            throw KmsRefusal.NO_KEY_FORKING.refuse("conferencing tickets use key forking (I = 1)");
        }
        if (!tp.flags().equals(Profile.FLAGS)) {
            throw KmsRefusal.FLAGS_NOT_PROFILE.refuse("ticket flags " + tp.flags() + " differ from the profile's");
        }
        for (Idr x : tp.idrs(IdRole.IDRkms)) {
            if (!x.asString().equals(settings.kmsUri())) {
                throw KmsRefusal.TP_OTHER_KMS.refuse("TP names another KMS");
            }
        }
        for (Idr x : tp.idrs(IdRole.IDRi)) {
            if (!x.sameIdentity(idri)) {
                throw KmsRefusal.TP_OTHER_INITIATOR.refuse("TP IDRi differs from the requester's IDRi");
            }
        }
        KeyTemplates wanted = KeyTemplates.of(tp, set);
        for (Tr x : tp.all(Tr.class)) {
            if (x.role() == TrRole.TRr || x.role() == TrRole.TRi) {
                throw KmsRefusal.TR_UNSUPPORTED.refuse("TRr/TRi in a ticket request are not supported");
            }
        }
        List<Idr> responders = tp.idrs(IdRole.IDRr);
        a.responders = uris(responders);
        if (responders.isEmpty()) {
            throw KmsRefusal.NO_RESPONDER.refuse("ticket request names no responder (IDRr)");
        }
        Instant now = ctx.clock().instant();
        Instant from = tr(tp, TrRole.TRs).orElse(now);
        Instant to = tr(tp, TrRole.TRe).orElse(from.plus(settings.defaultTicketLifetime()));
        if (!to.isAfter(from) || to.isBefore(now)) {
            throw KmsRefusal.VALIDITY_REFUSED.refuse("ticket validity " + from + " .. " + to + " is empty or past");
        }
        if (to.isAfter(now.plus(settings.maxTicketLifetime()))) {
            throw KmsRefusal.VALIDITY_REFUSED.refuse("ticket validity longer than the KMS grants ("
                    + settings.maxTicketLifetime() + ")");
        }
        record(a, m, idri);
        PolicyDecision d = directory.mayRequest(uk.user(), idri.asString(), a.responders);
        if (!d.allowed()) {
            throw d.refusal().refuse(d.reason());
        }

        // The granted policy: our identity, the requester, the validity, application ids, the responders (no KEMAC).
        List<Payload> granted = new ArrayList<>();
        granted.add(Idr.uri(IdRole.IDRkms, settings.kmsUri()));
        granted.add(new Idr(IdRole.IDRi, idri.idType(), idri.data()));
        granted.add(Tr.ntpUtc(TrRole.TRs, from));
        granted.add(Tr.ntpUtc(TrRole.TRe, to));
        granted.addAll(tp.idrs(IdRole.IDRapp));
        granted.addAll(responders);
        TicketPolicy grantedTp = new TicketPolicy(Profile.TICKET_TYPE, Profile.TICKET_SUBTYPE,
                Profile.TICKET_VERSION, tp.prfFunc(), Profile.FLAGS, granted);

        // (the order of the random draws is pinned by the committed transcripts)
        KeyMaterial mpk = KeyMaterial.of(ctx.randomBytes(set.keyBytes()));
        KeyMaterial tgkKey = KeyMaterial.of(ctx.randomBytes(wanted.tgkBytes()));
        byte[] salt = wanted.hasSalt() ? ctx.randomBytes(wanted.saltBytes()) : null;
        byte[] mpkSpi = ctx.randomBytes(Profile.SPI_BYTES);
        Tgk tgk = new Tgk(wanted.tgkType(), tgkKey, salt,
                wanted.tgkSpi() != null ? wanted.tgkSpi() : ctx.randomBytes(Profile.SPI_BYTES));
        byte[] ticketRand = ctx.randomBytes(set.randBytes());
        KeyMaterial mpki = KeyDerivation.mpki(grantedTp.prfFunc(), mpk, ticketRand);
        KeyMaterial mpkr = KeyDerivation.mpkr(grantedTp.prfFunc(), mpk, ticketRand);
        MessageKeys keys = null;
        try {
            TicketPayload ticket = issueTicket(grantedTp, set, mpk, mpkSpi, tgk, ticketRand, now);
            Timestamp rt = Exchanges.freshTimestamp(ctx, in.t());
            keys = in.responseKeys();
            // RFC 6043 §5.1: KEMAC = MPKi || MPKr || TGK; NULL MAC, the V carries the MAC.
            Kemac kemac = encrypt(keys, in.csbId(), rt, keyData(KeyDataType.MPK, mpki, mpkSpi),
                    keyData(KeyDataType.MPK, mpkr, mpkSpi), tgk.keyData(tgk.key));
            Header h = m.header().withDataType(DataType.REQUEST_RESP).withVFlag(false);
            MikeyMessage resp = new MikeyMessage(h, List.of(rt, Idr.uri(IdRole.IDRkms, settings.kmsUri()), ticket,
                    kemac, Verification.unsigned(set.macAlg())));
            return new KmsResult(in.signed(resp, requestBytes), a.outcome(true, null, null, "ticket issued"));
        } finally {
            if (keys != null) {
                keys.destroy();
            }
            mpk.destroy();
            tgk.destroy();
            mpki.destroy();
            mpkr.destroy();
        }
    }

    /** The ticket's TGK as asked for (type TGK or TGK+SALT, length, salt, SPI). */
    private static final class Tgk {
        final KeyDataType type;
        final KeyMaterial key;
        final byte[] salt;
        final byte[] spi;

        Tgk(KeyDataType type, KeyMaterial key, byte[] salt, byte[] spi) {
            this.type = type;
            this.key = key;
            this.salt = salt;
            this.spi = spi;
        }

        /** Key data of this TGK's type, salt and SPI around {@code k} (the TGK itself or its fork TGK'). */
        KeyData keyData(KeyMaterial k) {
            byte[] b = k.bytes();
            try {
                return new KeyData(type, b, salt, new KeyValidity.Spi(spi));
            } finally {
                Arrays.fill(b, (byte) 0);
            }
        }

        void destroy() {
            key.destroy();
        }
    }

    /** Base ticket (RFC 6043 App. A): THDR, T, RAND, KEMAC(MPK || TGK, TPK keys, NULL MAC), IDRpsk(TPK id), V. */
    private TicketPayload issueTicket(TicketPolicy tp, AlgorithmSet set, KeyMaterial mpk, byte[] mpkSpi, Tgk tgk,
            byte[] ticketRand, Instant now) {
        TicketProtectionKeys.Tpk tpk = settings.tpks().current();
        Timestamp tt = Timestamp.ntpUtc(now);
        MessageKeys tk = KeyDerivation.ticketKeys(tp.prfFunc(), tpk.key(), ticketRand, set.encrAlg(), set.macAlg());
        try {
            Kemac kemac = encrypt(tk, TICKET_CSB_ID, tt, keyData(KeyDataType.MPK, mpk, mpkSpi), tgk.keyData(tgk.key));
            BaseTicket bt = new BaseTicket(new byte[0], tt, new Rand(ticketRand), kemac,
                    Optional.of(Idr.byteString(IdRole.IDRpsk, tpk.id())), Verification.unsigned(set.macAlg()));
            TicketPayload unsigned = new TicketPayload(tp, bt.encode(), new byte[0]);
            byte[] mac = Macs.compute(set.macAlg(), tk.authKey(), unsigned.ticketMacInput(set.macAlg().macBytes()));
            return new TicketPayload(tp, bt.withV(new Verification(set.macAlg(), mac)).encode(), new byte[0]);
        } finally {
            tk.destroy();
        }
    }

    // ---- Ticket Resolve -----------------------------------------------------------------------------------------

    private KmsResult resolve(MikeyMessage m, byte[] requestBytes, Attempt a) {
        a.exchange = KmsOutcome.Exchange.RESOLVE;
        Initial<TicketPayload> in = initial(m, requestBytes, a, RandRole.RANDRr, IdRole.IDRr, TicketPayload.class,
                "TICKET");
        Idr idrr = in.sender();
        AlgorithmSet set = in.set();
        KmsDirectory.UserKey uk = in.key();
        TicketPayload ticket = in.body();
        TicketPolicy tp = ticket.policy();
        checkTicketType(tp);
        if (!uris(tp.idrs(IdRole.IDRkms)).contains(settings.kmsUri())) {
            throw KmsRefusal.TICKET_NOT_OURS.refuse("ticket was not issued by this KMS");
        }
        if (tp.prfFunc() != m.header().prfFunc()) {
            throw KmsRefusal.TP_PRF_MISMATCH.refuse("ticket PRF func differs from the HDR PRF func");
        }
        BaseTicket bt;
        try {
            bt = BaseTicket.decode(ticket.ticketData());
        } catch (MikeyException e) {
            throw KmsRefusal.TICKET_MALFORMED.refuse("malformed base ticket: " + e.getMessage());
        }
        byte[] tpkId = bt.idrPsk().map(Idr::data)
                .orElseThrow(() -> KmsRefusal.TICKET_MALFORMED.refuse("base ticket names no TPK"));
        KeyMaterial tpk = settings.tpks().byId(tpkId).orElseThrow(() -> KmsRefusal.TICKET_NOT_OURS.refuse(
                "ticket protected by a key this KMS does not hold"));
        if (bt.v().authAlg() != set.macAlg() || bt.kemac().encrAlg() != set.encrAlg()) {
            throw KmsRefusal.TICKET_MALFORMED.refuse("ticket algorithms outside " + set);
        }
        byte[] ticketRand = bt.rand().rand();
        MessageKeys tk = KeyDerivation.ticketKeys(tp.prfFunc(), tpk, ticketRand, bt.kemac().encrAlg(),
                bt.v().authAlg());
        List<KeyData> ticketKeys;
        try {
            if (!Macs.verify(bt.v().authAlg(), tk.authKey(), bt.v().mac(),
                    ticket.ticketMacInput(bt.v().authAlg().macBytes()))) {
                throw KmsRefusal.TICKET_MAC_FAILED.refuse("ticket MAC verification failed (tampered ticket)");
            }
            try {
                ticketKeys = Exchanges.decryptKeys(tk, TICKET_CSB_ID, bt.t(), bt.kemac());
            } catch (MikeyException e) {
                throw KmsRefusal.TICKET_MALFORMED.refuse("ticket keys do not decode: " + e.getMessage());
            }
        } finally {
            tk.destroy();
        }
        KeyMaterial mpk;
        Tgk tgk;
        byte[] mpkSpi;
        try {
            List<Idr> initiators = tp.idrs(IdRole.IDRi);
            if (initiators.isEmpty()) {
                throw KmsRefusal.TICKET_MALFORMED.refuse("ticket names no IDRi");
            }
            a.initiator = initiators.get(0).asString();
            a.responders = uris(tp.idrs(IdRole.IDRr));
            Instant now = ctx.clock().instant();
            Optional<Instant> from = tr(tp, TrRole.TRs);
            Optional<Instant> to = tr(tp, TrRole.TRe);
            if (from.isPresent() && now.isBefore(from.get())) {
                throw KmsRefusal.TICKET_NOT_VALID_NOW.refuse("ticket not valid before " + from.get());
            }
            if (to.isPresent() && now.isAfter(to.get())) {
                throw KmsRefusal.TICKET_NOT_VALID_NOW.refuse("ticket expired at " + to.get());
            }
            if (!tp.has(TicketFlag.I)) {
                throw KmsRefusal.NO_KEY_FORKING.refuse("ticket without key forking (I = 0)");
            }

            // RFC 6043 App. A: the ticket's KEMAC holds MPK || TGK (a TGK+SALT when the request asked for one).
            KeyData mpkData = ticketKey(ticketKeys, KeyDataType.MPK, KeyDataType.MPK);
            KeyData tgkData = ticketKey(ticketKeys, KeyDataType.TGK, KeyDataType.TGK_SALT);
            mpkSpi = spiOf(mpkData);
            mpk = Exchanges.keyOf(mpkData);
            tgk = new Tgk(tgkData.keyType(), Exchanges.keyOf(tgkData), tgkData.salt(), spiOf(tgkData));
        } finally {
            // the ticket's decrypted MPK and TGK, on every path including the refusals above
            ticketKeys.forEach(KeyData::destroy);
        }
        KeyMaterial mpki = KeyDerivation.mpki(tp.prfFunc(), mpk, ticketRand);
        KeyMaterial mpkr = KeyDerivation.mpkr(tp.prfFunc(), mpk, ticketRand);
        KeyMaterial mpkrForked = null;
        KeyMaterial tgkForked = null;
        MessageKeys keys = null;
        try {
            checkInitiatorData(ticket, tp.prfFunc(), mpkr);
            authorizeResolver(uk.user(), idrr.asString(), a);
            record(a, m, idrr);
            PolicyDecision d = directory.mayResolve(uk.user(), idrr.asString(), a.initiator, a.responders);
            if (!d.allowed()) {
                throw d.refusal().refuse(d.reason());
            }
            // RFC 6043 §5.3: fork MPKr and the TGK with the modifier (IDRr, RANDRkms).
            byte[] randRkms = ctx.randomBytes(set.randBytes());
            mpkrForked = KeyDerivation.forkMpkr(tp.prfFunc(), mpkr, idrr.data(), randRkms);
            tgkForked = KeyDerivation.forkTgk(tp.prfFunc(), tgk.key, idrr.data(), randRkms);
            Timestamp rt = Exchanges.freshTimestamp(ctx, in.t());
            keys = in.responseKeys();
            Kemac kemac = encrypt(keys, in.csbId(), rt, keyData(KeyDataType.MPK, mpki, mpkSpi),
                    keyData(KeyDataType.MPK, mpkrForked, mpkSpi), tgk.keyData(tgkForked));
            Header h = m.header().withDataType(DataType.RESOLVE_RESP).withVFlag(false);
            MikeyMessage resp = new MikeyMessage(h, List.of(rt, Idr.uri(IdRole.IDRkms, settings.kmsUri()), kemac,
                    new Idr(IdRole.IDRr, idrr.idType(), idrr.data()), new Randr(RandRole.RANDRkms, randRkms),
                    Verification.unsigned(set.macAlg())));
            return new KmsResult(in.signed(resp, requestBytes), a.outcome(true, null, null,
                    a.viaFactory != null ? "ticket resolved for focus URI of " + a.viaFactory : "ticket resolved"));
        } finally {
            if (keys != null) {
                keys.destroy();
            }
            tgk.destroy();
            for (KeyMaterial k : Arrays.asList(mpk, mpki, mpkr, mpkrForked, tgkForked)) {
                if (k != null) {
                    k.destroy();
                }
            }
        }
    }

    /** The first key of either type in a decrypted ticket KEMAC, with its SPI; a ticket without one is malformed. */
    private static KeyData ticketKey(List<KeyData> keys, KeyDataType type, KeyDataType alt) {
        for (KeyData k : keys) {
            if (k.keyType() == type || k.keyType() == alt) {
                return k;
            }
        }
        throw KmsRefusal.TICKET_MALFORMED.refuse("ticket KEMAC lacks a " + type + " key");
    }

    private static byte[] spiOf(KeyData k) {
        byte[] spi = k.spi();
        if (spi == null || spi.length == 0) {
            throw KmsRefusal.TICKET_MALFORMED.refuse(k.keyType() + " key data without an SPI");
        }
        return spi;
    }

    /** RFC 6043 §6.10: with forking the KMS checks Vr over the Initiator Data, keyed from the unforked MPKr. */
    private static void checkInitiatorData(TicketPayload ticket, PrfFunc tpPrf, KeyMaterial mpkr) {
        InitiatorData id;
        try {
            id = InitiatorData.decode(ticket.initiatorData());
        } catch (MikeyException e) {
            throw KmsRefusal.INITIATOR_DATA_INVALID.refuse("Initiator Data missing or malformed: " + e.getMessage());
        }
        if (id.vr().authAlg() != id.vi().authAlg() || id.vr().authAlg() == MacAlg.NULL) {
            throw KmsRefusal.INITIATOR_DATA_INVALID.refuse("Initiator Data Vr and Vi use different MAC algorithms");
        }
        KeyMaterial vrKey = KeyDerivation.vrKey(tpPrf, mpkr, id.vr().authAlg());
        try {
            if (!Macs.verify(id.vr().authAlg(), vrKey, id.vr().mac(), id.vrMacInput())) {
                throw KmsRefusal.INITIATOR_DATA_INVALID.refuse("Initiator Data Vr verification failed");
            }
        } finally {
            vrKey.destroy();
        }
    }

    /**
     * The resolver must be a recipient named in the ticket, or (TR 33.829 §5.3.3.3.1) a focus URI that a factory
     * named in the ticket may create, resolved by the same KMS user as that factory.
     */
    private void authorizeResolver(String user, String resolverUri, Attempt a) {
        if (a.responders.contains(resolverUri)) {
            return;
        }
        for (String f : a.responders) {
            if (directory.isIdentityOf(user, f) && directory.factoryMayCreate(f, resolverUri)) {
                a.viaFactory = f;
                return;
            }
        }
        throw KmsRefusal.RESOLVER_NOT_RECIPIENT.refuse(resolverUri + " is not a recipient of the ticket"
                + " nor a conference URI a factory in it may create");
    }

    /** A failure of {@link KmsDirectory#firstSeen}: propagated out of {@link #handle}, not answered. */
    private static final class SharedReplayFailure extends RuntimeException {
        final RuntimeException cause;

        SharedReplayFailure(RuntimeException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    // ---- shared checks ------------------------------------------------------------------------------------------

    private void checkAddressedToUs(Idr idrkms) {
        if (!idrkms.asString().equals(settings.kmsUri())) {
            throw KmsRefusal.OTHER_KMS.refuse("message addressed to KMS " + idrkms.asString());
        }
    }

    /** The algorithm set implied by the HDR PRF; the V MAC must belong to it (no mixing, RFC 6043 §6.2). */
    private static AlgorithmSet setOf(PrfFunc prf, Verification v) {
        AlgorithmSet set = AlgorithmSet.forPrf(prf);
        if (v.authAlg() != set.macAlg()) {
            throw KmsRefusal.MAC_OUTSIDE_SET.refuse(v.authAlg() + " cannot be used with PRF " + prf);
        }
        return set;
    }

    /** RFC 6043 §6.1 entropy: the single RAND entering the message keys is at least as long as the keys (>= 128 bit). */
    private static void checkRandLength(byte[] rand, AlgorithmSet set) {
        if (rand.length < set.keyBytes()) {
            throw KmsRefusal.RAND_TOO_SHORT.refuse("RAND of " + rand.length + " bytes is shorter than the "
                    + set.keyBytes() + "-byte keys it protects");
        }
    }

    private static void checkTicketType(TicketPolicy tp) {
        if (tp.ticketType() != Profile.TICKET_TYPE || tp.subtype() != Profile.TICKET_SUBTYPE
                || tp.version() != Profile.TICKET_VERSION) {
            throw KmsRefusal.TICKET_TYPE.refuse("ticket type " + tp.ticketType() + "/" + tp.subtype() + "/"
                    + tp.version() + " not supported (MIKEY base ticket 1/1/1 only)");
        }
    }

    private static Optional<Instant> tr(TicketPolicy tp, TrRole role) {
        for (Tr x : tp.all(Tr.class)) {
            if (x.role() == role) {
                if (x.tsType() == org.kmsconf.mikey.payload.TsType.COUNTER) {
                    throw KmsRefusal.TR_UNSUPPORTED.refuse(role + " must be an NTP time");
                }
                return Optional.of(x.toInstant());
            }
        }
        return Optional.empty();
    }

    private static List<String> uris(List<Idr> idrs) {
        List<String> out = new ArrayList<>(idrs.size());
        for (Idr i : idrs) {
            out.add(i.asString());
        }
        return List.copyOf(out);
    }

    /** Encrypts the key data chain into a KEMAC, then zeroes the key data's plaintext copies. */
    private static Kemac encrypt(MessageKeys keys, int csbId, Timestamp t, KeyData... keyData) {
        try {
            return Exchanges.encryptKeys(keys, csbId, t, List.of(keyData));
        } finally {
            for (KeyData k : keyData) {
                k.destroy();
            }
        }
    }

    private static KeyData keyData(KeyDataType type, KeyMaterial key, byte[] spi) {
        byte[] b = key.bytes();
        try {
            return KeyData.withSpi(type, b, spi);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }
}
