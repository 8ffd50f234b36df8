package org.kmsconf.media.relay;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The SSRCs of one conference (PROFILE.md "Conference system"): every participant's stream has an SSRC that is
 * unique in the conference, because the focus relays streams with their original SSRC. The focus assigns one
 * (a participant's offer may leave it empty) or accepts the one offered, and refuses one already taken.
 * One SSRC per participant. An SSRC a participant gave up stays reserved for it (it may come back with it after a
 * re-key) and is never handed to anyone else in the conference. Thread-safe.
 */
public final class SsrcRegistry {
    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, String> ownerBySsrc = new HashMap<>();
    private final Map<String, Integer> ssrcByParticipant = new HashMap<>();
    /** SSRCs of participants that left, with who had them: never assigned again, claimable only by that one. */
    private final Map<Integer, String> retired = new HashMap<>();

    /** The participant's SSRC: the one it has already, or a fresh random one (never 0) unique in the conference. */
    public synchronized int assign(String participantUri) {
        Integer existing = ssrcByParticipant.get(participantUri);
        if (existing != null) {
            return existing;
        }
        int ssrc;
        do {
            ssrc = random.nextInt();
        } while (ssrc == 0 || ownerBySsrc.containsKey(ssrc) || retired.containsKey(ssrc));
        put(participantUri, ssrc);
        return ssrc;
    }

    /**
     * Records the SSRC a participant offered. Claiming again the SSRC one already holds is fine; a participant
     * claiming a different one replaces its old one.
     *
     * @throws SsrcCollisionException if another participant of the conference has this SSRC, or had it before:
     *         the focus keeps relaying state per SSRC, so an SSRC goes back only to the participant that left it
     */
    public synchronized void claim(String participantUri, int ssrc) {
        String owner = ownerBySsrc.get(ssrc);
        if (owner == null) {
            owner = retired.get(ssrc);
        }
        if (owner != null && !owner.equals(participantUri)) {
            throw new SsrcCollisionException(ssrc);
        }
        owner = ownerBySsrc.get(ssrc);
        if (owner == null) {
            Integer old = ssrcByParticipant.get(participantUri);
            if (old != null) {
                ownerBySsrc.remove(old);
                retired.put(old, participantUri);
            }
            retired.remove(ssrc);
            put(participantUri, ssrc);
        }
    }

    /** Whether an SSRC is neither in use nor left behind by a participant of this conference. */
    public synchronized boolean isFree(int ssrc) {
        return !ownerBySsrc.containsKey(ssrc) && !retired.containsKey(ssrc);
    }

    /** Frees a participant's SSRC (it left). */
    public synchronized void release(String participantUri) {
        Integer ssrc = ssrcByParticipant.remove(participantUri);
        if (ssrc != null) {
            ownerBySsrc.remove(ssrc);
            retired.put(ssrc, participantUri);
        }
    }

    /** Undoes a claim that never carried media (a leg that could not be set up): nothing is reserved. */
    public synchronized void forget(String participantUri) {
        Integer ssrc = ssrcByParticipant.remove(participantUri);
        if (ssrc != null) {
            ownerBySsrc.remove(ssrc);
        }
    }

    public synchronized Optional<String> owner(int ssrc) {
        return Optional.ofNullable(ownerBySsrc.get(ssrc));
    }

    public synchronized OptionalInt ssrcOf(String participantUri) {
        Integer s = ssrcByParticipant.get(participantUri);
        return s == null ? OptionalInt.empty() : OptionalInt.of(s);
    }

    public synchronized int size() {
        return ownerBySsrc.size();
    }

    private void put(String participantUri, int ssrc) {
        ownerBySsrc.put(ssrc, participantUri);
        ssrcByParticipant.put(participantUri, ssrc);
    }
}
