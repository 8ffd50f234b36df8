package org.kmsconf.sip.focus;

import java.net.InetSocketAddress;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.keys.Leg;

/**
 * What an operator may see of one participant's leg at the focus: the SIP dialog it runs on, the focus's relay
 * address for it, and for each direction the crypto session's id, SSRC, negotiated SRTP policy and key fingerprint.
 * Never a key: the fingerprint is {@link SrtpKeys#fingerprint()} (32 bits of a hash, enough to match two logs).
 *
 * @param dialogId the participant's call as the focus identifies it: {@code <Call-ID>;<participant's tag>}
 * @param callId the SIP Call-ID of that dialog
 * @param relayAddress the focus's media address for this leg (where the participant sends)
 * @param fromParticipant the participant -> focus crypto session
 * @param toParticipant the focus -> participant crypto session (relayed streams keep their own SSRCs: SSRC 0)
 */
public record LegDetails(String participant, String dialogId, String callId, InetSocketAddress relayAddress,
                         CryptoSession fromParticipant, CryptoSession toParticipant) {

    /** One direction of the leg (RFC 3830 crypto session): its CS id, SSRC, SRTP policy and key fingerprint. */
    public record CryptoSession(int csId, Ssrc ssrc, SrtpPolicy policy, String fingerprint) {
        static CryptoSession of(SrtpKeys keys, Ssrc ssrc) {
            return new CryptoSession(keys.csId(), ssrc, keys.policy(), keys.fingerprint());
        }
    }

    static LegDetails of(String participant, String dialogId, FocusLeg leg) {
        Leg keys = leg.keys();
        // CS 1 is the initiator's stream: the participant's when it called in, the focus's when it was called out.
        boolean participantInitiated = keys.initiator().equals(participant);
        SrtpKeys from = keys.keysSentBy(participant);
        SrtpKeys to = participantInitiated ? keys.cs2() : keys.cs1();
        Ssrc fromSsrc = participantInitiated ? keys.ssrcs().cs1() : keys.ssrcs().cs2();
        Ssrc toSsrc = participantInitiated ? keys.ssrcs().cs2() : keys.ssrcs().cs1();
        int semi = dialogId.lastIndexOf(';');
        return new LegDetails(participant, dialogId, semi < 0 ? dialogId : dialogId.substring(0, semi),
                leg.port().localAddress(), CryptoSession.of(from, fromSsrc), CryptoSession.of(to, toSsrc));
    }
}
