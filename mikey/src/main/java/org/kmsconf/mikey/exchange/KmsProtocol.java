package org.kmsconf.mikey.exchange;

import static org.kmsconf.mikey.exchange.Exchanges.refuse;

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
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.replay.ReplayKey;
import org.kmsconf.mikey.ticket.BaseTicket;
import org.kmsconf.mikey.ticket.InitiatorData;

/**
 * The KMS side of MIKEY-TICKET mode 1 (RFC 6043 §4.2.1, §4.2.3, App. A) with PSK: issues base tickets
 * (REQUEST_INIT_PSK -> REQUEST_RESP) and resolves them with key forking (RESOLVE_INIT_PSK -> RESOLVE_RESP).
 * Users and policy come from a {@link KmsDirectory}; the KMS's identity and ticket protection keys from
 * {@link KmsSettings}. Every message gets an answer: a response, or an error message (with a V keyed like the
 * request once the request was authenticated, PROFILE.md). Thread-safe; no I/O.
 */
public final class KmsProtocol {
    /** CSB ID used in the base ticket's KEMAC IV (RFC 6043 App. A.2). */
    static final int TICKET_CSB_ID = 0xFFFFFFFF;

    private final KmsSettings settings;
    private final KmsDirectory directory;
    private final PartyContext ctx;

