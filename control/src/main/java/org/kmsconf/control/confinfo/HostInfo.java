package org.kmsconf.control.confinfo;

import java.util.List;
import java.util.Optional;

/** {@code host-info} (RFC 4575 §5.4): who hosts the conference (for us, its owner). */
public record HostInfo(Optional<String> displayText, List<UriEntry> uris) {
    public HostInfo {
        uris = List.copyOf(uris);
    }
}
