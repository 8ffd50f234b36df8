package org.kmsconf.control.confinfo;

import java.util.List;
import java.util.Optional;

/**
 * {@code conference-description} (RFC 4575 §5.3): display-text, subject, conf-uris, maximum-user-count,
 * available-media.
 */
public record ConferenceDescription(Optional<String> displayText, Optional<String> subject, List<UriEntry> confUris,
        Optional<Long> maximumUserCount, List<AvailableMedia> availableMedia) {
    public ConferenceDescription {
        confUris = List.copyOf(confUris);
        availableMedia = List.copyOf(availableMedia);
    }
}
