package org.kmsconf.sip.focus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconf.control.confinfo.AvailableMedia;
import org.kmsconf.control.confinfo.ConferenceDescription;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.control.confinfo.Endpoint;
import org.kmsconf.control.confinfo.EndpointStatus;
import org.kmsconf.control.confinfo.HostInfo;
import org.kmsconf.control.confinfo.JoiningMethod;
import org.kmsconf.control.confinfo.Media;
import org.kmsconf.control.confinfo.MediaStatus;
import org.kmsconf.control.confinfo.State;
import org.kmsconf.control.confinfo.UriEntry;
import org.kmsconf.control.confinfo.User;
import org.kmsconf.sip.conference.ConferenceState.Member;
import org.kmsconf.sip.conference.ConferenceState;
import org.kmsconf.sip.conference.Participant;

/**
 * A conference as its participants see it in the conference event package (RFC 4575 §5), from the model's snapshot:
 * the focus URI as entity and conf-uri, the owner as host and as a user with role {@code owner}, and every user the
 * conference knows: connected ones with their endpoint (status connected, joining method, the audio stream with
 * {@code src-id} = the SSRC the focus assigned, in decimal), those being called out ({@code dialing-out}), and those
 * allowed who are not in it now ({@code pending}: RFC 4575 §5.6.5.2, anticipated to join). A participant who leaves
 * goes back to pending; one removed is no longer allowed and disappears (a {@code deleted} user in the partial
 * update). No key, no address: the roster is who, how, and which SSRC.
 */
final class ConferenceInfoOf {
    /** The label of the one audio stream (the SDP's {@code a=label}, which the BFCP floor names). */
    static final String AUDIO = "1";

    private ConferenceInfoOf() { }

    static ConferenceInfo of(ConferenceState s, int maximumUsers) {
        Map<String, Member> members = new LinkedHashMap<>();
        for (Member m : s.members()) {
            members.put(m.identity(), m);
        }
        List<String> everyone = new ArrayList<>();
        everyone.add(s.owner());
        s.allowed().stream().filter(u -> !u.equals(s.owner())).forEach(everyone::add);
        members.keySet().stream().filter(u -> !everyone.contains(u)).forEach(everyone::add);
        List<User> users = new ArrayList<>();
        for (String identity : everyone) {
            users.add(user(identity, identity.equals(s.owner()), members.get(identity)));
        }
        long connected = s.members().stream().filter(Member::connected).count();
        ConferenceDescription description = new ConferenceDescription(Optional.of("kmsconf secure conference"),
                Optional.empty(), List.of(UriEntry.of(s.focusUri())), Optional.of((long) maximumUsers),
                List.of(new AvailableMedia(AUDIO, Optional.empty(), "audio", Optional.of(MediaStatus.SENDRECV))));
        return new ConferenceInfo(s.focusUri(), State.FULL, 0, Optional.of(description),
                Optional.of(new HostInfo(Optional.empty(), List.of(UriEntry.of(s.owner())))),
                Optional.of(new org.kmsconf.control.confinfo.ConferenceState(Optional.of(connected),
                        Optional.of(!s.ended()), Optional.of(false))),
                users);
    }

    private static User user(String identity, boolean owner, Member m) {
        EndpointStatus status = m == null ? EndpointStatus.PENDING
                : m.status() == Participant.Status.CONNECTED ? EndpointStatus.CONNECTED : EndpointStatus.DIALING_OUT;
        Optional<JoiningMethod> joined = m == null ? Optional.empty() : Optional.of(
                m.joinMethod() == Participant.JoinMethod.DIALED_IN ? JoiningMethod.DIALED_IN
                        : JoiningMethod.DIALED_OUT);
        List<Media> media = m != null && m.connected() && m.ssrc().isAssigned()
                ? List.of(Media.audio(AUDIO, m.ssrc().value())) : List.of();
        Endpoint endpoint = new Endpoint(identity, State.FULL, Optional.empty(), Optional.of(status), joined,
                Optional.empty(), media);
        return new User(identity, State.FULL, Optional.empty(), List.of(owner ? "owner" : "participant"),
                List.of(endpoint));
    }
}
