package org.kmsconf.sip.keys;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.exchange.NonMediaSession;

/**
 * The outcome of one TRANSFER exchange: who keyed with whom, the SSRCs and the SRTP keys of CS 1
 * (initiator -> responder) and CS 2 (responder -> initiator), and on a leg with a focus the keys of its non-media
 * crypto sessions (docs/profile.md §6: the event package's KEK, and the BFCP TLS PSK when the leg has floor
 * control), named by the exchange's CSB ID. {@code transferResp} is the TRANSFER_RESP bytes on the responder's side
 * (to send) and on the initiator's side (as received). {@code responderNamedInTicket}: the authenticated responder
 * is one of the ticket's IDRr (false when the KMS forked the keys for a focus URI under the rule of a factory the
 * ticket names: that is how a creator recognises the focus, flow 1 c). The leg owns every key it holds:
 * {@link #destroy()} zeroes them.
 */
public record Leg(String initiator, String responder, boolean responderNamedInTicket, Ssrcs ssrcs, SrtpKeys cs1,
                  SrtpKeys cs2, byte[] transferResp, int csbId, Map<NonMediaSession, KeyMaterial> nonMedia) {
    public Leg {
        transferResp = transferResp.clone();
        Map<NonMediaSession, KeyMaterial> nm = new EnumMap<>(NonMediaSession.class);
        nm.putAll(nonMedia);
        nonMedia = java.util.Collections.unmodifiableMap(nm);
    }

    /** A leg between two users: SRTP keys only. */
    public Leg(String initiator, String responder, boolean responderNamedInTicket, Ssrcs ssrcs, SrtpKeys cs1,
               SrtpKeys cs2, byte[] transferResp) {
        this(initiator, responder, responderNamedInTicket, ssrcs, cs1, cs2, transferResp, 0, Map.of());
    }

    @Override
    public byte[] transferResp() {
        return transferResp.clone();
    }

    /** Keys for what {@code sender} sends. */
    public SrtpKeys keysSentBy(String sender) {
        return sender.equals(initiator) ? cs1 : cs2;
    }

    /** The non-media crypto sessions this exchange keyed. */
    public Set<NonMediaSession> nonMediaSessions() {
        return nonMedia.keySet();
    }

    /** K(cs) of a non-media crypto session (the leg's own: copy it to keep it past {@link #destroy()}). */
    public Optional<KeyMaterial> nonMediaKey(NonMediaSession session) {
        return Optional.ofNullable(nonMedia.get(session));
    }

    public void destroy() {
        cs1.destroy();
        cs2.destroy();
        nonMedia.values().forEach(KeyMaterial::destroy);
    }

    @Override
    public String toString() {
        return "Leg[" + initiator + " <-> " + responder + ", cs1=" + cs1 + " ssrc " + ssrcs.cs1() + ", cs2=" + cs2
                + " ssrc " + ssrcs.cs2() + (nonMedia.isEmpty() ? "" : ", non-media " + nonMedia.keySet()
                + " of CSB ID " + String.format("%08x", csbId)) + "]";
    }
}
