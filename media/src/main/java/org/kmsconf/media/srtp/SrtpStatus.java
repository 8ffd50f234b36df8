package org.kmsconf.media.srtp;

/** Outcome of one protect/unprotect call. Only {@link #OK} means the packet may be used or sent. */
public enum SrtpStatus {
    /** Transformed; the buffer's length was updated. */
    OK,
    /** The authentication tag did not verify (RFC 3711 §3.3 step 5): wrong key, wrong ROC or a modified packet. */
    AUTH_FAIL,
    /** The packet index was already received (RFC 3711 §3.3.2). */
    REPLAY_FAIL,
    /** The packet index is older than the replay window. */
    REPLAY_OLD,
    /** The SSRC is not one this context was set up for (receiver side). */
    UNKNOWN_SSRC,
    /** Not an RTP/RTCP packet this profile can handle (too short, wrong version, bad header, SRTCP E=0). */
    INVALID_PACKET,
    /** The buffer has no room after the packet for the authentication tag (and SRTCP index). */
    NO_SPACE;

    public boolean ok() {
        return this == OK;
    }
}
