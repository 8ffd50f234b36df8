package org.kmsconf.control.confinfo;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code media} element of an endpoint (RFC 4575 §5.6.6): its {@code id}, type, label, {@code src-id} (the RTP
 * SSRC the focus assigned, written in decimal) and status.
 */
public record Media(String id, Optional<String> displayText, Optional<String> type, Optional<String> label,
        Optional<Long> srcId, Optional<MediaStatus> status) {
    public Media {
        Objects.requireNonNull(id, "id");
        srcId.ifPresent(s -> {
            if (s < 0 || s > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("src-id is a 32-bit SSRC");
            }
        });
    }

    /** An audio stream with its SSRC, sending and receiving. */
    public static Media audio(String id, long ssrc) {
        return new Media(id, Optional.empty(), Optional.of("audio"), Optional.empty(), Optional.of(ssrc),
                Optional.of(MediaStatus.SENDRECV));
    }
}
