package org.kmsconf.sip.ue;

import java.util.List;
import org.kmsconf.control.confinfo.ConferenceInfo;

/**
 * Told when a conference's roster, as the protected event package reports it, changes: the events, and the whole
 * roster as it now is. Called on a SIP thread: keep it short.
 */
@FunctionalInterface
public interface RosterListener {
    RosterListener NONE = (events, roster) -> { };

    void changed(List<RosterEvent> events, ConferenceInfo roster);
}
