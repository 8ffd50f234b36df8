package org.kmsconf.mikey.exchange;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.message.Ssrc;

/**
 * The outcome of a Ticket Transfer exchange for one party: who answered (the IDRr of TRANSFER_RESP, e.g. the focus
 * URI a factory allocated), the SRTP keys of every crypto session (by GENERIC-ID CS ID) with the SRTP policy
 * negotiated for it ({@link SrtpKeys#policy()}), and each crypto session's SSRC. CS 2k+1 is the Initiator's
 * outgoing stream of audio m-line k, CS 2k+2 the Responder's.
 */
public final class TransferResult {
    private final String responderUri;
    private final boolean responderNamedInTicket;
    private final Map<Integer, SrtpKeys> keys;
    private final Map<Integer, Ssrc> ssrcs;

    TransferResult(String responderUri, boolean responderNamedInTicket, Map<Integer, SrtpKeys> keys,
            Map<Integer, Ssrc> ssrcs) {
        this.responderUri = Objects.requireNonNull(responderUri);
        this.responderNamedInTicket = responderNamedInTicket;
        this.keys = Map.copyOf(keys);
        this.ssrcs = Map.copyOf(ssrcs);
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

    /** Zeroes every SRTP key. */
    public void destroy() {
        keys.values().forEach(SrtpKeys::destroy);
    }

    @Override
    public String toString() {
        return "TransferResult[responder " + responderUri + ", sessions " + new TreeMap<>(keys).values() + "]";
    }
}
