package org.kmsconf.sip.keys;

import java.util.Objects;
import org.kmsconf.mikey.message.Ssrc;

/**
 * The SSRCs of the two crypto sessions of one audio m-line (GENERIC-ID map session data): CS 1 is the initiator's
 * outgoing stream, CS 2 the responder's. {@link Ssrc#UNASSIGNED} means "not chosen yet" (docs/profile.md: the
 * focus assigns SSRCs).
 */
public record Ssrcs(Ssrc cs1, Ssrc cs2) {
    public static final Ssrcs UNASSIGNED = new Ssrcs(Ssrc.UNASSIGNED, Ssrc.UNASSIGNED);

    public Ssrcs {
        Objects.requireNonNull(cs1, "cs1");
        Objects.requireNonNull(cs2, "cs2");
    }
}
