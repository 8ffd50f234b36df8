package org.kmsconf.sip.conference;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of one conference as the focus records it: its creator/owner, the allowed set (the creation ticket's
 * IDRr list minus the factory, replaced by the owner's updates) and the current participants with their SSRCs.
 */
public record ConferenceState(String focusUri, String owner, List<String> allowed, Map<String, Long> participantSsrcs) {
    public ConferenceState {
        allowed = List.copyOf(allowed);
        participantSsrcs = Map.copyOf(participantSsrcs);
    }

    /** Whether a user may join: the owner or a member of the allowed set. */
    public boolean mayJoin(String identity) {
        return owner.equals(identity) || allowed.contains(identity);
    }
}
