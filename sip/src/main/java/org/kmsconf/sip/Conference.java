package org.kmsconf.sip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kmsconf.sip.conference.ConferenceMedia;
import org.kmsconf.sip.conference.ConferenceState;

/** One conference: its owner, allowed set and legs. Guarded by its own monitor. */
final class Conference {
    final String focus;
    final String owner;
    final ConferenceMedia.Room room;
    final Set<String> allowed = new LinkedHashSet<>();
    final Map<String, Participant> participants = new LinkedHashMap<>();
    volatile boolean ended;

    Conference(String focus, String owner, List<String> allowed, ConferenceMedia.Room room) {
        this.focus = focus;
        this.owner = owner;
        this.allowed.addAll(allowed);
        this.room = room;
    }

    synchronized ConferenceState snapshot() {
        Map<String, Long> ssrcs = new LinkedHashMap<>();
        participants.forEach((k, v) -> ssrcs.put(k, v.ssrc));
        return new ConferenceState(focus, owner, new ArrayList<>(allowed), ssrcs);
    }
}
