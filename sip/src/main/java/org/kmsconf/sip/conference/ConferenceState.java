package org.kmsconf.sip.conference;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.conference.Participant.JoinMethod;
import org.kmsconf.sip.conference.Participant.Status;

/**
 * A consistent snapshot of one conference: focus URI, owner, the allowed set (the creation ticket's recipients minus
 * the factory, replaced by the owner's updates), the members (connected participants and pending call-outs), when
 * it was created, until when its creation ticket is valid, and whether it has ended.
 */
public record ConferenceState(String focusUri, String owner, List<String> allowed, List<Member> members,
                              Instant created, Instant validUntil, boolean ended) {
    public ConferenceState {
        allowed = List.copyOf(allowed);
        members = List.copyOf(members);
    }

    /** One member: identity, RFC 4575 status and joining method, SSRC (unassigned while dialling out), since when. */
    public record Member(String identity, Status status, JoinMethod joinMethod, Ssrc ssrc, Instant since) {
        public boolean connected() {
            return status == Status.CONNECTED;
        }
    }

    /** The connected participants and their SSRCs, in joining order. */
    public Map<String, Ssrc> participantSsrcs() {
        Map<String, Ssrc> m = new LinkedHashMap<>();
        for (Member p : members) {
            if (p.connected()) {
                m.put(p.identity(), p.ssrc());
            }
        }
        return m;
    }
}
