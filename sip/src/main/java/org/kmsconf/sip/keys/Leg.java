package org.kmsconf.sip.keys;

import org.kmsconf.mikey.crypto.SrtpKeys;

/**
 * The outcome of one TRANSFER exchange: who keyed with whom, the SSRCs and the SRTP keys of CS 1
 * (initiator -> responder) and CS 2 (responder -> initiator). {@code transferResp} is the TRANSFER_RESP bytes on
 * the responder's side (to send) and on the initiator's side (as received). {@code responderNamedInTicket}: the
 * authenticated responder is one of the ticket's IDRr (false when the KMS forked the keys for a focus URI under the
 * rule of a factory the ticket names: that is how a creator recognises the focus, flow 1 c).
 */
public record Leg(String initiator, String responder, boolean responderNamedInTicket, Ssrcs ssrcs, SrtpKeys cs1,
                  SrtpKeys cs2, byte[] transferResp) {
    public Leg {
        transferResp = transferResp.clone();
    }

    @Override
    public byte[] transferResp() {
        return transferResp.clone();
    }

    /** Keys for what {@code sender} sends. */
    public SrtpKeys keysSentBy(String sender) {
        return sender.equals(initiator) ? cs1 : cs2;
    }

    public void destroy() {
        cs1.destroy();
        cs2.destroy();
    }

    @Override
    public String toString() {
        return "Leg[" + initiator + " <-> " + responder + ", cs1=" + cs1 + " ssrc " + ssrcs.cs1() + ", cs2=" + cs2
                + " ssrc " + ssrcs.cs2() + "]";
    }
}
