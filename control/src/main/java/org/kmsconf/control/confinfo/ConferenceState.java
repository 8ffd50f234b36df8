package org.kmsconf.control.confinfo;

import java.util.Optional;

/** {@code conference-state} (RFC 4575 §5.5): user-count, active, locked. */
public record ConferenceState(Optional<Long> userCount, Optional<Boolean> active, Optional<Boolean> locked) {
}
