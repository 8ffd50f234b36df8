package org.kmsconf.app.ue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.kmsconf.app.trace.Ladder;
import org.kmsconf.control.bfcp.message.FloorRequestInformation;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.sip.ue.FloorListener;
import org.kmsconf.sip.ue.RosterEvent;
import org.kmsconf.sip.ue.RosterListener;

/**
 * What a user agent prints as its conferences change: roster lines from the protected event package ("roster
 * focus1: carol joined (SSRC 0x…)") and floor lines when a floor's holder changes, or with {@code --json} one JSON
 * object per line ({@code {"event":"roster","focus":…,"kind":"joined","identity":…,"ssrc":"0x…"}},
 * {@code {"event":"floor","focus":…,"holder":…}}) for scripts.
 */
final class UeEvents implements RosterListener, FloorListener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintWriter out;
    private final boolean json;
    private final Map<String, Optional<String>> holders = new ConcurrentHashMap<>();

    UeEvents(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    @Override
    public void changed(List<RosterEvent> events, ConferenceInfo roster) {
        for (RosterEvent e : events) {
            if (json) {
                ObjectNode n = JSON.createObjectNode().put("event", "roster").put("focus", e.focusUri())
                        .put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT)).put("identity", e.identity());
                e.ssrc().ifPresent(s -> n.put("ssrc", s.toString()));
                n.put("version", roster.version());
                print(n.toString());
            } else {
                print("roster " + Ladder.name(e.focusUri()) + ": " + Ladder.name(e.identity()) + " " + phrase(e.kind())
                        + e.ssrc().map(s -> " (SSRC " + s + ")").orElse(""));
            }
        }
    }

    @Override
    public void floor(String focusUri, Optional<String> holder, List<FloorRequestInformation> requests) {
        Optional<String> before = holders.put(focusUri, holder);
        if (holder.equals(before)) {
            return; // only changes of holder are news
        }
        if (json) {
            ObjectNode n = JSON.createObjectNode().put("event", "floor").put("focus", focusUri);
            if (holder.isPresent()) {
                n.put("holder", holder.get());
            } else {
                n.putNull("holder");
            }
            n.put("requests", requests.size());
            print(n.toString());
        } else {
            print("floor " + Ladder.name(focusUri) + ": " + holder.map(h -> "held by " + Ladder.name(h))
                    .orElse("free") + (requests.isEmpty() ? "" : ", " + requests.size() + " request(s)"));
        }
    }

    private static String phrase(RosterEvent.Kind k) {
        return switch (k) {
            case PRESENT -> "is in";
            case JOINED -> "joined";
            case LEFT -> "left";
            case REMOVED -> "was removed";
            case ALLOWED -> "may join";
            case CALLED -> "is being called";
        };
    }

    private void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
