package org.kmsconf.mikey.exchange;

import static org.kmsconf.mikey.exchange.Exchanges.refuse;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyDerivation.Direction;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.MessageKeys;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.EmptyMap;
import org.kmsconf.mikey.message.GenericIdEntry;
import org.kmsconf.mikey.message.GenericIdMap;
import org.kmsconf.mikey.message.Header;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.Randr;
import org.kmsconf.mikey.payload.SecurityPolicy;
import org.kmsconf.mikey.payload.TicketFlag;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.Tr;
import org.kmsconf.mikey.payload.TrRole;
import org.kmsconf.mikey.payload.TsType;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.replay.ReplayKey;
import org.kmsconf.mikey.ticket.InitiatorData;

/**
 * The Responder's side (a user, the conference factory or a focus) of Ticket Transfer and Ticket Resolve
 * (RFC 6043 §4.2.2-§4.2.3, §5.2-§5.3), in the order RFC 6043 §5.2 prescribes:
 * <ol>
 *   <li>{@link #receive}: parse TRANSFER_INIT, check timestamp/replay, ticket policy and SPs before contacting the
 *       KMS (early reject);</li>
 *   <li>{@link #resolveInit}: RESOLVE_INIT_PSK = HDR, T, RANDRr, IDRr, IDRkms, TICKET, IDRpsk, V for our own
 *       identity (the factory passes the focus URI it allocated: that becomes the IDRr used in forking);</li>
 *   <li>{@link #processResolveResponse}: check RESOLVE_RESP, open MPKi, MPKr', TGK', then verify TRANSFER_INIT's
 *       MAC with MPKi and that its V equals the ticket's Vi;</li>
 *   <li>{@link #respond}: TRANSFER_RESP and the SRTP keys.</li>
 * </ol>
 * Not thread-safe: one instance per received TRANSFER_INIT.
 */
public final class TransferResponder {
    private final PartyContext ctx;
    private final byte[] initBytes;
    private final MikeyMessage init;
    private final AlgorithmSet set;
    private final TicketPolicy tp;
    private final Idr idri;
    private final Idr idrr;
    private final byte[] randRi;
    private final Timestamp initT;
    private final GenericIdMap offeredMap;
    private final Map<Integer, Sessions.Chosen> chosen;
    private final Map<NonMediaSession, SecurityPolicy> nonMedia;
    private final ReplayKey replayKey;

    // Resolve exchange state.
    private String kmsUri;
    private KeyMaterial psk;
    private byte[] randRrResolve;
    private byte[] resolveBytes;
    private int resolveCsbId;
    private String ownUri;

    // Resolved keys.
    private KeyMaterial mpki;
    private KeyMaterial mpkrForked;
    private KeyMaterial tgkForked;
    private byte[] tgkSpi;
    private Idr resolvedIdrr;
    private byte[] randRkms;

