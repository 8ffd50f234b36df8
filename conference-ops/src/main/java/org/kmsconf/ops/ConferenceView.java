package org.kmsconf.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconf.media.relay.LegStats;
import org.kmsconf.media.relay.MediaRelay;
import org.kmsconf.media.relay.RelayConference;
import org.kmsconf.media.relay.RelayLeg;
import org.kmsconf.sip.conference.ConferenceState;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.focus.LegDetails;

/**
 * Reads the conference server (the model's snapshots and each leg's {@link LegDetails}) and the media relay (each
 * leg's counters) into {@link Views}. {@link #sample()} takes the packet rates: packets counted since the previous
 * sample over the time between them.
 */
public final class ConferenceView {
    private final ConferenceServer server;
    private final MediaRelay relay;
    private final Map<String, Sample> previous = new HashMap<>();
    private Map<String, Views.Rates> rates = Map.of();

    private record Sample(long nanos, long in, long out) { }

    public ConferenceView(ConferenceServer server, MediaRelay relay) {
        this.server = server;
        this.relay = relay;
    }

    public List<Views.ConferenceSummary> list() {
        List<Views.ConferenceSummary> out = new ArrayList<>();
        for (ConferenceState s : server.conferences()) {
            int connected = (int) s.members().stream().filter(ConferenceState.Member::connected).count();
            out.add(new Views.ConferenceSummary(s.focusUri(), s.owner(), s.created(), s.validUntil(), s.allowed().size(),
                    connected, s.members().size() - connected));
        }
        return out;
    }

    public Optional<Views.ConferenceDetail> detail(String focusUri) {
        return server.conference(focusUri).map(this::detail);
    }

    public List<Views.ConferenceDetail> all() {
        return server.conferences().stream().map(this::detail).toList();
    }

    private Views.ConferenceDetail detail(ConferenceState s) {
        Map<String, RelayLeg> legs = relayLegs(s.focusUri());
        Map<String, Views.Rates> r;
        synchronized (this) {
            r = rates;
        }
        List<Views.ParticipantView> ps = new ArrayList<>();
        for (ConferenceState.Member m : s.members()) {
            Views.LegView leg = null;
            if (m.connected()) {
                leg = server.legDetails(s.focusUri(), m.identity())
                        .map(d -> legView(d, legs.get(m.identity()), r.getOrDefault(key(s.focusUri(), m.identity()),
                                Views.Rates.NONE)))
                        .orElse(null);
            }
            ps.add(new Views.ParticipantView(m.identity(), m.status().name(), m.joinMethod().name(), m.ssrc(), m.since(),
                    leg));
        }
        return new Views.ConferenceDetail(s.focusUri(), s.owner(), s.created(), s.validUntil(), s.allowed(), ps);
    }

    private Map<String, RelayLeg> relayLegs(String focusUri) {
        Map<String, RelayLeg> m = new HashMap<>();
        if (relay == null) {
            return m;
        }
        RelayConference rc = relay.conferences().get(focusUri);
        if (rc != null) {
            for (RelayLeg l : rc.legs()) {
                if (!l.isClosed()) {
                    m.put(l.participantUri(), l);
                }
            }
        }
        return m;
    }

    private static Views.LegView legView(LegDetails d, RelayLeg relayLeg, Views.Rates rates) {
        Views.Counters c = null;
        String remote = null;
        if (relayLeg != null) {
            LegStats st = relayLeg.stats();
            c = new Views.Counters(st.received(), st.authenticated(), st.rejectedAuth(), st.rejectedReplay(),
                    st.rejectedSsrc(), st.rejectedInvalid(), st.relayedOut(), st.sendDropped());
            remote = Json.address(relayLeg.remoteAddress());
        }
        return new Views.LegView(d.dialogId(), d.callId(), Json.address(d.relayAddress()), remote,
                crypto(d.fromParticipant()), crypto(d.toParticipant()), c, rates);
    }

    private static Views.CryptoSessionView crypto(LegDetails.CryptoSession cs) {
        return new Views.CryptoSessionView(cs.csId(), cs.ssrc(), cs.policy().suiteName(), cs.fingerprint());
    }

    private static String key(String focus, String participant) {
        return focus + " " + participant;
    }

    /** Takes a sample of every leg's counters and updates the rates. */
    public void sample() {
        if (relay == null) {
            return;
        }
        long now = System.nanoTime();
        Map<String, Views.Rates> next = new HashMap<>();
        Map<String, Sample> seen = new HashMap<>();
        for (Map.Entry<String, RelayConference> e : relay.conferences().entrySet()) {
            for (RelayLeg l : e.getValue().legs()) {
                String k = key(e.getKey(), l.participantUri());
                LegStats st = l.stats();
                Sample s = new Sample(now, st.authenticated(), st.relayedOut());
                Sample p;
                synchronized (this) {
                    p = previous.get(k);
                }
                if (p != null && now > p.nanos()) {
                    double secs = (now - p.nanos()) / 1e9;
                    next.put(k, new Views.Rates(round((s.in() - p.in()) / secs), round((s.out() - p.out()) / secs)));
                }
                seen.put(k, s);
            }
        }
        synchronized (this) {
            previous.clear();
            previous.putAll(seen);
            rates = next;
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** The picture the console draws. */
    public Views.State state() {
        return new Views.State(Instant.now(), all());
    }
}
