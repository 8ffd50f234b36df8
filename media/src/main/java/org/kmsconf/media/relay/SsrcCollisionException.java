package org.kmsconf.media.relay;

/** A participant asked for an SSRC another participant of the same conference already has. */
public final class SsrcCollisionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int ssrc;

    public SsrcCollisionException(int ssrc) {
        super(String.format("SSRC 0x%08x is already used in this conference", ssrc));
        this.ssrc = ssrc;
    }

    public int ssrc() {
        return ssrc;
    }
}