    private TransferResponder(byte[] bytes, PartyContext ctx) {
        this.ctx = ctx;
        this.initBytes = bytes.clone();
        this.init = MikeyCodec.decode(initBytes);
        if (init.dataType() != DataType.TRANSFER_INIT) {
            throw refuse(ErrorCode.INVALID_DT, "expected TRANSFER_INIT, got " + init.dataType());
        }
        this.initT = Exchanges.require(init, Timestamp.class, "T");
        this.randRi = Exchanges.requireRandr(init, RandRole.RANDRi).rand();
        this.idri = Exchanges.requireIdr(init, IdRole.IDRi);
        this.idrr = Exchanges.requireIdr(init, IdRole.IDRr);
        TicketPayload ticket = Exchanges.require(init, TicketPayload.class, "TICKET");
        Verification v = Exchanges.requireClosingV(init);
        this.replayKey = Exchanges.replayKey(idri, init, initT);
        Exchanges.checkReplay(ctx, replayKey);

        this.tp = ticket.policy();
        // The ticket's IDRi is what the KMS vouches for (ticket MAC, Vr); TRANSFER_INIT must name the same initiator.
        if (tp.idrs(IdRole.IDRi).stream().noneMatch(x -> x.sameIdentity(idri))) {
            throw refuse(ErrorCode.INVALID_ID, "TRANSFER_INIT IDRi " + idri.asString() + " is not the ticket's IDRi");
        }
        if (tp.ticketType() != Profile.TICKET_TYPE || tp.subtype() != Profile.TICKET_SUBTYPE
                || tp.version() != Profile.TICKET_VERSION) {
            throw refuse(ErrorCode.INVALID_TICKET, "ticket type " + tp.ticketType() + " not supported");
        }
        if (tp.prfFunc() != init.header().prfFunc()) {
            throw refuse(ErrorCode.INVALID_TPPAR, "ticket PRF func differs from the HDR PRF func");
        }
        if (!tp.has(TicketFlag.I) || !tp.has(TicketFlag.E)) {
            throw refuse(ErrorCode.INVALID_TPPAR, "our profile needs key forking (I = 1) and a resolve (E = 1)");
        }
        if (tp.has(TicketFlag.L) || init.first(Kemac.class).isPresent()) {
            throw refuse(ErrorCode.INVALID_TPPAR, "session keys from the Initiator (L, KEMAC) are not supported");
        }
        this.set = AlgorithmSet.forPrf(tp.prfFunc());
        if (v.authAlg() != set.macAlg()) {
            throw refuse(ErrorCode.INVALID_HA, "TRANSFER_INIT MAC " + v.authAlg() + " outside " + set);
        }
        if (!(init.header().csIdMap() instanceof GenericIdMap map)) {
            throw refuse(ErrorCode.UNSPECIFIED, "TRANSFER_INIT must use a GENERIC-ID map (RFC 6043 §6.1.1)");
        }
        this.offeredMap = map;
        // docs/profile.md §6, kmsconf extension: CS 0xB0 / 0xE0 are checked apart from the SRTP sessions.
        this.nonMedia = NonMediaSessions.choose(map, init.all(SecurityPolicy.class));
        this.chosen = Sessions.choose(NonMediaSessions.srtpOnly(map), init.all(SecurityPolicy.class), set);
    }

    /** Parses TRANSFER_INIT and performs the checks that need no KMS (timestamp, replay, policy, SPs). */
    public static TransferResponder receive(byte[] transferInit, PartyContext ctx) {
        return new TransferResponder(Objects.requireNonNull(transferInit), ctx);
    }

    /**
     * The end of the ticket's validity (TRe of its policy, NTP time), if it names one; authenticated (ticket MAC,
     * checked by the KMS) once the ticket is resolved.
     */
    public Optional<Instant> ticketValidTo() {
        for (Tr x : tp.all(Tr.class)) {
            if (x.role() == TrRole.TRe && x.tsType() != TsType.COUNTER) {
                return Optional.of(x.toInstant());
            }
        }
        return Optional.empty();
    }

    /** The Initiator's identity (IDRi); authenticated only after {@link #processResolveResponse}. */
    public String initiator() {
        return idri.asString();
    }

    /** The IDRr the Initiator addressed (e.g. the factory URI). */
    public String addressedResponder() {
        return idrr.asString();
    }

    /** The ticket's authorised responders (TP IDRr), e.g. the conference's allowed participants. */
    public List<String> ticketResponders() {
        return tp.idrs(IdRole.IDRr).stream().map(Idr::asString).toList();
    }

    public AlgorithmSet algorithmSet() {
        return set;
    }

    /** The offered crypto sessions. */
    public List<GenericIdEntry> offeredSessions() {
        return offeredMap.entries();
    }

    /** The non-media crypto sessions offered (and accepted: {@link #respond} keys every one of them). */
    public Set<NonMediaSession> offeredNonMediaSessions() {
        return java.util.Collections.unmodifiableSet(nonMedia.keySet());
    }

