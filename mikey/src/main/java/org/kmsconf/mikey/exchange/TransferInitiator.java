package org.kmsconf.mikey.exchange;

import static org.kmsconf.mikey.exchange.Exchanges.refuse;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyDerivation.Direction;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.Macs;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.GenericIdEntry;
import org.kmsconf.mikey.message.GenericIdMap;
import org.kmsconf.mikey.message.Header;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.Randr;
import org.kmsconf.mikey.payload.SecurityPolicy;
import org.kmsconf.mikey.payload.TicketFlag;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.replay.ReplayKey;
import org.kmsconf.mikey.ticket.InitiatorData;

/**
 * The Initiator's side of the Ticket Transfer exchange (RFC 6043 §4.2.2, §5.2) in our profile:
 * <pre>
 * TRANSFER_INIT = HDR(GENERIC-ID), T, RANDRi, IDRi, IDRr, {SP}, TICKET(with Initiator Data Vi, Vr), V
 * TRANSFER_RESP = HDR(GENERIC-ID filled), T, RANDRr, IDRr, RANDRkms, SP, V
 * </pre>
 * TRANSFER_INIT's V is keyed from MPKi (label 0x01, RANDRi) over the message without MAC and without the TICKET's
 * Initiator Data length and data, then IDRi and IDRr ID data. Vi copies that V; Vr, keyed from the unforked MPKr
 * (label 0x04), lets the KMS authenticate the Initiator at resolve time. TRANSFER_RESP's V is keyed from
 * MPKr' = fork(MPKr, IDRr, RANDRkms) (label 0x02, RANDRi and RANDRr) over it and the whole TRANSFER_INIT.
 */
public final class TransferInitiator {

    /**
     * The session to offer: our identity (IDRi), whom we call (IDRr: a user, a factory or a focus URI), our SSRC for
     * each audio m-line (null where the conference focus assigns it), the SRTP policies we offer for every
     * crypto session, in order of preference (RFC 6043 §6.1.1: a GENERIC-ID crypto session may name several policies;
     * our Responder takes the first it runs; empty: the algorithm set's {@link AlgorithmSet#defaultSrtpPolicy()}),
     * and the non-media crypto sessions to key with it (docs/profile.md §6, kmsconf extension; none on a leg between
     * users).
     */
    public record Spec(String initiatorUri, String responderUri, List<Ssrc> initiatorSsrcs,
                       List<SrtpPolicy> srtpPolicies, Set<NonMediaSession> nonMediaSessions) {
        public Spec {
            Objects.requireNonNull(initiatorUri, "initiatorUri");
            Objects.requireNonNull(responderUri, "responderUri");
            initiatorSsrcs = java.util.Collections.unmodifiableList(new ArrayList<>(initiatorSsrcs));
            if (initiatorSsrcs.isEmpty() || initiatorSsrcs.size() > 127) {
                throw new IllegalArgumentException("1 to 127 audio m-lines");
            }
            srtpPolicies = List.copyOf(srtpPolicies);
            if (srtpPolicies.size() > 127 || new HashSet<>(srtpPolicies).size() != srtpPolicies.size()) {
                throw new IllegalArgumentException("at most 127 distinct SRTP policies");
            }
            nonMediaSessions = Set.copyOf(nonMediaSessions);
        }

        /** The algorithm set's default SRTP policy, no non-media crypto session. */
        public Spec(String initiatorUri, String responderUri, List<Ssrc> initiatorSsrcs) {
            this(initiatorUri, responderUri, initiatorSsrcs, List.of(), Set.of());
        }

        /** These SRTP policies, no non-media crypto session. */
        public Spec(String initiatorUri, String responderUri, List<Ssrc> initiatorSsrcs,
                    List<SrtpPolicy> srtpPolicies) {
            this(initiatorUri, responderUri, initiatorSsrcs, srtpPolicies, Set.of());
        }

        /**
         * A leg between a user and a conference focus (either way round), with the default SRTP policy: the
         * event-package KEK (CS 0xE0) always, the BFCP TLS PSK (CS 0xB0) only when the leg has floor control (a
         * TCP/TLS/BFCP m-line).
         */
        public static Spec conferenceLeg(String initiatorUri, String responderUri, List<Ssrc> initiatorSsrcs,
                boolean floorControl) {
            return new Spec(initiatorUri, responderUri, initiatorSsrcs).asConferenceLeg(floorControl);
        }

        /** The same session offering {@code policies}, in order of preference. */
        public Spec offering(SrtpPolicy... policies) {
            return new Spec(initiatorUri, responderUri, initiatorSsrcs, List.of(policies), nonMediaSessions);
        }

        /** The same session on a leg to or from a focus: CS 0xE0, and CS 0xB0 when {@code floorControl}. */
        public Spec asConferenceLeg(boolean floorControl) {
            Set<NonMediaSession> nm = floorControl
                    ? EnumSet.of(NonMediaSession.BFCP_TLS_PSK, NonMediaSession.EVENT_PACKAGE_KEK)
                    : EnumSet.of(NonMediaSession.EVENT_PACKAGE_KEK);
            return new Spec(initiatorUri, responderUri, initiatorSsrcs, srtpPolicies, nm);
        }
    }

