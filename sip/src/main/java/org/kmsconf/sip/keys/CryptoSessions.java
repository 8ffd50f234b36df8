package org.kmsconf.sip.keys;

import java.util.EnumMap;
import java.util.Map;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.exchange.NonMediaSession;
import org.kmsconf.mikey.exchange.TransferResponder;
import org.kmsconf.mikey.exchange.TransferResult;
import org.kmsconf.mikey.message.Ssrc;

/**
 * The two crypto sessions of the one audio m-line (RFC 4567 §3.1: two per m-line; docs/profile.md: CS 1 is the
 * initiator's stream, CS 2 the responder's), read out of a MIKEY exchange into the SIP layer's {@link Ssrcs} and
 * {@link Leg}.
 */
final class CryptoSessions {
    static final int CS_INITIATOR = 1;
    static final int CS_RESPONDER = 2;

    private CryptoSessions() { }

    /** The SSRCs a TRANSFER_INIT offers (unassigned where it leaves one open). */
    static Ssrcs offered(TransferResponder tr) {
        Ssrc cs1 = Ssrc.UNASSIGNED;
        Ssrc cs2 = Ssrc.UNASSIGNED;
        for (var e : tr.offeredSessions()) {
            Ssrc v = e.ssrc().orElse(Ssrc.UNASSIGNED);
            if (e.csId() == CS_INITIATOR) {
                cs1 = v;
            } else if (e.csId() == CS_RESPONDER) {
                cs2 = v;
            }
        }
        return new Ssrcs(cs1, cs2);
    }

    /**
     * The leg a completed exchange keyed: both sessions' SRTP keys and SSRCs, its non-media keys, and who the
     * responder was. The leg takes the result's keys over (it zeroes them when it is destroyed).
     */
    static Leg leg(String initiator, TransferResult r, byte[] transferResp) throws KeyManagementException {
        SrtpKeys cs1 = r.keys(CS_INITIATOR);
        SrtpKeys cs2 = r.keys(CS_RESPONDER);
        if (cs1 == null || cs2 == null) {
            throw new KeyManagementException(KeyManagementException.Reason.INVALID, ErrorCode.INVALID_SP,
                    "TRANSFER exchange without crypto sessions 1 and 2");
        }
        Ssrcs ssrcs = new Ssrcs(r.ssrc(CS_INITIATOR), r.ssrc(CS_RESPONDER));
        Map<NonMediaSession, KeyMaterial> nonMedia = new EnumMap<>(NonMediaSession.class);
        for (NonMediaSession s : r.nonMediaSessions()) {
            nonMedia.put(s, r.nonMediaKey(s).orElseThrow());
        }
        return new Leg(initiator, r.responderUri(), r.responderNamedInTicket(), ssrcs, cs1, cs2, transferResp,
                r.csbId(), nonMedia);
    }
}