    /**
     * RESOLVE_INIT_PSK for our identity {@code ownUri} (a factory passes the focus URI it allocated). RFC 6043
     * §4.2.3.1: V = 1, Empty map; V keyed from our PSK (label 0x01, RANDRr) over it || IDRr || IDRkms.
     */
    public byte[] resolveInit(String ownUri, String kmsUri, byte[] pskId, KeyMaterial psk) {
        this.ownUri = Objects.requireNonNull(ownUri);
        this.kmsUri = Objects.requireNonNull(kmsUri);
        this.psk = Objects.requireNonNull(psk);
        this.randRrResolve = ctx.randomBytes(set.randBytes());
        this.resolveCsbId = ctx.randomInt();
        Idr own = Idr.uri(IdRole.IDRr, ownUri);
        Idr kms = Idr.uri(IdRole.IDRkms, kmsUri);
        Header h = new Header(DataType.RESOLVE_INIT_PSK, true, set.prf(), resolveCsbId, EmptyMap.NONE);
        TicketPayload ticket = init.first(TicketPayload.class).orElseThrow();
        MikeyMessage m = new MikeyMessage(h, List.<Payload>of(Exchanges.freshTimestamp(ctx, null),
                new Randr(RandRole.RANDRr, randRrResolve), own, kms, ticket, Idr.byteString(IdRole.IDRpsk, pskId),
                Verification.unsigned(set.macAlg())));
        KeyMaterial auth = KeyDerivation.authKey(set.prf(), psk, Direction.INITIAL, resolveCsbId, null, randRrResolve,
                set.macAlg());
        try {
            m = Exchanges.signed(m, auth, own.data(), kms.data());
        } finally {
            auth.destroy();
        }
        this.resolveBytes = MikeyCodec.encode(m);
        return resolveBytes.clone();
    }

    /**
     * Checks RESOLVE_RESP, takes MPKi, MPKr' and TGK' from its KEMAC, then authenticates TRANSFER_INIT (its V with
     * MPKi, equal to the ticket's Vi, which the KMS checked through Vr). A KMS error message becomes a
     * {@link MikeyException} carrying the KMS's error code.
     */
    public void processResolveResponse(byte[] resolveResp) {
        if (resolveBytes == null) {
            throw new IllegalStateException("resolveInit first");
        }
        MikeyMessage resp = MikeyCodec.decode(resolveResp);
        if (resp.dataType() == DataType.ERROR) {
            KeyMaterial auth = KeyDerivation.authKey(set.prf(), psk, Direction.INITIAL, resolveCsbId, null,
                    randRrResolve, set.macAlg());
            try {
                throw ErrorMessages.parseAndVerify(resp, auth).toException("KMS");
            } finally {
                auth.destroy();
            }
        }
        if (resp.dataType() != DataType.RESOLVE_RESP) {
            throw refuse(ErrorCode.INVALID_DT, "expected RESOLVE_RESP, got " + resp.dataType());
        }
        if (resp.header().csbId() != resolveCsbId || resp.header().prfFunc() != set.prf()) {
            throw refuse(ErrorCode.UNSPECIFIED, "RESOLVE_RESP does not answer our RESOLVE_INIT");
        }
        Timestamp t = Exchanges.require(resp, Timestamp.class, "T");
        Exchanges.checkSkew(ctx, t);
        Verification v = Exchanges.requireClosingV(resp);
        if (v.authAlg() != set.macAlg()) {
            throw refuse(ErrorCode.INVALID_HA, "RESOLVE_RESP MAC outside " + set);
        }
        KeyMaterial auth = KeyDerivation.authKey(set.prf(), psk, Direction.RESPONSE, resolveCsbId, null,
                randRrResolve, v.authAlg());
        try {
            Exchanges.verify(resp, auth, "RESOLVE_RESP", resolveBytes);
        } finally {
            auth.destroy();
        }
        Idr kms = Exchanges.requireIdr(resp, IdRole.IDRkms);
        if (!kms.asString().equals(kmsUri)) {
            throw refuse(ErrorCode.INVALID_ID, "RESOLVE_RESP from another KMS");
        }
        Exchanges.recordReplay(ctx, Exchanges.replayKey(kms, resp, t));
        Idr returned = Exchanges.requireIdr(resp, IdRole.IDRr);
        if (!returned.asString().equals(ownUri)) {
            throw refuse(ErrorCode.INVALID_ID, "KMS resolved for " + returned.asString() + ", not " + ownUri);
        }
        byte[] rkms = Exchanges.requireRandr(resp, RandRole.RANDRkms).rand();
        Kemac kemac = Exchanges.require(resp, Kemac.class, "KEMAC");
        Exchanges.requireEncrAlg(kemac, set);
        MessageKeys keys = KeyDerivation.messageKeys(set.prf(), psk, Direction.RESPONSE, resolveCsbId, null,
                randRrResolve, kemac.encrAlg(), MacAlg.NULL);
        List<KeyData> kd;
        try {
            kd = Exchanges.decryptKeys(keys, resolveCsbId, t, kemac);
        } finally {
            keys.destroy();
        }
        try {
            // RFC 6043 §5.3: KEMAC = MPKi || MPKr' || TGK'.
            KeyData tgk = Exchanges.tgkOf(kd, ErrorCode.UNSPECIFIED);
            this.tgkSpi = Exchanges.spiOf(tgk, ErrorCode.UNSPECIFIED);
            this.mpki = Exchanges.keyOf(Exchanges.keyOfType(kd, KeyDataType.MPK, 0, ErrorCode.UNSPECIFIED));
            this.mpkrForked = Exchanges.keyOf(Exchanges.keyOfType(kd, KeyDataType.MPK, 1, ErrorCode.UNSPECIFIED));
            this.tgkForked = Exchanges.keyOf(tgk);
        } finally {
            kd.forEach(KeyData::destroy);
        }
        this.resolvedIdrr = returned;
        this.randRkms = rkms;
        authenticateTransferInit();
    }

