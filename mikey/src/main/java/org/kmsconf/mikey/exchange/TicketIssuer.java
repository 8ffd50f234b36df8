package org.kmsconf.mikey.exchange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.Macs;
import org.kmsconf.mikey.crypto.MessageKeys;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.Header;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.Rand;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.TicketFlag;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.Tr;
import org.kmsconf.mikey.payload.TrRole;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.ticket.BaseTicket;

/**
 * Ticket Request at the KMS (RFC 6043 §5.1, App. A): checks the requested ticket policy against the profile and the
 * KMS's limits, asks the directory, draws MPK and TGK, issues the base ticket under the current ticket protection
 * key and answers with MPKi, MPKr and the TGK in the response's KEMAC.
 */
final class TicketIssuer {
    private final KmsSettings settings;
    private final KmsDirectory directory;
    private final PartyContext ctx;
    private final KmsAuthenticator auth;

    TicketIssuer(KmsSettings settings, KmsDirectory directory, PartyContext ctx, KmsAuthenticator auth) {
        this.settings = settings;
        this.directory = directory;
        this.ctx = ctx;
        this.auth = auth;
    }

    /** Answers a REQUEST_INIT_PSK with a REQUEST_RESP holding the ticket, or throws the refusal. */
    KmsResult issue(MikeyMessage m, byte[] requestBytes, KmsAttempt a) {
        a.exchange = KmsOutcome.Exchange.REQUEST;
        KmsInitial<TicketPolicy> in = auth.read(m, requestBytes, a, RandRole.RANDRi, IdRole.IDRi, TicketPolicy.class,
                "TP");
        Idr idri = in.sender();
        AlgorithmSet set = in.set();
        KmsDirectory.UserKey uk = in.key();
        TicketPolicy tp = in.body();
        KmsTicketPolicy.checkType(tp);
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
        a.responders = KmsTicketPolicy.uris(responders);
        if (responders.isEmpty()) {
            throw KmsRefusal.NO_RESPONDER.refuse("ticket request names no responder (IDRr)");
        }
        Instant now = ctx.clock().instant();
        Instant from = KmsTicketPolicy.time(tp, TrRole.TRs).orElse(now);
        Instant to = KmsTicketPolicy.time(tp, TrRole.TRe).orElse(from.plus(settings.defaultTicketLifetime()));
        if (!to.isAfter(from) || to.isBefore(now)) {
            throw KmsRefusal.VALIDITY_REFUSED.refuse("ticket validity " + from + " .. " + to + " is empty or past");
        }
        if (to.isAfter(now.plus(settings.maxTicketLifetime()))) {
            throw KmsRefusal.VALIDITY_REFUSED.refuse("ticket validity longer than the KMS grants ("
                    + settings.maxTicketLifetime() + ")");
        }
        auth.record(a, m, idri);
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
            Kemac kemac = KmsKemacs.encrypt(keys, in.csbId(), rt, KmsKemacs.keyData(KeyDataType.MPK, mpki, mpkSpi),
                    KmsKemacs.keyData(KeyDataType.MPK, mpkr, mpkSpi), tgk.keyData(tgk.key));
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

    /** Base ticket (RFC 6043 App. A): THDR, T, RAND, KEMAC(MPK || TGK, TPK keys, NULL MAC), IDRpsk(TPK id), V. */
    private TicketPayload issueTicket(TicketPolicy tp, AlgorithmSet set, KeyMaterial mpk, byte[] mpkSpi, Tgk tgk,
            byte[] ticketRand, Instant now) {
        TicketProtectionKeys.Tpk tpk = settings.tpks().current();
        Timestamp tt = Timestamp.ntpUtc(now);
        MessageKeys tk = KeyDerivation.ticketKeys(tp.prfFunc(), tpk.key(), ticketRand, set.encrAlg(), set.macAlg());
        try {
            Kemac kemac = KmsKemacs.encrypt(tk, KmsKemacs.TICKET_CSB_ID, tt,
                    KmsKemacs.keyData(KeyDataType.MPK, mpk, mpkSpi), tgk.keyData(tgk.key));
            BaseTicket bt = new BaseTicket(new byte[0], tt, new Rand(ticketRand), kemac,
                    Optional.of(Idr.byteString(IdRole.IDRpsk, tpk.id())), Verification.unsigned(set.macAlg()));
            TicketPayload unsigned = new TicketPayload(tp, bt.encode(), new byte[0]);
            byte[] mac = Macs.compute(set.macAlg(), tk.authKey(), unsigned.ticketMacInput(set.macAlg().macBytes()));
            return new TicketPayload(tp, bt.withV(new Verification(set.macAlg(), mac)).encode(), new byte[0]);
        } finally {
            tk.destroy();
        }
    }
}
