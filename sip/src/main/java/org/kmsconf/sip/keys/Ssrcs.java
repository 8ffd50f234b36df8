package org.kmsconf.sip.keys;

/**
 * The SSRCs of the two crypto sessions of one audio m-line (GENERIC-ID map session data): CS 1 is the initiator's
 * outgoing stream, CS 2 the responder's. 0 means "not chosen yet" (PROFILE.md: the focus assigns SSRCs).
 */
public record Ssrcs(long cs1, long cs2) {
    public Ssrcs {
        if (cs1 < 0 || cs1 > 0xFFFF_FFFFL || cs2 < 0 || cs2 > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("SSRC out of 32-bit range");
        }
    }

    public static final Ssrcs UNASSIGNED = new Ssrcs(0, 0);

    public static String hex(long ssrc) {
        return String.format("0x%08x", ssrc);
    }
}
