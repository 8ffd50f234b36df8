package org.kmsconf.mikey.exchange;

import static org.kmsconf.mikey.exchange.Exchanges.refuse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.message.GenericIdEntry;
import org.kmsconf.mikey.message.GenericIdMap;
import org.kmsconf.mikey.payload.SecurityPolicy;
import org.kmsconf.mikey.payload.SrtpParam;

/** Crypto sessions of the Ticket Transfer exchange: the GENERIC-ID map, SRTP policies and the TEK derivation. */
final class Sessions {
    private Sessions() {
    }

    /**
     * The offered map: per audio m-line k, CS 2k+1 (the Initiator's outgoing stream, its SSRC if known) and CS 2k+2
     * (the Responder's, filled in by it), both with policy 0 and the TGK's SPI (PROFILE.md).
     */
    static GenericIdMap offer(List<Integer> initiatorSsrcs, byte[] tgkSpi) {
        List<GenericIdEntry> list = new ArrayList<>();
        for (int k = 0; k < initiatorSsrcs.size(); k++) {
            Integer ssrc = initiatorSsrcs.get(k);
            GenericIdEntry own = GenericIdEntry.srtpWithoutSessionData(2 * k + 1, List.of(0));
            list.add((ssrc == null ? own : own.withSsrc(ssrc)).withSpi(tgkSpi));
            list.add(GenericIdEntry.srtpWithoutSessionData(2 * k + 2, List.of(0)).withSpi(tgkSpi));
        }
        return new GenericIdMap(list);
    }

    /** Is an SRTP policy one this implementation can run with the algorithm set? (AES-CM, HMAC-SHA-1, AES-CM PRF) */
    static boolean acceptable(SecurityPolicy sp, AlgorithmSet set) {
        if (sp.protType() != SecurityPolicy.PROT_SRTP) {
            return false;
        }
        long keyLen = sp.value(SrtpParam.SESSION_ENCR_KEY_LENGTH, 16);
        return sp.value(SrtpParam.ENCRYPTION_ALGORITHM, 1) == 1
                && (keyLen == 16 || keyLen == 32) && keyLen <= set.keyBytes()
                && sp.value(SrtpParam.AUTHENTICATION_ALGORITHM, 1) == 1
                && sp.value(SrtpParam.SRTP_PSEUDO_RANDOM_FUNCTION, 0) == 0
                && sp.value(SrtpParam.SESSION_SALT_KEY_LENGTH, 14) == Profile.MASTER_SALT_BYTES;
    }

    /** The policy number each crypto session will use: its first acceptable offered policy, else Invalid SP. */
    static Map<Integer, SecurityPolicy> choose(GenericIdMap map, List<SecurityPolicy> sps, AlgorithmSet set) {
        Map<Integer, SecurityPolicy> chosen = new LinkedHashMap<>();
        for (GenericIdEntry e : map.entries()) {
            if (!e.isSrtp()) {
                throw refuse(ErrorCode.INVALID_SP, "crypto session " + e.csId() + " is not SRTP");
            }
            SecurityPolicy pick = null;
            for (int no : e.policyNos()) {
                SecurityPolicy sp = sps.stream().filter(s -> s.policyNo() == no).findFirst()
                        .orElseThrow(() -> refuse(ErrorCode.INVALID_SP, "crypto session " + e.csId()
                                + " names missing policy " + no));
                if (acceptable(sp, set)) {
                    pick = sp;
                    break;
                }
            }
            if (pick == null) {
                throw refuse(ErrorCode.INVALID_SP, "no acceptable SRTP policy for crypto session " + e.csId());
            }
            if (chosen.put(e.csId(), pick) != null) {
                throw refuse(ErrorCode.UNSPECIFIED, "crypto session " + e.csId() + " appears twice");
            }
        }
        if (chosen.isEmpty()) {
            throw refuse(ErrorCode.UNSPECIFIED, "no crypto sessions");
        }
        return chosen;
    }

    /**
     * SRTP master key and salt per crypto session from the (forked) TGK (RFC 6043 §6.1 TEK label): CS ID from the
     * GENERIC-ID map, RANDRi iff H, RANDRr iff G, key length from the policy, 14-byte salt.
     */
    static Map<Integer, SrtpKeys> derive(PrfFunc prf, KeyMaterial tgk, Map<Integer, SecurityPolicy> policies,
            byte[] randRi, byte[] randRr) {
        Map<Integer, SrtpKeys> out = new LinkedHashMap<>();
        policies.forEach((cs, sp) -> out.put(cs, KeyDerivation.srtpKeys(prf, tgk, cs, randRi, randRr,
                (int) sp.value(SrtpParam.SESSION_ENCR_KEY_LENGTH, 16), Profile.MASTER_SALT_BYTES)));
        return out;
    }
}
