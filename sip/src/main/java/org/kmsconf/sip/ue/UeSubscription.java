package org.kmsconf.sip.ue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.sip.Dialog;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.control.event.ConferenceEventReceiver;
import org.kmsconf.mikey.exchange.NonMediaSession;

/**
 * One subscription of a user agent to one focus's conference state: its Call-ID and dialog, the receiver that checks
 * every NOTIFY body against the KEK of our live leg to that focus (whichever exchange keyed it last), the roster the
 * listener was last told of, and a bound on how often a NOTIFY may make us ask for the full state again.
 */
final class UeSubscription {
    private static final Duration MIN_BETWEEN_REFRESHES = Duration.ofSeconds(2);
    final String focus;
    final String callId;
    final ConferenceEventReceiver receiver;
    volatile Dialog dialog;
    volatile boolean ended;
    /** The roster the listener was last told of (NOTIFYs of one subscription are handled one at a time). */
    volatile ConferenceInfo lastSeen;
    private Instant lastRefresh = Instant.EPOCH;

    /** @param calls the user agent's calls by focus URI: the KEK is the one of the call's current leg */
    UeSubscription(String focus, String callId, Map<String, Call> calls) {
        this.focus = focus;
        this.callId = callId;
        this.receiver = new ConferenceEventReceiver(focus, kekId -> Optional.ofNullable(calls.get(focus))
                .filter(Call::isActive).map(Call::leg).filter(l -> l.csbId() == kekId.csbId())
                .flatMap(l -> l.nonMediaKey(NonMediaSession.EVENT_PACKAGE_KEK)));
    }

    /** Whether a refresh asked by a NOTIFY may go now (at most one every 2 s, whatever a forger sends). */
    synchronized boolean mayRefreshNow() {
        Instant now = Instant.now();
        if (now.isBefore(lastRefresh.plus(MIN_BETWEEN_REFRESHES))) {
            return false;
        }
        lastRefresh = now;
        return true;
    }
}
