package org.kmsconf.control.confinfo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A conference-info document (RFC 4575 §5): the conference's URI ({@code entity}), whether it holds the full state
 * or a partial update, its {@code version} (up by one per notification to a subscriber), and the parts it carries.
 */
public record ConferenceInfo(String entity, State state, long version, Optional<ConferenceDescription> description,
        Optional<HostInfo> hostInfo, Optional<ConferenceState> conferenceState, List<User> users) {

    /** RFC 4575 §4.4 / §5: application/conference-info+xml, namespace urn:ietf:params:xml:ns:conference-info. */
    public static final String MEDIA_TYPE = "application/conference-info+xml";
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:conference-info";

    public ConferenceInfo {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(state, "state");
        if (version < 0 || version > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("version is an xs:unsignedInt");
        }
        users = List.copyOf(users);
    }

    public ConferenceInfo withVersion(long v) {
        return new ConferenceInfo(entity, state, v, description, hostInfo, conferenceState, users);
    }

    public Optional<User> user(String userEntity) {
        return users.stream().filter(u -> u.entity().equals(userEntity)).findFirst();
    }
}