    public KmsProtocol(KmsSettings settings, KmsDirectory directory, PartyContext ctx) {
        this.settings = Objects.requireNonNull(settings);
        this.directory = Objects.requireNonNull(directory);
        this.ctx = Objects.requireNonNull(ctx);
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

        KmsOutcome outcome(boolean granted, ErrorCode error, String reason) {
            return new KmsOutcome(exchange, granted, user, identity, initiator, responders, viaFactory, error, reason);
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
                case REQUEST_INIT_PK, RESOLVE_INIT_PK -> throw refuse(ErrorCode.UNSUPPORTED_MESSAGE_TYPE,
                        m.dataType() + " (PK variant) is not supported by this KMS");
                default -> throw refuse(ErrorCode.INVALID_DT, m.dataType() + " is not a message for the KMS");
            };
        } catch (MikeyException e) {
            return refusal(a, e.errorCode(), oneLine(e));
        } catch (SharedReplayFailure e) {
            throw e.cause;
        } catch (RuntimeException e) {
            // Not expected for any input; answered like any refusal rather than propagated to the transport.
            return refusal(a, ErrorCode.UNSPECIFIED, "internal error: " + e.getClass().getSimpleName());
        } finally {
            // Key hygiene: the request's auth key and the directory's PSK copy die with the answer.
            if (a.authKey != null) {
                a.authKey.destroy();
            }
            if (a.psk != null) {
                a.psk.destroy();
            }
        }
    }

    private KmsResult refusal(Attempt a, ErrorCode code, String reason) {
        Timestamp t = Exchanges.freshTimestamp(ctx, a.requestT);
        byte[] err = a.authKey != null
                ? ErrorMessages.authenticated(a.header, t, code, a.macAlg, a.authKey)
                : ErrorMessages.unauthenticated(a.header, t, code);
        return new KmsResult(err, a.outcome(false, code, reason));
    }

    private static String oneLine(MikeyException e) {
        String s = e.getMessage();
        return s == null ? e.errorCode().name() : s.replace('\n', ' ');
    }

    /**
     * The authentication every initial message gets (RFC 3830 §5.4 order): timestamp and replay cache, the MAC with
     * the sender's PSK over the message and the identities of RFC 6043 Table 5.2, then the message is remembered
     * (locally and, for several KMS nodes, through {@link KmsDirectory#firstSeen}). Once it returns, the attempt
     * holds the auth key, so refusals from here on carry a V; the sender's identity is then checked to be one of
     * the authenticated user's.
     */
    private KmsDirectory.UserKey authenticate(MikeyMessage m, byte[] requestBytes, Attempt a, AlgorithmSet set,
            Idr sender, Idr idrkms, Idr idrpsk, byte[] randRi, byte[] randRr, Verification v) {
        Timestamp t = a.requestT;
        ReplayKey rk = Exchanges.replayKey(sender, m, t);
        Exchanges.checkReplay(ctx, rk);
        KmsDirectory.UserKey uk = directory.pskById(idrpsk.data())
                .orElseThrow(() -> refuse(ErrorCode.AUTH_FAILURE, "unknown IDRpsk"));
        a.psk = uk.psk();
        KeyMaterial auth = KeyDerivation.authKey(set.prf(), uk.psk(), Direction.INITIAL, m.header().csbId(), randRi,
                randRr, v.authAlg());
        String name = m.header().dataType().name();
        try {
            Exchanges.verifyReceived(m, requestBytes, auth, name, sender.data(), idrkms.data());
            Exchanges.recordReplay(ctx, rk);
            checkSharedReplay(rk);
        } catch (RuntimeException e) {
            auth.destroy();
            throw e;
        }
        a.authKey = auth;
        a.macAlg = v.authAlg();
        a.user = uk.user();

        if (!directory.isIdentityOf(uk.user(), sender.asString())) {
            throw refuse(ErrorCode.INVALID_ID, sender.role() + " " + sender.asString() + " is not an identity of user "
                    + uk.user());
        }
        return uk;
    }

    // ---- Ticket Request ----------------------------------------------------------------------------------------

    private KmsResult issue(MikeyMessage m, byte[] requestBytes, Attempt a) {
        a.exchange = KmsOutcome.Exchange.REQUEST;
        Timestamp t = Exchanges.require(m, Timestamp.class, "T");
        a.requestT = t;
        Randr ri = Exchanges.requireRandr(m, RandRole.RANDRi);
        Idr idri = Exchanges.requireIdr(m, IdRole.IDRi);
        a.identity = idri.asString();
        Idr idrkms = Exchanges.requireIdr(m, IdRole.IDRkms);
        TicketPolicy tp = Exchanges.require(m, TicketPolicy.class, "TP");
        Idr idrpsk = Exchanges.requireIdr(m, IdRole.IDRpsk);
        Verification v = Exchanges.requireClosingV(m);
        checkAddressedToUs(idrkms);
        AlgorithmSet set = setOf(m.header().prfFunc(), v);

        KmsDirectory.UserKey uk = authenticate(m, requestBytes, a, set, idri, idrkms, idrpsk, ri.rand(), null, v);
        int csbId = m.header().csbId();
        checkRandLength(ri.rand(), set);
        checkTicketType(tp);
        if (tp.prfFunc() != m.header().prfFunc()) {
            throw refuse(ErrorCode.INVALID_TPPAR, "TP PRF func differs from the HDR PRF func");
        }
        if (!tp.has(TicketFlag.I)) {
            throw refuse(ErrorCode.INVALID_TPPAR, "conferencing tickets use key forking (I = 1)");
        }
        if (!tp.flags().equals(Profile.FLAGS)) {
            throw refuse(ErrorCode.INVALID_TPPAR, "ticket flags " + tp.flags() + " differ from the profile's");
        }
        for (Idr x : tp.idrs(IdRole.IDRkms)) {
            if (!x.asString().equals(settings.kmsUri())) {
                throw refuse(ErrorCode.INVALID_TPPAR, "TP names another KMS");
            }
        }
        for (Idr x : tp.idrs(IdRole.IDRi)) {
            if (!x.sameIdentity(idri)) {
                throw refuse(ErrorCode.INVALID_TPPAR, "TP IDRi differs from the requester's IDRi");
            }
        }
        if (tp.first(Kemac.class).isPresent()) {
            throw refuse(ErrorCode.INVALID_TPPAR, "KEMAC templates are not supported: tickets carry MPK + one TGK");
        }
        for (Tr x : tp.all(Tr.class)) {
            if (x.role() == TrRole.TRr || x.role() == TrRole.TRi) {
                throw refuse(ErrorCode.INVALID_TPPAR, "TRr/TRi in a ticket request are not supported");
            }
        }
        List<Idr> responders = tp.idrs(IdRole.IDRr);
        a.responders = uris(responders);
        if (responders.isEmpty()) {
            throw refuse(ErrorCode.INVALID_TPPAR, "ticket request names no responder (IDRr)");
        }
        Instant now = ctx.clock().instant();
        Instant from = tr(tp, TrRole.TRs).orElse(now);
        Instant to = tr(tp, TrRole.TRe).orElse(from.plus(settings.defaultTicketLifetime()));
        if (!to.isAfter(from) || to.isBefore(now)) {
            throw refuse(ErrorCode.INVALID_TPPAR, "ticket validity " + from + " .. " + to + " is empty or past");
        }
        if (to.isAfter(now.plus(settings.maxTicketLifetime()))) {
            throw refuse(ErrorCode.INVALID_TPPAR, "ticket validity longer than the KMS grants ("
                    + settings.maxTicketLifetime() + ")");
        }
        PolicyDecision d = directory.mayRequest(uk.user(), idri.asString(), a.responders);
        if (!d.allowed()) {
            throw refuse(d.errorCode(), d.reason());
        }

        // The granted policy: our identity, the requester, the validity, application ids, the responders.
        List<Payload> granted = new ArrayList<>();
        granted.add(Idr.uri(IdRole.IDRkms, settings.kmsUri()));
        granted.add(new Idr(IdRole.IDRi, idri.idType(), idri.data()));
        granted.add(Tr.ntpUtc(TrRole.TRs, from));
        granted.add(Tr.ntpUtc(TrRole.TRe, to));
        granted.addAll(tp.idrs(IdRole.IDRapp));
        granted.addAll(responders);
        TicketPolicy grantedTp = new TicketPolicy(Profile.TICKET_TYPE, Profile.TICKET_SUBTYPE,
                Profile.TICKET_VERSION, tp.prfFunc(), Profile.FLAGS, granted);

        KeyMaterial mpk = KeyMaterial.of(ctx.randomBytes(set.keyBytes()));
        KeyMaterial tgk = KeyMaterial.of(ctx.randomBytes(set.keyBytes()));
        byte[] mpkSpi = ctx.randomBytes(Profile.SPI_BYTES);
        byte[] tgkSpi = ctx.randomBytes(Profile.SPI_BYTES);
        byte[] ticketRand = ctx.randomBytes(set.randBytes());
        KeyMaterial mpki = KeyDerivation.mpki(grantedTp.prfFunc(), mpk, ticketRand);
        KeyMaterial mpkr = KeyDerivation.mpkr(grantedTp.prfFunc(), mpk, ticketRand);
        MessageKeys keys = null;
        try {
            TicketPayload ticket = issueTicket(grantedTp, set, mpk, mpkSpi, tgk, tgkSpi, ticketRand, now);
            Timestamp rt = Exchanges.freshTimestamp(ctx, t);
            keys = KeyDerivation.messageKeys(set.prf(), uk.psk(), Direction.RESPONSE, csbId, ri.rand(), null,
                    set.encrAlg(), MacAlg.NULL);
            // RFC 6043 §5.1: KEMAC = MPKi || MPKr || TGK; NULL MAC, the V carries the MAC.
            Kemac kemac = encrypt(keys, csbId, rt, keyData(KeyDataType.MPK, mpki, mpkSpi),
                    keyData(KeyDataType.MPK, mpkr, mpkSpi), keyData(KeyDataType.TGK, tgk, tgkSpi));
            Header h = m.header().withDataType(DataType.REQUEST_RESP).withVFlag(false);
            MikeyMessage resp = new MikeyMessage(h, List.of(rt, Idr.uri(IdRole.IDRkms, settings.kmsUri()), ticket,
                    kemac, Verification.unsigned(set.macAlg())));
            KeyMaterial respAuth = KeyDerivation.authKey(set.prf(), uk.psk(), Direction.RESPONSE, csbId, ri.rand(),
                    null, set.macAlg());
            byte[] out;
            try {
                out = Exchanges.signedBytes(resp, respAuth, requestBytes);
            } finally {
                respAuth.destroy();
            }
            return new KmsResult(out, a.outcome(true, null, "ticket issued"));
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

    /** Base ticket (RFC 6043 App. A): THDR, T, RAND, KEMAC(MPK || TGK, TPK keys, NULL MAC), IDRpsk(TPK id), V. */
    private TicketPayload issueTicket(TicketPolicy tp, AlgorithmSet set, KeyMaterial mpk, byte[] mpkSpi,
            KeyMaterial tgk, byte[] tgkSpi, byte[] ticketRand, Instant now) {
        TicketProtectionKeys.Tpk tpk = settings.tpks().current();
        Timestamp tt = Timestamp.ntpUtc(now);
        MessageKeys tk = KeyDerivation.ticketKeys(tp.prfFunc(), tpk.key(), ticketRand, set.encrAlg(), set.macAlg());
        try {
            Kemac kemac = encrypt(tk, TICKET_CSB_ID, tt, keyData(KeyDataType.MPK, mpk, mpkSpi),
                    keyData(KeyDataType.TGK, tgk, tgkSpi));
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
        Timestamp t = Exchanges.require(m, Timestamp.class, "T");
        a.requestT = t;
        Randr rr = Exchanges.requireRandr(m, RandRole.RANDRr);
        Idr idrr = Exchanges.requireIdr(m, IdRole.IDRr);
        a.identity = idrr.asString();
        Idr idrkms = Exchanges.requireIdr(m, IdRole.IDRkms);
        TicketPayload ticket = Exchanges.require(m, TicketPayload.class, "TICKET");
        Idr idrpsk = Exchanges.requireIdr(m, IdRole.IDRpsk);
        Verification v = Exchanges.requireClosingV(m);
        checkAddressedToUs(idrkms);
        AlgorithmSet set = setOf(m.header().prfFunc(), v);

        KmsDirectory.UserKey uk = authenticate(m, requestBytes, a, set, idrr, idrkms, idrpsk, null, rr.rand(), v);
        int csbId = m.header().csbId();
        checkRandLength(rr.rand(), set);
        TicketPolicy tp = ticket.policy();
        checkTicketType(tp);
        if (!uris(tp.idrs(IdRole.IDRkms)).contains(settings.kmsUri())) {
            throw refuse(ErrorCode.INVALID_TICKET, "ticket was not issued by this KMS");
        }
        if (tp.prfFunc() != m.header().prfFunc()) {
            throw refuse(ErrorCode.INVALID_TPPAR, "ticket PRF func differs from the HDR PRF func");
        }
        BaseTicket bt;
        try {
            bt = BaseTicket.decode(ticket.ticketData());
        } catch (MikeyException e) {
            throw refuse(ErrorCode.INVALID_TICKET, "malformed base ticket: " + e.getMessage());
        }
        byte[] tpkId = bt.idrPsk().map(Idr::data)
                .orElseThrow(() -> refuse(ErrorCode.INVALID_TICKET, "base ticket names no TPK"));
        KeyMaterial tpk = settings.tpks().byId(tpkId)
                .orElseThrow(() -> refuse(ErrorCode.INVALID_TICKET, "ticket protected by a key this KMS does not hold"));
        if (bt.v().authAlg() != set.macAlg() || bt.kemac().encrAlg() != set.encrAlg()) {
            throw refuse(ErrorCode.INVALID_TICKET, "ticket algorithms outside " + set);
        }
        byte[] ticketRand = bt.rand().rand();
        MessageKeys tk = KeyDerivation.ticketKeys(tp.prfFunc(), tpk, ticketRand, bt.kemac().encrAlg(),
                bt.v().authAlg());
        List<KeyData> ticketKeys;
        try {
            if (!Macs.verify(bt.v().authAlg(), tk.authKey(), bt.v().mac(),
                    ticket.ticketMacInput(bt.v().authAlg().macBytes()))) {
                throw refuse(ErrorCode.AUTH_FAILURE, "ticket MAC verification failed (tampered ticket)");
            }
            ticketKeys = Exchanges.decryptKeys(tk, TICKET_CSB_ID, bt.t(), bt.kemac());
        } finally {
            tk.destroy();
        }
        KeyMaterial mpk;
        KeyMaterial tgk;
        byte[] mpkSpi;
        byte[] tgkSpi;
        try {
            List<Idr> initiators = tp.idrs(IdRole.IDRi);
            if (initiators.isEmpty()) {
                throw refuse(ErrorCode.INVALID_TICKET, "ticket names no IDRi");
            }
            a.initiator = initiators.get(0).asString();
            a.responders = uris(tp.idrs(IdRole.IDRr));
            Instant now = ctx.clock().instant();
            Optional<Instant> from = tr(tp, TrRole.TRs);
            Optional<Instant> to = tr(tp, TrRole.TRe);
            if (from.isPresent() && now.isBefore(from.get())) {
                throw refuse(ErrorCode.INVALID_TICKET, "ticket not valid before " + from.get());
            }
            if (to.isPresent() && now.isAfter(to.get())) {
                throw refuse(ErrorCode.INVALID_TICKET, "ticket expired at " + to.get());
            }
            if (!tp.has(TicketFlag.I)) {
                throw refuse(ErrorCode.INVALID_TPPAR, "ticket without key forking (I = 0)");
            }

            // RFC 6043 App. A: the ticket's KEMAC holds MPK || TGK.
            KeyData mpkData = Exchanges.keyOfType(ticketKeys, KeyDataType.MPK, 0, ErrorCode.INVALID_TICKET);
            KeyData tgkData = Exchanges.keyOfType(ticketKeys, KeyDataType.TGK, 0, ErrorCode.INVALID_TICKET);
            mpkSpi = Exchanges.spiOf(mpkData, ErrorCode.INVALID_TICKET);
            tgkSpi = Exchanges.spiOf(tgkData, ErrorCode.INVALID_TICKET);
            mpk = Exchanges.keyOf(mpkData);
            tgk = Exchanges.keyOf(tgkData);
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
            PolicyDecision d = directory.mayResolve(uk.user(), idrr.asString(), a.initiator, a.responders);
            if (!d.allowed()) {
                throw refuse(d.errorCode(), d.reason());
            }
            // RFC 6043 §5.3: fork MPKr and the TGK with the modifier (IDRr, RANDRkms).
            byte[] randRkms = ctx.randomBytes(set.randBytes());
            mpkrForked = KeyDerivation.forkMpkr(tp.prfFunc(), mpkr, idrr.data(), randRkms);
            tgkForked = KeyDerivation.forkTgk(tp.prfFunc(), tgk, idrr.data(), randRkms);
            Timestamp rt = Exchanges.freshTimestamp(ctx, t);
            keys = KeyDerivation.messageKeys(set.prf(), uk.psk(), Direction.RESPONSE, csbId, null, rr.rand(),
                    set.encrAlg(), MacAlg.NULL);
            Kemac kemac = encrypt(keys, csbId, rt, keyData(KeyDataType.MPK, mpki, mpkSpi),
                    keyData(KeyDataType.MPK, mpkrForked, mpkSpi), keyData(KeyDataType.TGK, tgkForked, tgkSpi));
            Header h = m.header().withDataType(DataType.RESOLVE_RESP).withVFlag(false);
            MikeyMessage resp = new MikeyMessage(h, List.of(rt, Idr.uri(IdRole.IDRkms, settings.kmsUri()), kemac,
                    new Idr(IdRole.IDRr, idrr.idType(), idrr.data()), new Randr(RandRole.RANDRkms, randRkms),
                    Verification.unsigned(set.macAlg())));
            KeyMaterial respAuth = KeyDerivation.authKey(set.prf(), uk.psk(), Direction.RESPONSE, csbId, null,
                    rr.rand(), set.macAlg());
            byte[] out;
            try {
                out = Exchanges.signedBytes(resp, respAuth, requestBytes);
            } finally {
                respAuth.destroy();
            }
            return new KmsResult(out, a.outcome(true, null,
                    a.viaFactory != null ? "ticket resolved for focus URI of " + a.viaFactory : "ticket resolved"));
        } finally {
            if (keys != null) {
                keys.destroy();
            }
            for (KeyMaterial k : Arrays.asList(mpk, tgk, mpki, mpkr, mpkrForked, tgkForked)) {
                if (k != null) {
                    k.destroy();
                }
            }
        }
    }

    /** RFC 6043 §6.10: with forking the KMS checks Vr over the Initiator Data, keyed from the unforked MPKr. */
    private static void checkInitiatorData(TicketPayload ticket, PrfFunc tpPrf, KeyMaterial mpkr) {
        InitiatorData id;
        try {
            id = InitiatorData.decode(ticket.initiatorData());
        } catch (MikeyException e) {
            throw refuse(ErrorCode.AUTH_FAILURE, "Initiator Data missing or malformed: " + e.getMessage());
        }
        if (id.vr().authAlg() != id.vi().authAlg() || id.vr().authAlg() == MacAlg.NULL) {
            throw refuse(ErrorCode.AUTH_FAILURE, "Initiator Data Vr and Vi use different MAC algorithms");
        }
        KeyMaterial vrKey = KeyDerivation.vrKey(tpPrf, mpkr, id.vr().authAlg());
        try {
            if (!Macs.verify(id.vr().authAlg(), vrKey, id.vr().mac(), id.vrMacInput())) {
                throw refuse(ErrorCode.AUTH_FAILURE, "Initiator Data Vr verification failed");
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
        throw refuse(ErrorCode.AUTH_FAILURE, resolverUri + " is not a recipient of the ticket"
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

    /**
     * RFC 3830 §5.4 across receivers: the directory's shared guard must not have seen the message either. Asked
     * before anything is granted, so a replay to another node costs no ticket, no keys and no response.
     */
    private void checkSharedReplay(ReplayKey rk) {
        Instant now = ctx.clock().instant();
        Instant latest = rk.timestamp().isAfter(now) ? rk.timestamp() : now;
        boolean first;
        try {
            first = directory.firstSeen(rk, latest.plus(ctx.replayCache().skew()));
        } catch (RuntimeException e) {
            throw new SharedReplayFailure(e);
        }
        if (!first) {
            throw refuse(ErrorCode.INVALID_TS, "replayed message (already seen by another receiver)");
        }
    }

    // ---- shared checks ------------------------------------------------------------------------------------------

    private void checkAddressedToUs(Idr idrkms) {
        if (!idrkms.asString().equals(settings.kmsUri())) {
            throw refuse(ErrorCode.INVALID_ID, "message addressed to KMS " + idrkms.asString());
        }
    }

    /** The algorithm set implied by the HDR PRF; the V MAC must belong to it (no mixing, RFC 6043 §6.2). */
    private static AlgorithmSet setOf(PrfFunc prf, Verification v) {
        AlgorithmSet set = AlgorithmSet.forPrf(prf);
        if (v.authAlg() != set.macAlg()) {
            throw refuse(ErrorCode.INVALID_HA, v.authAlg() + " cannot be used with PRF " + prf);
        }
        return set;
    }

    /** RFC 6043 §6.1 entropy: the single RAND entering the message keys is at least as long as the keys (>= 128 bit). */
    private static void checkRandLength(byte[] rand, AlgorithmSet set) {
        if (rand.length < set.keyBytes()) {
            throw refuse(ErrorCode.UNSPECIFIED, "RAND of " + rand.length + " bytes is shorter than the "
                    + set.keyBytes() + "-byte keys it protects");
        }
    }

    private static void checkTicketType(TicketPolicy tp) {
        if (tp.ticketType() != Profile.TICKET_TYPE || tp.subtype() != Profile.TICKET_SUBTYPE
                || tp.version() != Profile.TICKET_VERSION) {
            throw refuse(ErrorCode.INVALID_TICKET, "ticket type " + tp.ticketType() + "/" + tp.subtype() + "/"
                    + tp.version() + " not supported (MIKEY base ticket 1/1/1 only)");
        }
    }

    private static Optional<Instant> tr(TicketPolicy tp, TrRole role) {
        for (Tr x : tp.all(Tr.class)) {
            if (x.role() == role) {
                if (x.tsType() == org.kmsconf.mikey.payload.TsType.COUNTER) {
                    throw refuse(ErrorCode.INVALID_TPPAR, role + " must be an NTP time");
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
