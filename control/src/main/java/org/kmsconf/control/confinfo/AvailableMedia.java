package org.kmsconf.control.confinfo;

import java.util.Objects;
import java.util.Optional;

/** An {@code available-media} entry (RFC 4575 §5.3.4): its label, media type and status. */
public record AvailableMedia(String label, Optional<String> displayText, String type, Optional<MediaStatus> status) {
    public AvailableMedia {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
    }
}