    private final TicketGrant grant;
    private final PartyContext ctx;
    private final AlgorithmSet set;
    private final PrfFunc tpPrf;
    private final TicketPolicy tp;
    private final byte[] randRi;
    private final MikeyMessage init;
    private final byte[] initBytes;
    private final Set<Integer> offeredSessions = new HashSet<>();
    private final List<SecurityPolicy> offeredPolicies;
    private final Set<NonMediaSession> offeredNonMedia;

    private TransferInitiator(TicketGrant grant, Spec spec, List<SecurityPolicy> sps, PartyContext ctx) {
        this.grant = grant;
        this.ctx = ctx;
        this.set = grant.algorithmSet();
        this.tp = grant.ticket().policy();
        this.tpPrf = tp.prfFunc();
        this.randRi = ctx.randomBytes(set.randBytes());
        int csbId = ctx.randomInt();
        GenericIdMap srtpMap = Sessions.offer(spec.initiatorSsrcs(), grant.tgkSpi(), sps.size());
        this.offeredPolicies = List.copyOf(sps);
        // docs/profile.md §6, kmsconf extension: CS 0xB0 / 0xE0 after the SRTP sessions, their SPs after the SRTP ones.
        this.offeredNonMedia = spec.nonMediaSessions();
        List<GenericIdEntry> entries = new ArrayList<>(srtpMap.entries());
        entries.addAll(NonMediaSessions.offer(offeredNonMedia, grant.tgkSpi()));
        GenericIdMap map = new GenericIdMap(entries);
        Idr idri = Idr.uri(IdRole.IDRi, spec.initiatorUri());
        Idr idrr = Idr.uri(IdRole.IDRr, spec.responderUri());
        // RFC 6043 §4.2.2.1: V flag = F flag of the ticket policy.
        Header h = new Header(DataType.TRANSFER_INIT, tp.has(TicketFlag.F), set.prf(), csbId, map);
        Timestamp t = Exchanges.freshTimestamp(ctx, null);
        TicketPayload bare = grant.ticket().withInitiatorData(new byte[0]);
        MikeyMessage unsigned = message(h, t, idri, idrr, bare, Verification.unsigned(set.macAlg()));
        KeyMaterial auth = KeyDerivation.authKey(set.prf(), grant.mpki(), Direction.INITIAL, csbId, randRi, null,
                set.macAlg());
        byte[] mac;
        try {
            mac = Macs.compute(set.macAlg(), auth, MikeyCodec.encodeWithoutMacAndInitiatorData(unsigned),
                    idri.data(), idrr.data());
        } finally {
            auth.destroy();
        }
        Verification v = new Verification(set.macAlg(), mac);
        // Initiator Data: Vi = copy of V (Next payload 9 since Vr follows), Vr keyed from the unforked MPKr.
        InitiatorData id = new InitiatorData(v, Verification.unsigned(set.macAlg()));
        KeyMaterial vrKey = KeyDerivation.vrKey(tpPrf, grant.mpkr(), set.macAlg());
        try {
            id = id.withVr(new Verification(set.macAlg(), Macs.compute(set.macAlg(), vrKey, id.vrMacInput())));
        } finally {
            vrKey.destroy();
        }
        this.init = message(h, t, idri, idrr, bare.withInitiatorData(id.encode()), v);
        this.initBytes = MikeyCodec.encode(init);
        srtpMap.entries().forEach(e -> offeredSessions.add(e.csId()));
    }

