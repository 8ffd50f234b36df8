package org.kmsconf.mikey.exchange;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.message.Ssrc;

/**
 * The outcome of a Ticket Transfer exchange for one party: who answered (the IDRr of TRANSFER_RESP, e.g. the focus
 * URI a factory allocated), the SRTP keys of every crypto session (by GENERIC-ID CS ID) with the SRTP policy
 * negotiated for it ({@link SrtpKeys#policy()}), and each crypto session's SSRC. CS 2k+1 is the Initiator's
 * outgoing stream of audio m-line k, CS 2k+2 the Responder's. On a leg to a focus it also holds the keys of the
 * non-media crypto sessions (K(0xB0), the BFCP TLS PSK, and K(0xE0), the event-package KEK: docs/profile.md §6,
 * kmsconf extension) and the CSB ID that names them.
 */
public final class TransferResult {
    private final String responderUri;
    private final boolean responderNamedInTicket;
    private final int csbId;
    private final Map<Integer, SrtpKeys> keys;
    private final Map<Integer, Ssrc> ssrcs;
    private final Map<NonMediaSession, KeyMaterial> nonMediaKeys;

    TransferResult(String responderUri, boolean responderNamedInTicket, int csbId, Map<Integer, SrtpKeys> keys,
            Map<Integer, Ssrc> ssrcs, Map<NonMediaSession, KeyMaterial> nonMediaKeys) {
        this.responderUri = Objects.requireNonNull(responderUri);
        this.responderNamedInTicket = responderNamedInTicket;
        this.csbId = csbId;
        this.keys = Map.copyOf(keys);
        this.ssrcs = Map.copyOf(ssrcs);
        Map<NonMediaSession, KeyMaterial> nm = new EnumMap<>(NonMediaSession.class);
        nm.putAll(nonMediaKeys);
        this.nonMediaKeys = java.util.Collections.unmodifiableMap(nm);
    }

    /** The authenticated identity of the Responder (IDRr of TRANSFER_RESP, the identity used in forking). */
    public String responderUri() {
        return responderUri;
    }

    /**
     * True if that identity is one of the ticket's IDRr; false when the KMS admitted it by the factory -> focus rule
     * (the creator learns the conference URI this way).
     */
    public boolean responderNamedInTicket() {
        return responderNamedInTicket;
    }

    /**
     * The CSB ID of the exchange (HDR of TRANSFER_INIT, echoed in TRANSFER_RESP). It names the leg's non-media keys:
     * the BFCP psk_identity and the CMS kekid are built from it (docs/profile.md §6, kmsconf extension).
     */
    public int csbId() {
        return csbId;
    }

    /** The non-media crypto sessions both sides keyed in this exchange. */
    public Set<NonMediaSession> nonMediaSessions() {
        return nonMediaKeys.keySet();
    }

    /**
     * K(cs) of a non-media crypto session (not a copy: {@link #destroy()} zeroes it; take {@link KeyMaterial#copy()}
     * to keep it longer), or empty when the exchange did not key that session.
     */
    public Optional<KeyMaterial> nonMediaKey(NonMediaSession session) {
        return Optional.ofNullable(nonMediaKeys.get(session));
    }

    /** SRTP keys of a crypto session. */
    public SrtpKeys keys(int csId) {
        SrtpKeys k = keys.get(csId);
        if (k == null) {
            throw new IllegalArgumentException("no crypto session " + csId);
        }
        return k;
    }

    /** All crypto sessions' keys by CS ID. */
    public Map<Integer, SrtpKeys> allKeys() {
        return keys;
    }

    /** The SSRC of a crypto session, as carried in the GENERIC-ID map of TRANSFER_RESP. */
    public Ssrc ssrc(int csId) {
        Ssrc s = ssrcs.get(csId);
        if (s == null) {
            throw new IllegalArgumentException("no crypto session " + csId);
        }
        return s;
    }

    /** Zeroes every SRTP key and every non-media key. */
    public void destroy() {
        keys.values().forEach(SrtpKeys::destroy);
        nonMediaKeys.values().forEach(KeyMaterial::destroy);
    }

    @Override
    public String toString() {
        return "TransferResult[responder " + responderUri + ", sessions " + new TreeMap<>(keys).values()
                + (nonMediaKeys.isEmpty() ? "" : ", non-media " + nonMediaKeys.keySet()) + "]";
    }
}
