package org.kmsconf.mikey.exchange;

import static org.kmsconf.mikey.exchange.Exchanges.refuse;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.message.GenericIdEntry;
import org.kmsconf.mikey.message.GenericIdMap;
import org.kmsconf.mikey.payload.SecurityPolicy;

/**
 * The non-media crypto sessions (CS 0xB0, 0xE0) of the Ticket Transfer exchange: what the Initiator offers, how the
 * Responder accepts them, how the Initiator checks the answer, and their keys (docs/profile.md §6, kmsconf extension).
 * The SRTP sessions stay with {@link Sessions}.
 */
final class NonMediaSessions {
    private NonMediaSessions() {
    }

    /** Is this entry one of ours, by CS ID or by a non-SRTP Prot type? (Anything else is an SRTP session.) */
    static boolean isNonMedia(GenericIdEntry e) {
        return !e.isSrtp() || NonMediaSession.ofCsId(e.csId()) != null;
    }

    /** The map without the non-media entries, for {@link Sessions#choose}. */
    static GenericIdMap srtpOnly(GenericIdMap map) {
        return new GenericIdMap(map.entries().stream().filter(e -> !isNonMedia(e)).toList());
    }

    /** Offered entries (S = 0, the session's own policy, no session data, the TGK's SPI), in CS ID order. */
    static List<GenericIdEntry> offer(Set<NonMediaSession> sessions, byte[] tgkSpi) {
        List<GenericIdEntry> out = new ArrayList<>();
        for (NonMediaSession s : NonMediaSession.values()) {
            if (sessions.contains(s)) {
                out.add(GenericIdEntry.withoutSessionData(s.csId(), s.protType(), List.of(s.policyNo()))
                        .withSpi(tgkSpi));
            }
        }
        return out;
    }

    /** The SP payload of a session: its Prot type, zero-length parameters. */
    static SecurityPolicy policy(NonMediaSession s) {
        return SecurityPolicy.withoutParams(s.policyNo(), s.protType());
    }

    /**
     * The Responder's choice for the non-media entries of TRANSFER_INIT: each must be a known CS ID with its own Prot
     * type and name a policy of that Prot type with no parameters; otherwise Invalid SP (docs/profile.md).
     */
    static Map<NonMediaSession, SecurityPolicy> choose(GenericIdMap map, List<SecurityPolicy> sps) {
        Map<NonMediaSession, SecurityPolicy> chosen = new EnumMap<>(NonMediaSession.class);
        for (GenericIdEntry e : map.entries()) {
            if (!isNonMedia(e)) {
                continue;
            }
            NonMediaSession s = sessionOf(e);
            SecurityPolicy pick = null;
            for (int no : e.policyNos()) {
                SecurityPolicy sp = sps.stream().filter(x -> x.policyNo() == no).findFirst()
                        .orElseThrow(() -> refuse(ErrorCode.INVALID_SP, "crypto session " + e.csId()
                                + " names missing policy " + no));
                if (acceptable(sp, s)) {
                    pick = sp;
                    break;
                }
            }
            if (pick == null) {
                throw refuse(ErrorCode.INVALID_SP, "no acceptable " + s.protType() + " policy for crypto session "
                        + e.csId());
            }
            if (chosen.put(s, pick) != null) {
                throw refuse(ErrorCode.UNSPECIFIED, "crypto session " + e.csId() + " appears twice");
            }
        }
        return chosen;
    }

    /**
     * The Initiator's check of one non-media entry of TRANSFER_RESP: offered, one policy of the session's Prot type
     * without parameters, no session data (the decoder already refuses any), the TGK's SPI.
     */
    static NonMediaSession checkAnswer(GenericIdEntry e, List<SecurityPolicy> sps, Set<NonMediaSession> offered,
            byte[] tgkSpi) {
        NonMediaSession s = sessionOf(e);
        if (!offered.contains(s)) {
            throw refuse(ErrorCode.UNSPECIFIED, "TRANSFER_RESP adds crypto session " + e.csId());
        }
        if (e.policyNos().size() != 1) {
            throw refuse(ErrorCode.INVALID_SP, "crypto session " + e.csId() + " must name exactly one policy");
        }
        int no = e.policyNos().get(0);
        SecurityPolicy sp = sps.stream().filter(x -> x.policyNo() == no).findFirst()
                .orElse(no == s.policyNo() ? policy(s) : null);
        if (sp == null || !acceptable(sp, s)) {
            throw refuse(ErrorCode.INVALID_SP, "crypto session " + e.csId() + " policy " + no + " unusable");
        }
        if (!MessageDigest.isEqual(e.spi(), tgkSpi)) {
            throw refuse(ErrorCode.UNSPECIFIED, "crypto session " + e.csId() + " SPI is not the TGK's");
        }
        return s;
    }

    /**
     * K(cs) = PRF(TGK', TEK label with the session's CS ID), as long as the TGK; RANDRi iff H, RANDRr iff G, as for
     * the SRTP keys.
     */
    static Map<NonMediaSession, KeyMaterial> derive(PrfFunc prf, KeyMaterial tgk, Set<NonMediaSession> sessions,
            byte[] randRi, byte[] randRr) {
        Map<NonMediaSession, KeyMaterial> out = new EnumMap<>(NonMediaSession.class);
        for (NonMediaSession s : sessions) {
            out.put(s, KeyDerivation.tek(prf, tgk, s.csId(), randRi, randRr, tgk.length()));
        }
        return out;
    }

    private static NonMediaSession sessionOf(GenericIdEntry e) {
        NonMediaSession s = NonMediaSession.ofCsId(e.csId());
        if (s == null || s.protType().value() != e.protType()) {
            throw refuse(ErrorCode.INVALID_SP, "crypto session " + e.csId() + " with prot type " + e.protType()
                    + " is outside the profile");
        }
        return s;
    }

    private static boolean acceptable(SecurityPolicy sp, NonMediaSession s) {
        return sp.protType() == s.protType().value() && sp.params().isEmpty();
    }
}
