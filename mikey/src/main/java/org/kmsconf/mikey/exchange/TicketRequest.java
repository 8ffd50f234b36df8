package org.kmsconf.mikey.exchange;

import static org.kmsconf.mikey.exchange.Exchanges.refuse;
import static org.kmsconf.mikey.exchange.Exchanges.utf8;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyDerivation.Direction;
import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.MessageKeys;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.EmptyMap;
import org.kmsconf.mikey.message.Header;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.Randr;
import org.kmsconf.mikey.payload.TicketFlag;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.Tr;
import org.kmsconf.mikey.payload.TrRole;
import org.kmsconf.mikey.payload.Verification;

/**
 * The Initiator's side of the Ticket Request exchange with PSK (RFC 6043 §4.2.1, §5.1):
 * <pre>
 * REQUEST_INIT_PSK = HDR, T, RANDRi, IDRi, IDRkms, TP, IDRpsk, V
 * REQUEST_RESP     = HDR, T, IDRkms, TICKET, KEMAC, V
 * </pre>
 * The V of REQUEST_INIT is keyed from the PSK (label 0x01, RANDRi) over the message without MAC || IDRi || IDRkms;
 * REQUEST_RESP's V and KEMAC use label 0x02 and its V covers the whole REQUEST_INIT. No I/O: the caller carries
 * {@link #message()} to the KMS and hands the answer to {@link #processResponse}.
 */
public final class TicketRequest {

    /**
     * What to ask for. {@code flags} is {@link Profile#FLAGS} for every conferencing ticket; {@code validFrom} and
     * {@code validTo} may be null (the KMS then applies its own validity).
     */
    public record Spec(String initiatorUri, String kmsUri, byte[] pskId, List<String> responders, AlgorithmSet set,
            Instant validFrom, Instant validTo, Set<TicketFlag> flags) {
        public Spec {
            Objects.requireNonNull(initiatorUri, "initiatorUri");
            Objects.requireNonNull(kmsUri, "kmsUri");
            pskId = pskId.clone();
            responders = List.copyOf(responders);
            if (responders.isEmpty()) {
                throw new IllegalArgumentException("a ticket names at least one responder (IDRr)");
            }
            Objects.requireNonNull(set, "set");
            flags = Set.copyOf(flags);
        }

        /** A conferencing ticket request with the profile's flags and the KMS's default validity. */
        public static Spec conferencing(String initiatorUri, String kmsUri, byte[] pskId, List<String> responders,
                AlgorithmSet set) {
            return new Spec(initiatorUri, kmsUri, pskId, responders, set, null, null, Profile.FLAGS);
        }

        @Override
        public byte[] pskId() {
            return pskId.clone();
        }
    }

    private final Spec spec;
    private final KeyMaterial psk;
    private final PartyContext ctx;
    private final byte[] randRi;
    private final byte[] requestBytes;
    private final MikeyMessage request;

    private TicketRequest(Spec spec, KeyMaterial psk, PartyContext ctx) {
        this(spec, List.of(), psk, ctx);
    }

    private TicketRequest(Spec spec, List<KeyData> keyTemplates, KeyMaterial psk, PartyContext ctx) {
        this.spec = spec;
        this.psk = psk;
        this.ctx = ctx;
        AlgorithmSet set = spec.set();
        this.randRi = ctx.randomBytes(set.randBytes());
        int csbId = ctx.randomInt();
        Idr idri = Idr.uri(IdRole.IDRi, spec.initiatorUri());
        Idr idrkms = Idr.uri(IdRole.IDRkms, spec.kmsUri());
        List<Payload> tpData = new ArrayList<>();
        tpData.add(idrkms);
        tpData.add(idri);
        if (spec.validFrom() != null) {
            tpData.add(Tr.ntpUtc(TrRole.TRs, spec.validFrom()));
        }
        if (spec.validTo() != null) {
            tpData.add(Tr.ntpUtc(TrRole.TRe, spec.validTo()));
        }
        if (!keyTemplates.isEmpty()) {
            // RFC 6043 §6.10: the keys wanted, as NULL-encrypted, NULL-MAC Key data templates (key bytes zero)
            tpData.add(new Kemac(EncrAlg.NULL, KeyData.encodeChain(keyTemplates), MacAlg.NULL, new byte[0]));
        }
        for (String r : spec.responders()) {
            tpData.add(Idr.uri(IdRole.IDRr, r));
        }
        TicketPolicy tp = new TicketPolicy(Profile.TICKET_TYPE, Profile.TICKET_SUBTYPE, Profile.TICKET_VERSION,
                set.prf(), spec.flags(), tpData);
        // RFC 6043 §4.2.1.1 / §6.1: V = 1 in REQUEST_INIT (ignored on receipt), #CS = 0, Empty map.
        Header h = new Header(DataType.REQUEST_INIT_PSK, true, set.prf(), csbId, EmptyMap.NONE);
        MikeyMessage unsigned = new MikeyMessage(h, List.of(Exchanges.freshTimestamp(ctx, null),
                new Randr(RandRole.RANDRi, randRi), idri, idrkms, tp,
                Idr.byteString(IdRole.IDRpsk, spec.pskId()), Verification.unsigned(set.macAlg())));
        KeyMaterial auth = KeyDerivation.authKey(set.prf(), psk, Direction.INITIAL, csbId, randRi, null,
                set.macAlg());
        try {
            this.request = Exchanges.signed(unsigned, auth, utf8(spec.initiatorUri()), utf8(spec.kmsUri()));
        } finally {
            auth.destroy();
        }
        this.requestBytes = MikeyCodec.encode(request);
    }

