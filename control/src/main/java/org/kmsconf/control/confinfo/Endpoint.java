package org.kmsconf.control.confinfo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code endpoint} of a user (RFC 4575 §5.6): entity, state, display-text, status, joining-method,
 * disconnection-method and its media.
 */
public record Endpoint(String entity, State state, Optional<String> displayText, Optional<EndpointStatus> status,
        Optional<JoiningMethod> joiningMethod, Optional<DisconnectionMethod> disconnectionMethod, List<Media> media) {
    public Endpoint {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(state, "state");
        media = List.copyOf(media);
    }
}
