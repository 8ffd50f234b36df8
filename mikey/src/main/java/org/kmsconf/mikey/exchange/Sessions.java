package org.kmsconf.mikey.exchange;

import static org.kmsconf.mikey.exchange.Exchanges.refuse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.GenericIdEntry;
import org.kmsconf.mikey.message.GenericIdMap;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.payload.SecurityPolicy;

/** Crypto sessions of the Ticket Transfer exchange: the GENERIC-ID map, SRTP policy choice and the TEK derivation. */
final class Sessions {
    private Sessions() {
    }

    /** The SRTP policy of a crypto session: the SP payload as offered (echoed in TRANSFER_RESP) and what it says. */
    record Chosen(SecurityPolicy sp, SrtpPolicy policy) {
    }

    /**
     * The offered map: per audio m-line k, CS 2k+1 (the Initiator's outgoing stream, its SSRC if known) and CS 2k+2
     * (the Responder's, filled in by it), each offering policies 0 .. {@code policies - 1} in order of preference
     * and carrying the TGK's SPI (docs/profile.md).
     */
    static GenericIdMap offer(List<Ssrc> initiatorSsrcs, byte[] tgkSpi, int policies) {
        List<Integer> nos = new ArrayList<>();
        for (int no = 0; no < policies; no++) {
            nos.add(no);
        }
        List<GenericIdEntry> list = new ArrayList<>();
        for (int k = 0; k < initiatorSsrcs.size(); k++) {
            Ssrc ssrc = initiatorSsrcs.get(k);
            GenericIdEntry own = GenericIdEntry.srtpWithoutSessionData(2 * k + 1, nos);
            list.add((ssrc == null ? own : own.withSsrc(ssrc)).withSpi(tgkSpi));
            list.add(GenericIdEntry.srtpWithoutSessionData(2 * k + 2, nos).withSpi(tgkSpi));
        }
        return new GenericIdMap(list);
    }

    /** SP payloads offering {@code policies} in order of preference, numbered 0, 1, ... */
    static List<SecurityPolicy> offeredPolicies(List<SrtpPolicy> policies) {
        List<SecurityPolicy> sps = new ArrayList<>();
        for (SrtpPolicy p : policies) {
            sps.add(SecurityPolicy.srtp(sps.size(), p));
        }
        return sps;
    }

    /**
     * The SRTP policy an SP payload describes, if this implementation runs it under the algorithm set: error 10
     * <i>Invalid SPpar</i> (RFC 3830 §6.12 "SP parameters not supported") otherwise.
     */
    static SrtpPolicy policyOf(SecurityPolicy sp, AlgorithmSet set) {
        SrtpPolicy p = sp.srtpPolicy();
        if (!set.allows(p)) {
            throw refuse(ErrorCode.INVALID_SPPAR, "policy " + sp.policyNo() + ": " + p + " needs "
                    + p.masterKeyLength() * 8 + "-bit keys, the " + set + " algorithm set keys "
                    + set.keyBytes() * 8 + "-bit ones (RFC 6043 §6.2)");
        }
        return p;
    }

    /**
     * The Responder's choice for every crypto session: the first of its offered policies (in the order the map lists
     * them) that {@link #policyOf} accepts. A crypto session that is not SRTP, names a policy no SP payload carries,
     * or a policy number two SP payloads carry, is error 9 <i>Invalid SP</i>; one whose every alternative is refused
     * is error 10 <i>Invalid SPpar</i> with each alternative's reason.
     */
    static Map<Integer, Chosen> choose(GenericIdMap map, List<SecurityPolicy> sps, AlgorithmSet set) {
        Set<Integer> numbers = new HashSet<>();
        for (SecurityPolicy sp : sps) {
            if (!numbers.add(sp.policyNo())) {
                throw refuse(ErrorCode.INVALID_SP, "two SP payloads are policy " + sp.policyNo());
            }
        }
        Map<Integer, Chosen> chosen = new LinkedHashMap<>();
        for (GenericIdEntry e : map.entries()) {
            if (!e.isSrtp()) {
                throw refuse(ErrorCode.INVALID_SP, "crypto session " + e.csId() + " is not SRTP");
            }
            if (chosen.put(e.csId(), chooseFor(e, sps, set)) != null) {
                throw refuse(ErrorCode.UNSPECIFIED, "crypto session " + e.csId() + " appears twice");
            }
        }
        if (chosen.isEmpty()) {
            throw refuse(ErrorCode.UNSPECIFIED, "no crypto sessions");
        }
        return chosen;
    }