    /** Builds REQUEST_INIT_PSK. {@code psk} stays owned by the caller. */
    public static TicketRequest create(Spec spec, KeyMaterial psk, PartyContext ctx) {
        return new TicketRequest(spec, psk, ctx);
    }

    /**
     * Builds REQUEST_INIT_PSK whose TP carries a KEMAC of key-data templates (RFC 6043 §6.10): the type, length and KV
     * of the keys wanted, key bytes zero, e.g. one {@code TGK_SALT} with a 16-byte key and a 14-byte salt. The KMS
     * fills them or refuses with 15 Invalid TPpar.
     */
    public static TicketRequest create(Spec spec, List<KeyData> keyTemplates, KeyMaterial psk, PartyContext ctx) {
        return new TicketRequest(spec, List.copyOf(keyTemplates), psk, ctx);
    }

    /** The REQUEST_INIT_PSK bytes to send to the KMS. */
    public byte[] message() {
        return requestBytes.clone();
    }

    public int csbId() {
        return request.header().csbId();
    }

    /**
     * Checks REQUEST_RESP (V over it and the whole REQUEST_INIT, fresh T within the skew) and opens its KEMAC.
     * An error message from the KMS becomes a {@link org.kmsconf.mikey.MikeyException} with the KMS's error code.
     */
    public TicketGrant processResponse(byte[] responseBytes) {
        MikeyMessage resp = MikeyCodec.decode(responseBytes);
        AlgorithmSet set = spec.set();
        int csbId = csbId();
        if (resp.dataType() == DataType.ERROR) {
            KeyMaterial auth = KeyDerivation.authKey(set.prf(), psk, Direction.INITIAL, csbId, randRi, null,
                    set.macAlg());
            try {
                throw ErrorMessages.parseAndVerify(resp, auth).toException("KMS");
            } finally {
                auth.destroy();
            }
        }
        if (resp.dataType() != DataType.REQUEST_RESP) {
            throw refuse(ErrorCode.INVALID_DT, "expected REQUEST_RESP, got " + resp.dataType());
        }
        if (resp.header().csbId() != csbId || resp.header().prfFunc() != set.prf()) {
            throw refuse(ErrorCode.UNSPECIFIED, "REQUEST_RESP does not answer this request (CSB ID / PRF)");
        }
        Timestamp t = Exchanges.require(resp, Timestamp.class, "T");
        Exchanges.checkSkew(ctx, t);
        Verification v = Exchanges.requireClosingV(resp);
        if (v.authAlg() != set.macAlg()) {
            throw refuse(ErrorCode.INVALID_HA, "REQUEST_RESP MAC " + v.authAlg() + " outside " + set);
        }
        KeyMaterial auth = KeyDerivation.authKey(set.prf(), psk, Direction.RESPONSE, csbId, randRi, null,
                v.authAlg());
        try {
            Exchanges.verify(resp, auth, "REQUEST_RESP", requestBytes);
        } finally {
            auth.destroy();
        }
        Idr kms = Exchanges.requireIdr(resp, IdRole.IDRkms);
        if (!kms.asString().equals(spec.kmsUri())) {
            throw refuse(ErrorCode.INVALID_ID, "REQUEST_RESP from another KMS");
        }
        Exchanges.recordReplay(ctx, Exchanges.replayKey(kms, resp, t));
        TicketPayload ticket = Exchanges.require(resp, TicketPayload.class, "TICKET");
        if (!ticket.policy().has(TicketFlag.I) && spec.flags().contains(TicketFlag.I)) {
            throw refuse(ErrorCode.INVALID_TPPAR, "granted ticket has no key forking");
        }
        List<String> granted = ticket.policy().idrs(IdRole.IDRr).stream().map(Idr::asString).toList();
        if (!granted.equals(spec.responders())) {
            throw refuse(ErrorCode.INVALID_TPPAR, "granted ticket names other responders than requested");
        }
        Kemac kemac = Exchanges.require(resp, Kemac.class, "KEMAC");
        Exchanges.requireEncrAlg(kemac, set);
        MessageKeys keys = KeyDerivation.messageKeys(set.prf(), psk, Direction.RESPONSE, csbId, randRi, null,
                kemac.encrAlg(), MacAlg.NULL);
        List<KeyData> kd;
        try {
            kd = Exchanges.decryptKeys(keys, csbId, t, kemac);
        } finally {
            keys.destroy();
        }
        try {
            // RFC 6043 §5.1: KEMAC = MPKi || [MPKr] || {TEK|TGK|GTGK}; MPKr present with forking.
            KeyData mpki = Exchanges.keyOfType(kd, KeyDataType.MPK, 0, ErrorCode.UNSPECIFIED);
            KeyData mpkr = Exchanges.keyOfType(kd, KeyDataType.MPK, 1, ErrorCode.UNSPECIFIED);
            KeyData tgk = Exchanges.tgkOf(kd, ErrorCode.UNSPECIFIED);
            return new TicketGrant(ticket, set, Exchanges.keyOf(mpki), Exchanges.keyOf(mpkr), Exchanges.keyOf(tgk),
                    Exchanges.spiOf(tgk, ErrorCode.UNSPECIFIED));
        } finally {
            kd.forEach(KeyData::destroy);
        }
    }
}
