package org.kmsconf.control.confinfo;

import java.util.Objects;
import java.util.Optional;

/** An {@code entry} of a uris-type list (RFC 4575 §5.3.1: conf-uris, host-info uris): uri, display-text, purpose. */
public record UriEntry(String uri, Optional<String> displayText, Optional<String> purpose) {
    public UriEntry {
        Objects.requireNonNull(uri, "uri");
    }

    public static UriEntry of(String uri) {
        return new UriEntry(uri, Optional.empty(), Optional.empty());
    }
}
