package org.kmsconf.mikey.exchange;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.Macs;
import org.kmsconf.mikey.crypto.MessageKeys;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.Header;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.Randr;
import org.kmsconf.mikey.payload.TicketFlag;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.TrRole;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.ticket.BaseTicket;
import org.kmsconf.mikey.ticket.InitiatorData;

/**
 * Ticket Resolve at the KMS (RFC 6043 §5.3, §6.10, App. A): opens and verifies a base ticket this KMS issued,
 * checks its validity, its Initiator Data and that the resolver may have it, asks the directory, and answers with
 * MPKi and the MPKr and TGK forked for the resolver.
 */
final class TicketResolver {
    private final KmsSettings settings;
    private final KmsDirectory directory;
    private final PartyContext ctx;
    private final KmsAuthenticator auth;

    TicketResolver(KmsSettings settings, KmsDirectory directory, PartyContext ctx, KmsAuthenticator auth) {
        this.settings = settings;
        this.directory = directory;
        this.ctx = ctx;
        this.auth = auth;
    }

    /** Answers a RESOLVE_INIT_PSK with a RESOLVE_RESP holding the forked keys, or throws the refusal. */
    KmsResult resolve(MikeyMessage m, byte[] requestBytes, KmsAttempt a) {
        a.exchange = KmsOutcome.Exchange.RESOLVE;
        KmsInitial<TicketPayload> in = auth.read(m, requestBytes, a, RandRole.RANDRr, IdRole.IDRr, TicketPayload.class,
                "TICKET");
        Idr idrr = in.sender();
        AlgorithmSet set = in.set();
        KmsDirectory.UserKey uk = in.key();
        TicketPayload ticket = in.body();
        TicketPolicy tp = ticket.policy();
        KmsTicketPolicy.checkType(tp);
        if (!KmsTicketPolicy.uris(tp.idrs(IdRole.IDRkms)).contains(settings.kmsUri())) {
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
                ticketKeys = Exchanges.decryptKeys(tk, KmsKemacs.TICKET_CSB_ID, bt.t(), bt.kemac());
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
            a.responders = KmsTicketPolicy.uris(tp.idrs(IdRole.IDRr));
            Instant now = ctx.clock().instant();
            Optional<Instant> from = KmsTicketPolicy.time(tp, TrRole.TRs);
            Optional<Instant> to = KmsTicketPolicy.time(tp, TrRole.TRe);
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
            auth.record(a, m, idrr);
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
            Kemac kemac = KmsKemacs.encrypt(keys, in.csbId(), rt, KmsKemacs.keyData(KeyDataType.MPK, mpki, mpkSpi),
                    KmsKemacs.keyData(KeyDataType.MPK, mpkrForked, mpkSpi), tgk.keyData(tgkForked));
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
    private void authorizeResolver(String user, String resolverUri, KmsAttempt a) {
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
}