    /** RFC 6043 §5.2: V of TRANSFER_INIT equals Vi and verifies with MPKi (label 0x01, RANDRi). */
    private void authenticateTransferInit() {
        TicketPayload ticket = init.first(TicketPayload.class).orElseThrow();
        Verification v = Exchanges.requireClosingV(init);
        InitiatorData id;
        try {
            id = InitiatorData.decode(ticket.initiatorData());
        } catch (MikeyException e) {
            throw refuse(ErrorCode.AUTH_FAILURE, "TRANSFER_INIT ticket without valid Initiator Data");
        }
        if (id.vi().authAlg() != v.authAlg() || !MessageDigest.isEqual(id.vi().mac(), v.mac())) {
            throw refuse(ErrorCode.AUTH_FAILURE, "TRANSFER_INIT V differs from the ticket's Vi");
        }
        KeyMaterial auth = KeyDerivation.authKey(set.prf(), mpki, Direction.INITIAL, init.header().csbId(), randRi,
                null, v.authAlg());
        try {
            Exchanges.verifyOver(init, auth, "TRANSFER_INIT", MikeyCodec.encodeWithoutMacAndInitiatorData(init),
                    idri.data(), idrr.data());
        } finally {
            auth.destroy();
        }
        Exchanges.recordReplay(ctx, replayKey);
    }

    /**
     * TRANSFER_RESP with our SSRC for each audio m-line (CS 2k+2) and the derived keys. Crypto sessions the
     * Initiator left without an SSRC (a focus assigns them) take the value from {@code assignedSsrcs} by CS ID.
     */
    public TransferResponse respond(List<Ssrc> responderSsrcs, Map<Integer, Ssrc> assignedSsrcs) {
        if (tgkForked == null) {
            throw new IllegalStateException("the ticket is not resolved");
        }
        List<GenericIdEntry> filled = new ArrayList<>();
        Map<Integer, Ssrc> ssrcs = new HashMap<>();
        for (GenericIdEntry e : offeredMap.entries()) {
            NonMediaSession nm = NonMediaSession.ofCsId(e.csId());
            if (nm != null) {
                // No session data in either message; the chosen policy and the TGK's SPI (docs/profile.md §6).
                filled.add(e.withPolicy(nonMedia.get(nm).policyNo()).withSpi(tgkSpi));
                continue;
            }
            Ssrc ssrc = assignedSsrcs.get(e.csId());
            if (ssrc == null && e.csId() >= 2 && e.csId() % 2 == 0 && e.csId() / 2 - 1 < responderSsrcs.size()) {
                ssrc = responderSsrcs.get(e.csId() / 2 - 1);
            }
            if (ssrc == null && e.ssrc().isPresent()) {
                ssrc = e.ssrc().get();
            }
            if (ssrc == null) {
                throw new IllegalArgumentException("no SSRC for crypto session " + e.csId());
            }
            GenericIdEntry f = e.withPolicy(chosen.get(e.csId()).sp().policyNo()).withSpi(tgkSpi);
            f = e.sFlag() && e.roc().isPresent() && e.ssrc().get().equals(ssrc) ? f : f.withSsrc(ssrc);
            filled.add(f);
            ssrcs.put(e.csId(), ssrc);
        }
        LinkedHashSet<SecurityPolicy> sps = new LinkedHashSet<>();
        Map<Integer, SrtpPolicy> policies = new LinkedHashMap<>();
        chosen.forEach((cs, c) -> {
            sps.add(c.sp()); // the chosen policy's SP payload, echoed as the Initiator offered it
            policies.put(cs, c.policy());
        });
        sps.addAll(nonMedia.values());
        byte[] randRr = tp.has(TicketFlag.G) ? ctx.randomBytes(set.randBytes()) : null;
        Header h = init.header().withDataType(DataType.TRANSFER_RESP).withVFlag(false)
                .withCsIdMap(new GenericIdMap(filled));
        List<Payload> ps = new ArrayList<>();
        ps.add(Exchanges.freshTimestamp(ctx, initT));
        if (randRr != null) {
            ps.add(new Randr(RandRole.RANDRr, randRr));
        }
        ps.add(resolvedIdrr);
        ps.add(new Randr(RandRole.RANDRkms, randRkms));
        ps.addAll(sps);
        ps.add(Verification.unsigned(set.macAlg()));
        MikeyMessage resp = new MikeyMessage(h, ps);
        KeyMaterial auth = KeyDerivation.authKey(set.prf(), mpkrForked, Direction.RESPONSE, init.header().csbId(),
                randRi, randRr, set.macAlg());
        try {
            resp = Exchanges.signed(resp, auth, initBytes);
        } finally {
            auth.destroy();
        }
        byte[] ri = tp.has(TicketFlag.H) ? randRi : null;
        Map<Integer, SrtpKeys> keys = Sessions.derive(set.prf(), tgkForked, policies, ri, randRr);
        Map<NonMediaSession, KeyMaterial> nonMediaKeys = NonMediaSessions.derive(set.prf(), tgkForked,
                nonMedia.keySet(), ri, randRr);
        boolean named = ticketResponders().contains(resolvedIdrr.asString());
        return new TransferResponse(MikeyCodec.encode(resp), new TransferResult(resolvedIdrr.asString(), named,
                init.header().csbId(), keys, ssrcs, nonMediaKeys));
    }

