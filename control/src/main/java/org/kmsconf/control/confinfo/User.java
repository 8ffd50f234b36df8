package org.kmsconf.control.confinfo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A {@code user} (RFC 4575 §5.6): entity (its SIP URI), state, display-text, roles, endpoints. */
public record User(String entity, State state, Optional<String> displayText, List<String> roles,
        List<Endpoint> endpoints) {
    public User {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(state, "state");
        roles = List.copyOf(roles);
        endpoints = List.copyOf(endpoints);
    }

    /** The removal of a user in a partial notification. */
    public static User deleted(String entity) {
        return new User(entity, State.DELETED, Optional.empty(), List.of(), List.of());
    }
}