    private static Chosen chooseFor(GenericIdEntry e, List<SecurityPolicy> sps, AlgorithmSet set) {
        if (e.policyNos().isEmpty()) {
            throw refuse(ErrorCode.INVALID_SP, "crypto session " + e.csId() + " offers no policy");
        }
        List<SecurityPolicy> alternatives = new ArrayList<>();
        for (int no : e.policyNos()) {
            alternatives.add(numbered(sps, no).orElseThrow(() -> refuse(ErrorCode.INVALID_SP,
                    "crypto session " + e.csId() + " names policy " + no + ", which no SP payload carries")));
        }
        List<String> refused = new ArrayList<>();
        for (SecurityPolicy sp : alternatives) {
            try {
                return new Chosen(sp, policyOf(sp, set));
            } catch (MikeyException x) {
                refused.add(x.getMessage());
            }
        }
        throw refuse(ErrorCode.INVALID_SPPAR, "no acceptable SRTP policy for crypto session " + e.csId() + ": "
                + String.join("; ", refused));
    }

    /**
     * The Initiator's reading of the policy a TRANSFER_RESP names for a crypto session: exactly one, one of those
     * offered for it, and an SP payload with that number in the response (if any) must describe the same policy;
     * otherwise error 9 <i>Invalid SP</i>.
     */
    static SrtpPolicy answered(GenericIdEntry e, List<SecurityPolicy> offered, List<SecurityPolicy> inResponse,
            AlgorithmSet set) {
        if (e.policyNos().size() != 1) {
            throw refuse(ErrorCode.INVALID_SP, "crypto session " + e.csId() + " must name exactly one policy");
        }
        int no = e.policyNos().get(0);
        SecurityPolicy mine = numbered(offered, no).orElseThrow(() -> refuse(ErrorCode.INVALID_SP,
                "crypto session " + e.csId() + " names policy " + no + ", which was not offered"));
        SrtpPolicy policy = policyOf(mine, set);
        Optional<SecurityPolicy> echoed = numbered(inResponse, no);
        if (echoed.isPresent() && !sameSrtpPolicy(echoed.get(), policy)) {
            throw refuse(ErrorCode.INVALID_SP, "TRANSFER_RESP changes policy " + no + " of crypto session "
                    + e.csId());
        }
        return policy;
    }

    private static boolean sameSrtpPolicy(SecurityPolicy sp, SrtpPolicy policy) {
        try {
            return sp.srtpPolicy() == policy;
        } catch (MikeyException e) {
            return false;
        }
    }

    private static Optional<SecurityPolicy> numbered(List<SecurityPolicy> sps, int no) {
        return sps.stream().filter(s -> s.policyNo() == no).findFirst();
    }

    /**
     * SRTP master key and salt per crypto session from the (forked) TGK (RFC 6043 §6.1 TEK label): CS ID from the
     * GENERIC-ID map, RANDRi iff H, RANDRr iff G, key and salt lengths from the crypto session's policy, which the
     * keys carry from here on.
     */
    static Map<Integer, SrtpKeys> derive(PrfFunc prf, KeyMaterial tgk, Map<Integer, SrtpPolicy> policies,
            byte[] randRi, byte[] randRr) {
        Map<Integer, SrtpKeys> out = new LinkedHashMap<>();
        policies.forEach((cs, p) -> out.put(cs, KeyDerivation.srtpKeys(prf, tgk, cs, randRi, randRr, p)));
        return out;
    }
}
