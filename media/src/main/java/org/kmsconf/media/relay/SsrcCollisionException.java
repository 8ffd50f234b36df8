package org.kmsconf.media.relay;

import org.kmsconf.mikey.message.Ssrc;

/** A participant asked for an SSRC another participant of the same conference already has. */
public final class SsrcCollisionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Ssrc ssrc;

    public SsrcCollisionException(Ssrc ssrc) {
        super("SSRC " + ssrc + " is already used in this conference");
        this.ssrc = ssrc;
    }

    public Ssrc ssrc() {
        return ssrc;
    }
}
