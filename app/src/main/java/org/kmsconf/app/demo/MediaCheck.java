package org.kmsconf.app.demo;

import static org.kmsconf.app.demo.DemoWorld.uri;
import static org.kmsconf.app.demo.StepFailed.check;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmsconf.media.relay.LegStats;
import org.kmsconf.media.relay.RelayConference;
import org.kmsconf.media.relay.RelayLeg;
import org.kmsconf.media.rtp.RtpEndpoint;
import org.kmsconf.media.rtp.RtpStats;
import org.kmsconf.media.rtp.ToneSource;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.ue.Call;

/**
 * The media part of the demo: each participant sends a tone as SRTP under its own leg keys to its port at the
 * focus; the focus authenticates, decrypts and re-encrypts each stream for every other leg under that leg's keys;
 * every receiver authenticates what it gets. Then an intruder sends packets under a participant's SSRC with keys
 * of its own making, which the focus must reject as failing authentication and count without relaying any, and
 * the participant's own stream must go on being accepted.
 */
final class MediaCheck implements AutoCloseable {
    private static final int INTRUDER_PACKETS = 50;
    /** How far ahead of the victim's next sequence number the forged stream starts. */
    private static final int INTRUDER_AHEAD = 1000;
    /** Packets the victim sends after the forged stream, which must still be accepted. */
    private static final int VICTIM_AFTER = 10;

    private final DemoWorld world;
    private final String focus;
    private final List<String> users;
    private final double seconds;
    private final Map<String, RtpEndpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, Ssrc> ssrcs = new LinkedHashMap<>();
    private String intruderLine = "intruder stream not sent";

    MediaCheck(DemoWorld world, String focus, List<String> users, double seconds) {
        this.world = world;
        this.focus = focus;
        this.users = users;
        this.seconds = seconds;
    }

    /** Step: every participant talks for a while; every other one hears it, authenticated, no failures. */
    String run(int mark) throws Exception {
        check(focus != null, "no conference (flow 1 failed)");
        for (String u : users) {
            Call c = world.ue(u).call(focus).orElseThrow(() -> new StepFailed(u + " is not in the call"));
            SrtpKeys send = c.sendKeys();
            // bound to exactly the address in this UE's SDP (the one the focus was told)
            world.releaseMediaPort(u);
            RtpEndpoint ep = RtpEndpoint.open(c.localMedia(), c.ssrc(), send, c.receiveKeys());
            ep.remote(c.peerMedia());
            endpoints.put(u, ep);
            ssrcs.put(u, c.ssrc());
        }
        // One packet each first: the focus learns where each participant receives (symmetric RTP, from its first
        // authenticated packet), so that no stream is relayed to a leg whose address is not known yet.
        List<ToneSource> tones = new ArrayList<>();
        int hz = 440;
        for (RtpEndpoint ep : endpoints.values()) {
            ToneSource tone = new ToneSource(hz, 0.3);
            tones.add(tone);
            ep.sendFrame(tone);
            hz += 110;
        }
        awaitLegsLearnt();
        int i = 0;
        for (RtpEndpoint ep : endpoints.values()) {
            ep.startSending(tones.get(i++));
        }
        Thread.sleep((long) (seconds * 1000));
        endpoints.values().forEach(RtpEndpoint::stopSending);
        // let the last relayed packets arrive
        for (var rx : endpoints.entrySet()) {
            for (var tx : endpoints.entrySet()) {
                if (rx != tx) {
                    rx.getValue().awaitReceived(tx.getValue().ssrc(), tx.getValue().stats().sent() * 9 / 10,
                            Duration.ofSeconds(2));
                }
            }
        }
        long total = 0;
        for (var rx : endpoints.entrySet()) {
            RtpStats st = rx.getValue().stats();
            check(st.rejected() == 0, rx.getKey() + " rejected " + st.rejected() + " packets (auth "
                    + st.rejectedAuth() + ", replay " + st.rejectedReplay() + ")");
            for (var tx : endpoints.entrySet()) {
                if (rx == tx) {
                    continue;
                }
                long sent = tx.getValue().stats().sent();
                long got = st.authenticatedFrom(tx.getValue().ssrc());
                check(sent > 0, tx.getKey() + " sent nothing");
                check(got >= sent * 9 / 10, rx.getKey() + " authenticated only " + got + " of " + sent + " packets of "
                        + tx.getKey());
                total += got;
            }
        }
        for (String u : users) {
            RelayLeg leg = legOf(u);
            check(leg != null, "the focus has no relay leg for " + u);
            // the address the focus learnt from u's authenticated packets is the one u's SDP advertised
            InetSocketAddress sdp = world.ue(u).call(focus).orElseThrow().localMedia();
            check(sdp.equals(leg.remoteAddress()), "the focus sends " + u + "'s media to " + leg.remoteAddress()
                    + ", not to the SDP's " + sdp);
        }
        return users.size() + " participants × " + (users.size() - 1) + " streams: " + total
                + " packets relayed and authenticated, 0 authentication failures";
    }