    private MikeyMessage message(Header h, Timestamp t, Idr idri, Idr idrr, TicketPayload ticket, Verification v) {
        List<Payload> ps = new ArrayList<>(List.of(t, new Randr(RandRole.RANDRi, randRi), idri, idrr));
        ps.addAll(offeredPolicies);
        for (NonMediaSession s : NonMediaSession.values()) {
            if (offeredNonMedia.contains(s)) {
                ps.add(NonMediaSessions.policy(s));
            }
        }
        ps.add(ticket);
        ps.add(v);
        return new MikeyMessage(h, ps);
    }

    /**
     * Builds TRANSFER_INIT from a ticket grant (which may be reused: J = 1), offering the spec's SRTP policies.
     *
     * @throws IllegalArgumentException if a policy needs longer keys than the ticket's algorithm set has
     */
    public static TransferInitiator create(TicketGrant grant, Spec spec, PartyContext ctx) {
        AlgorithmSet set = grant.algorithmSet();
        List<SrtpPolicy> policies = spec.srtpPolicies().isEmpty() ? List.of(set.defaultSrtpPolicy())
                : spec.srtpPolicies();
        for (SrtpPolicy p : policies) {
            if (!set.allows(p)) {
                throw new IllegalArgumentException(p + " needs the 256-bit algorithm set, the ticket is " + set);
            }
        }
        return new TransferInitiator(grant, spec, Sessions.offeredPolicies(policies), ctx);
    }

    /**
     * TRANSFER_INIT offering these SP payloads as they are, every crypto session naming all of them in order: what
     * an initiator of another implementation may send (tests of the Responder's SP checks); ignores the spec's
     * policies.
     */
    static TransferInitiator offering(TicketGrant grant, Spec spec, List<SecurityPolicy> sps, PartyContext ctx) {
        return new TransferInitiator(grant, spec, sps, ctx);
    }

    /** The TRANSFER_INIT bytes (for {@code a=key-mgmt:mikey} or an {@code application/mikey} body). */
    public byte[] message() {
        return initBytes.clone();
    }

    public int csbId() {
        return init.header().csbId();
    }