    /** {@link #respond(List, Map)} without focus-assigned SSRCs. */
    public TransferResponse respond(List<Ssrc> responderSsrcs) {
        return respond(responderSsrcs, Map.of());
    }

    /**
     * The error message answering a TRANSFER_INIT that {@link #receive} refused, e.g. with error 10 <i>Invalid
     * SPpar</i> for an SRTP policy we do not run ({@code HDR, T, ERR}, RFC 3830 §5.1.2): unauthenticated, since no
     * key is known before the ticket is resolved, so the Initiator takes it as a hint. The HDR copies the refused
     * message's (CSB ID, map) when that much decodes, else it is a bare header.
     */
    public static byte[] refusal(byte[] transferInit, ErrorCode code, PartyContext ctx) {
        Header h = null;
        Timestamp t = null;
        try {
            MikeyMessage m = MikeyCodec.decode(transferInit);
            h = m.header();
            t = m.first(Timestamp.class).orElse(null);
        } catch (MikeyException notWhole) {
            try {
                h = MikeyCodec.decodeHeader(transferInit);
            } catch (MikeyException notEvenTheHeader) {
                // a bare header it is
            }
        }
        return ErrorMessages.unauthenticated(h, Exchanges.freshTimestamp(ctx, t), code);
    }

    /**
     * An error message answering TRANSFER_INIT ({@code HDR, T, ERR, [V]}): with a V keyed like TRANSFER_INIT (MPKi,
     * label 0x01) once the ticket is resolved and TRANSFER_INIT authenticated, else unauthenticated.
     */
    public byte[] errorMessage(ErrorCode code) {
        Timestamp t = Exchanges.freshTimestamp(ctx, initT);
        if (mpki == null) {
            return ErrorMessages.unauthenticated(init.header(), t, code);
        }
        KeyMaterial auth = KeyDerivation.authKey(set.prf(), mpki, Direction.INITIAL, init.header().csbId(), randRi,
                null, set.macAlg());
        try {
            return ErrorMessages.authenticated(init.header(), t, code, set.macAlg(), auth);
        } finally {
            auth.destroy();
        }
    }

    /** Zeroes MPKi, MPKr' and TGK' (the PSK belongs to the caller). */
    public void destroy() {
        for (KeyMaterial k : new KeyMaterial[] {mpki, mpkrForked, tgkForked}) {
            if (k != null) {
                k.destroy();
            }
        }
    }
}