    /** Waits (1 s at most) until the focus has authenticated a packet on every participant's leg. */
    private void awaitLegsLearnt() throws InterruptedException {
        long end = System.currentTimeMillis() + 1000;
        while (System.currentTimeMillis() < end) {
            boolean all = true;
            for (String u : users) {
                RelayLeg leg = legOf(u);
                all &= leg != null && leg.stats().authenticated() > 0;
            }
            if (all) {
                return;
            }
            Thread.sleep(10);
        }
    }

    /**
     * Step: packets under bob's SSRC but keyed by someone without bob's keys fail authentication at the focus and
     * reach nobody; bob's own stream is still accepted afterwards.
     */
    String intruder(int mark) throws Exception {
        check(!endpoints.isEmpty(), "no media ran");
        String victim = users.get(1);
        RelayLeg leg = legOf(victim);
        check(leg != null, "no relay leg for " + victim);
        RtpEndpoint real = endpoints.get(victim);
        LegStats before = leg.stats();
        long relayedBefore = relayedByFocus();
        Map<String, Long> heardBefore = heardFrom(victim);
        SrtpPolicy policy = leg.inboundPolicy(); // the victim's negotiated policy: only the key is wrong
        byte[] key = new byte[policy.masterKeyLength()];
        byte[] salt = new byte[policy.masterSaltLength()];
        SecureRandom r = new SecureRandom();
        r.nextBytes(key);
        r.nextBytes(salt);
        SrtpKeys wrong = new SrtpKeys(1, key, salt, policy);
        Ssrc ssrc = ssrcs.get(victim);
        try (RtpEndpoint mallory = RtpEndpoint.open(InetAddress.getLoopbackAddress(), ssrc, wrong, wrong)) {
            // RFC 3711 §3.3 checks replay before authentication: a forged packet behind the victim's replay window
            // would be dropped as a replay without its tag being looked at. Sequence numbers ahead of the victim's
            // stream (fresh indices under the receiver's ROC guess) pass the replay check and meet the HMAC.
            mallory.firstSequence(real.nextSequence() + INTRUDER_AHEAD);
            mallory.remote(leg.localAddress());
            mallory.send(new ToneSource(880, 0.5), INTRUDER_PACKETS, Duration.ofMillis(2));
        } finally {
            wrong.destroy();
        }
        long end = System.currentTimeMillis() + 2000;
        while (leg.stats().rejected() - before.rejected() < INTRUDER_PACKETS && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        LegStats after = leg.stats();
        long rejected = after.rejected() - before.rejected();
        long auth = after.rejectedAuth() - before.rejectedAuth();
        long authenticated = after.authenticated() - before.authenticated();
        long relayed = relayedByFocus() - relayedBefore; // nobody else is sending meanwhile
        check(authenticated == 0, "the focus authenticated " + authenticated + " intruder packets");
        check(auth == INTRUDER_PACKETS, "the focus counted " + auth + " of " + INTRUDER_PACKETS
                + " intruder packets as failing authentication (" + rejected + " rejected in all)");
        check(rejected == INTRUDER_PACKETS, "the focus rejected " + rejected + " of " + INTRUDER_PACKETS
                + " intruder packets");
        check(relayed == 0, "the focus relayed " + relayed + " packets during the forged stream");
        check(heardFrom(victim).equals(heardBefore), "a participant received intruder packets");

        // The forged packets did not move the replay window (RFC 3711 §3.3 step 5: only an authenticated packet
        // updates it), so the victim's next packets, behind the forged sequence numbers, are still accepted.
        real.send(new ToneSource(550, 0.3), VICTIM_AFTER, Duration.ofMillis(2));
        long end2 = System.currentTimeMillis() + 2000;
        while (leg.stats().authenticated() - after.authenticated() < VICTIM_AFTER
                && System.currentTimeMillis() < end2) {
            Thread.sleep(10);
        }
        long accepted = leg.stats().authenticated() - after.authenticated();
        check(accepted == VICTIM_AFTER, "after the forged stream the focus accepted only " + accepted + " of "
                + victim + "'s " + VICTIM_AFTER + " packets");
        check(leg.stats().rejected() == after.rejected(), "the focus rejected " + victim + "'s own packets after"
                + " the forged stream");
        intruderLine = "intruder: " + INTRUDER_PACKETS + " packets under " + victim + "'s SSRC " + ssrc
                + " with a wrong key, sequence numbers ahead of " + victim + "'s → focus rejected " + rejected + " ("
                + auth + " failed authentication), relayed " + relayed + "; " + victim + "'s next "
                + VICTIM_AFTER + " packets still accepted";
        return INTRUDER_PACKETS + " packets under " + victim + "'s SSRC with a wrong key: all " + auth
                + " failed authentication at the focus, none relayed; " + victim + "'s own stream still accepted";
    }

    /** Packets the focus has relayed to all legs of the conference so far. */
    private long relayedByFocus() {
        RelayConference rc = world.media().relay().conferences().get(focus);
        return rc == null ? 0 : rc.legs().stream().mapToLong(l -> l.stats().relayedOut()).sum();
    }

    private Map<String, Long> heardFrom(String sender) {
        Map<String, Long> m = new LinkedHashMap<>();
        Ssrc s = ssrcs.get(sender);
        endpoints.forEach((u, ep) -> m.put(u, ep.stats().authenticatedFrom(s)));
        return m;
    }

    private RelayLeg legOf(String user) {
        RelayConference rc = world.media().relay().conferences().get(focus);
        if (rc == null) {
            return null;
        }
        return rc.legs().stream().filter(l -> l.participantUri().equals(uri(user)) && !l.isClosed()).findFirst()
                .orElse(null);
    }

    /** The per-leg table: what each participant sent, what the focus relayed to it, what it authenticated. */
    void printSummary(PrintWriter out) {
        out.println();
        out.println("── media summary (per leg) " + "─".repeat(53));
        if (endpoints.isEmpty()) {
            out.println("  no media ran");
            out.flush();
            return;
        }
        List<String> rows = new ArrayList<>();
        rows.add(String.format("  %-8s %-10s  %6s  %12s  %12s  %8s  │ at the focus: %8s %13s %8s", "leg", "ssrc",
                "sent", "relayed to", "authentic.", "failures", "received", "authenticated", "rejected"));
        endpoints.forEach((u, ep) -> {
            RtpStats st = ep.stats();
            RelayLeg leg = legOf(u);
            LegStats ls = leg == null ? null : leg.stats();
            rows.add(String.format("  %-8s %-10s  %6d  %12s  %12d  %8d  │               %8s %13s %8s", u,
                    ssrcs.get(u), st.sent(), ls == null ? "-" : Long.toString(ls.relayedOut()),
                    st.authenticated(), st.rejected(), ls == null ? "-" : Long.toString(ls.received()),
                    ls == null ? "-" : Long.toString(ls.authenticated()),
                    ls == null ? "-" : Long.toString(ls.rejected())));
        });
        rows.forEach(out::println);
        out.println("  " + intruderLine);
        out.flush();
    }

    @Override
    public void close() {
        endpoints.values().forEach(RtpEndpoint::close);
    }
}
