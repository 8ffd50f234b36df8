package org.kmsconf.media.relay;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.kmsconf.mikey.message.Ssrc;

/**
 * The SSRCs of one conference (docs/media.md, "The focus relay"): every participant's stream has an SSRC that is
 * unique in the conference, because the focus relays streams with their original SSRC. The focus assigns one
 * (a participant's offer may leave it empty) or accepts the one offered, and refuses one already taken.
 * One SSRC per participant. An SSRC a participant gave up stays reserved for it (it may come back with it after a
 * re-key) and is never handed to anyone else in the conference. SSRC 0 is never assigned nor claimed: in our
 * profile it means "not assigned yet" ({@link Ssrc#UNASSIGNED}). Thread-safe.
 */
public final class SsrcRegistry {
    private final SecureRandom random = new SecureRandom();
    private final Map<Ssrc, String> ownerBySsrc = new HashMap<>();
    private final Map<String, Ssrc> ssrcByParticipant = new HashMap<>();
    /** SSRCs of participants that left, with who had them: never assigned again, claimable only by that one. */
    private final Map<Ssrc, String> retired = new HashMap<>();

    /** The participant's SSRC: the one it has already, or a fresh random one (never 0) unique in the conference. */
    public synchronized Ssrc assign(String participantUri) {
        Ssrc existing = ssrcByParticipant.get(participantUri);
        if (existing != null) {
            return existing;
        }
        Ssrc ssrc;
        do {
            ssrc = Ssrc.random(random);
        } while (ownerBySsrc.containsKey(ssrc) || retired.containsKey(ssrc));
        put(participantUri, ssrc);
        return ssrc;
    }

    /**
     * Records the SSRC a participant offered. Claiming again the SSRC one already holds is fine; a participant
     * claiming a different one replaces its old one.
     *
     * @throws SsrcCollisionException if another participant of the conference has this SSRC, or had it before:
     *         the focus keeps relaying state per SSRC, so an SSRC goes back only to the participant that left it
     * @throws IllegalArgumentException for SSRC 0, which our profile reads as "not assigned yet"
     */
    public synchronized void claim(String participantUri, Ssrc ssrc) {
        if (!ssrc.isAssigned()) {
            throw new IllegalArgumentException("SSRC 0 means \"not assigned yet\": assign one instead");
        }
        String owner = ownerBySsrc.get(ssrc);
        if (owner == null) {
            owner = retired.get(ssrc);
        }
        if (owner != null && !owner.equals(participantUri)) {
            throw new SsrcCollisionException(ssrc);
        }
        owner = ownerBySsrc.get(ssrc);
        if (owner == null) {
            Ssrc old = ssrcByParticipant.get(participantUri);
            if (old != null) {
                ownerBySsrc.remove(old);
                retired.put(old, participantUri);
            }
            retired.remove(ssrc);
            put(participantUri, ssrc);
        }
    }

    /** Whether an SSRC is neither in use nor left behind by a participant of this conference. */
    public synchronized boolean isFree(Ssrc ssrc) {
        return !ownerBySsrc.containsKey(ssrc) && !retired.containsKey(ssrc);
    }

    /** Frees a participant's SSRC (it left). */
    public synchronized void release(String participantUri) {
        Ssrc ssrc = ssrcByParticipant.remove(participantUri);
        if (ssrc != null) {
            ownerBySsrc.remove(ssrc);
            retired.put(ssrc, participantUri);
        }
    }

    /** Undoes a claim that never carried media (a leg that could not be set up): nothing is reserved. */
    public synchronized void forget(String participantUri) {
        Ssrc ssrc = ssrcByParticipant.remove(participantUri);
        if (ssrc != null) {
            ownerBySsrc.remove(ssrc);
        }
    }

    public synchronized Optional<String> owner(Ssrc ssrc) {
        return Optional.ofNullable(ownerBySsrc.get(ssrc));
    }

    public synchronized Optional<Ssrc> ssrcOf(String participantUri) {
        return Optional.ofNullable(ssrcByParticipant.get(participantUri));
    }

    public synchronized int size() {
        return ownerBySsrc.size();
    }

    private void put(String participantUri, Ssrc ssrc) {
        ownerBySsrc.put(ssrc, participantUri);
        ssrcByParticipant.put(participantUri, ssrc);
    }
}
