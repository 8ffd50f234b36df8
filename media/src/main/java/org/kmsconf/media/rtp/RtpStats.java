package org.kmsconf.media.rtp;

import java.util.Map;
import org.kmsconf.mikey.message.Ssrc;

/**
 * Counters of an {@link RtpEndpoint}, a snapshot. Every datagram received ends in exactly one of
 * authenticated / rtcpAuthenticated / rejected*. {@code authenticatedBySsrc} counts RTP packets per sender SSRC.
 */
public record RtpStats(long sent, long rtcpSent, long received, long authenticated, long rtcpAuthenticated,
                       long rejectedAuth, long rejectedReplay, long rejectedSsrc, long rejectedInvalid,
                       Map<Ssrc, Long> authenticatedBySsrc) {

    public long rejected() {
        return rejectedAuth + rejectedReplay + rejectedSsrc + rejectedInvalid;
    }

    /** RTP packets of one SSRC that authenticated. */
    public long authenticatedFrom(Ssrc ssrc) {
        return authenticatedBySsrc.getOrDefault(ssrc, 0L);
    }
}