    /**
     * Checks TRANSFER_RESP and derives the SRTP keys. The MAC proves the answer comes from the holder of MPKr'
     * forked for the IDRr it carries, i.e. the identity the KMS resolved the ticket for.
     */
    public TransferResult processResponse(byte[] responseBytes) {
        MikeyMessage resp = MikeyCodec.decode(responseBytes);
        int csbId = csbId();
        if (resp.dataType() == DataType.ERROR) {
            KeyMaterial auth = KeyDerivation.authKey(set.prf(), grant.mpki(), Direction.INITIAL, csbId, randRi, null,
                    set.macAlg());
            try {
                throw ErrorMessages.parseAndVerify(resp, auth).toException("Responder");
            } finally {
                auth.destroy();
            }
        }
        if (resp.dataType() != DataType.TRANSFER_RESP) {
            throw refuse(ErrorCode.INVALID_DT, "expected TRANSFER_RESP, got " + resp.dataType());
        }
        if (resp.header().csbId() != csbId || resp.header().prfFunc() != set.prf()) {
            throw refuse(ErrorCode.UNSPECIFIED, "TRANSFER_RESP does not answer this TRANSFER_INIT (CSB ID / PRF)");
        }
        Timestamp t = Exchanges.require(resp, Timestamp.class, "T");
        Timestamp initT = init.first(Timestamp.class).orElseThrow();
        if (t.equals(initT)) {
            throw refuse(ErrorCode.INVALID_TS, "TRANSFER_RESP reuses the Initiator's timestamp (RFC 6043: fresh T)");
        }
        Exchanges.checkSkew(ctx, t);
        Verification v = Exchanges.requireClosingV(resp);
        if (v.authAlg() != set.macAlg()) {
            throw refuse(ErrorCode.INVALID_HA, "TRANSFER_RESP MAC " + v.authAlg() + " outside " + set);
        }
        byte[] randRr = tp.has(TicketFlag.G) ? Exchanges.requireRandr(resp, RandRole.RANDRr).rand() : null;
        Idr idrr = Exchanges.requireIdr(resp, IdRole.IDRr);
        byte[] randRkms = Exchanges.requireRandr(resp, RandRole.RANDRkms).rand();
        ReplayKey rk = Exchanges.replayKey(idrr, resp, t);
        Exchanges.checkReplay(ctx, rk);

        KeyMaterial mpkrForked = KeyDerivation.forkMpkr(tpPrf, grant.mpkr(), idrr.data(), randRkms);
        try {
            KeyMaterial auth = KeyDerivation.authKey(set.prf(), mpkrForked, Direction.RESPONSE, csbId, randRi, randRr,
                    v.authAlg());
            try {
                Exchanges.verify(resp, auth, "TRANSFER_RESP", initBytes);
            } finally {
                auth.destroy();
            }
        } finally {
            mpkrForked.destroy();
        }
        Exchanges.recordReplay(ctx, rk);

        if (!(resp.header().csIdMap() instanceof GenericIdMap map)) {
            throw refuse(ErrorCode.UNSPECIFIED, "TRANSFER_RESP without a GENERIC-ID map");
        }
        List<SecurityPolicy> sps = resp.all(SecurityPolicy.class);
        Map<Integer, SrtpPolicy> policies = new LinkedHashMap<>();
        Map<Integer, Ssrc> ssrcs = new HashMap<>();
        byte[] tgkSpi = grant.tgkSpi();
        Set<NonMediaSession> answeredNonMedia = EnumSet.noneOf(NonMediaSession.class);
        for (GenericIdEntry e : map.entries()) {
            if (NonMediaSessions.isNonMedia(e)) {
                if (!answeredNonMedia.add(NonMediaSessions.checkAnswer(e, sps, offeredNonMedia, tgkSpi))) {
                    throw refuse(ErrorCode.UNSPECIFIED, "crypto session " + e.csId() + " appears twice");
                }
                continue;
            }
            if (!offeredSessions.contains(e.csId())) {
                throw refuse(ErrorCode.UNSPECIFIED, "TRANSFER_RESP adds crypto session " + e.csId());
            }
            SrtpPolicy policy = Sessions.answered(e, offeredPolicies, sps, set);
            if (e.ssrc().isEmpty()) {
                throw refuse(ErrorCode.UNSPECIFIED, "crypto session " + e.csId() + " without session data");
            }
            if (!MessageDigest.isEqual(e.spi(), tgkSpi)) {
                throw refuse(ErrorCode.UNSPECIFIED, "crypto session " + e.csId() + " SPI is not the TGK's");
            }
            policies.put(e.csId(), policy);
            ssrcs.put(e.csId(), e.ssrc().get());
        }
        if (policies.size() != offeredSessions.size() || !answeredNonMedia.equals(offeredNonMedia)) {
            throw refuse(ErrorCode.UNSPECIFIED, "TRANSFER_RESP drops crypto sessions");
        }
        KeyMaterial tgkForked = KeyDerivation.forkTgk(tpPrf, grant.tgk(), idrr.data(), randRkms);
        Map<Integer, SrtpKeys> keys;
        Map<NonMediaSession, KeyMaterial> nonMedia;
        byte[] ri = tp.has(TicketFlag.H) ? randRi : null;
        try {
            keys = Sessions.derive(set.prf(), tgkForked, policies, ri, randRr);
            nonMedia = NonMediaSessions.derive(set.prf(), tgkForked, answeredNonMedia, ri, randRr);
        } finally {
            tgkForked.destroy();
        }
        boolean named = tp.idrs(IdRole.IDRr).stream().anyMatch(x -> Arrays.equals(x.data(), idrr.data()));
        return new TransferResult(idrr.asString(), named, csbId, keys, ssrcs, nonMedia);
    }

    /** The algorithm set of the ticket in use. */
    public AlgorithmSet algorithmSet() {
        return set;
    }
}
