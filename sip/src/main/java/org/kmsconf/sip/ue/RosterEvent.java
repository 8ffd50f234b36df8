package org.kmsconf.sip.ue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.control.confinfo.Endpoint;
import org.kmsconf.control.confinfo.EndpointStatus;
import org.kmsconf.control.confinfo.Media;
import org.kmsconf.control.confinfo.User;
import org.kmsconf.mikey.message.Ssrc;

/**
 * One change of a conference's roster as a participant sees it, read from two successive states of the protected
 * conference event package: someone joined (with the SSRC the focus assigned), left (is allowed still), was removed
 * (no longer allowed), was allowed in, or is being called; {@link Kind#PRESENT} lists who was there when the
 * subscription began.
 */
public record RosterEvent(String focusUri, Kind kind, String identity, Optional<Ssrc> ssrc) {
    /** What happened to {@code identity}. */
    public enum Kind {
        PRESENT("is in"), JOINED("joined"), LEFT("left"), REMOVED("was removed from"), ALLOWED("may join"),
        CALLED("is being called into");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        /** How a roster line says it ("bob joined"). */
        public String text() {
            return text;
        }
    }

    /** The events that lead from {@code before} (empty: the first state) to {@code after}. */
    public static List<RosterEvent> between(Optional<ConferenceInfo> before, ConferenceInfo after) {
        Map<String, EndpointStatus> was = statuses(before.map(ConferenceInfo::users).orElse(List.of()));
        Map<String, User> now = new LinkedHashMap<>();
        after.users().forEach(u -> now.put(u.entity(), u));
        List<RosterEvent> events = new ArrayList<>();
        String focus = after.entity();
        for (User u : now.values()) {
            EndpointStatus s = status(u);
            EndpointStatus old = was.get(u.entity());
            Optional<Ssrc> ssrc = ssrc(u);
            if (before.isEmpty()) {
                if (s == EndpointStatus.CONNECTED) {
                    events.add(new RosterEvent(focus, Kind.PRESENT, u.entity(), ssrc));
                }
            } else if (s == EndpointStatus.CONNECTED && old != EndpointStatus.CONNECTED) {
                events.add(new RosterEvent(focus, Kind.JOINED, u.entity(), ssrc));
            } else if (s != EndpointStatus.CONNECTED && old == EndpointStatus.CONNECTED) {
                events.add(new RosterEvent(focus, Kind.LEFT, u.entity(), Optional.empty()));
            } else if (s == EndpointStatus.DIALING_OUT && old != EndpointStatus.DIALING_OUT) {
                events.add(new RosterEvent(focus, Kind.CALLED, u.entity(), Optional.empty()));
            } else if (old == null) {
                events.add(new RosterEvent(focus, Kind.ALLOWED, u.entity(), Optional.empty()));
            }
        }
        for (String gone : was.keySet()) {
            if (!now.containsKey(gone)) {
                events.add(new RosterEvent(focus, Kind.REMOVED, gone, Optional.empty()));
            }
        }
        return events;
    }

    private static Map<String, EndpointStatus> statuses(List<User> users) {
        Map<String, EndpointStatus> m = new LinkedHashMap<>();
        users.forEach(u -> m.put(u.entity(), status(u)));
        return m;
    }

    private static EndpointStatus status(User u) {
        return u.endpoints().stream().map(Endpoint::status).flatMap(Optional::stream).findFirst()
                .orElse(EndpointStatus.PENDING);
    }

    private static Optional<Ssrc> ssrc(User u) {
        return u.endpoints().stream().flatMap(e -> e.media().stream()).map(Media::srcId).flatMap(Optional::stream)
                .findFirst().map(Ssrc::of);
    }

    @Override
    public String toString() {
        return identity + " " + kind.text() + " " + focusUri + ssrc.map(s -> " (SSRC " + s + ")").orElse("");
    }
}
