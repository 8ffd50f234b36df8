package org.kmsconf.media.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.kmsconf.media.srtp.SrtpContext;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.message.Ssrc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One conference at the relay: its legs, its {@link SsrcRegistry}, and, under floor control, who holds the audio
 * floor: then only the holder's RTP is relayed (RTCP of every leg still is), and the rest is counted as dropped.
 */
public final class RelayConference {
    private static final Logger LOG = LoggerFactory.getLogger(RelayConference.class);
    private static final int SOCKET_BUFFER = 1 << 20;

    private final MediaRelay relay;
    private final String id;
    private final SsrcRegistry ssrcs = new SsrcRegistry();
    /** Copy-on-write, replaced on the relay thread only; read by the packet path. */
    volatile RelayLeg[] legs = new RelayLeg[0];
    private volatile boolean closed;
    private volatile boolean floorControlled;
    /** The participant URI of the audio floor's holder, or null: read per packet under floor control. */
    private volatile String floorHolder;

    RelayConference(MediaRelay relay, String id) {
        this.relay = relay;
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The conference's SSRCs: assign or claim one at join, before {@link #addLeg}. */
    public SsrcRegistry ssrcs() {
        return ssrcs;
    }

    /**
     * Opens a participant's leg: binds a new UDP socket on the relay's address, so that its port can go in an SDP
     * offer or answer before the keys exist. Nothing is relayed to or from it until {@link RelayLeg#key}.
     *
     * @throws UncheckedIOException if no socket can be bound
     */
    public RelayLeg openLeg(String participantUri) {
        if (closed) {
            throw new IllegalStateException("relay conference " + id + " is closed");
        }
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open();
            ch.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            ch.bind(new InetSocketAddress(relay.bindAddress(), 0));
            ch.configureBlocking(false);
            RelayLeg leg = new RelayLeg(this, participantUri, ch);
            relay.runOnRelayThread(() -> leg.key = relay.register(leg));
            return leg;
        } catch (IOException e) {
            closeQuietly(ch, null, null);
            throw new UncheckedIOException("cannot bind a relay socket on " + relay.bindAddress().getHostAddress(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch, null, null);
            throw e;
        }
    }

    /**
     * Opens and keys a leg in one step (see {@link #openLeg} and {@link RelayLeg#key}).
     *
     * @param remoteRtpAddress where the participant receives media, or null to learn it from its first
     *                         authenticated packet
     */
    public RelayLeg addLeg(String participantUri, InetSocketAddress remoteRtpAddress, Ssrc ssrc,
                           SrtpKeys fromParticipant, SrtpKeys toParticipant) {
        RelayLeg leg = openLeg(participantUri);
        try {
            leg.remote = usable(remoteRtpAddress);
            leg.key(ssrc, fromParticipant, toParticipant);
            return leg;
        } catch (RuntimeException e) {
            leg.close();
            throw e;
        }
    }

    void key(RelayLeg leg, Ssrc ssrc, SrtpKeys fromParticipant, SrtpKeys toParticipant) {
        if (fromParticipant.sameKeysAs(toParticipant)) {
            throw new IllegalArgumentException("the two directions of a leg must have different keys");
        }
        if (leg.isKeyed()) {
            rekey(leg, ssrc, fromParticipant, toParticipant);
            return;
        }
        ssrcs.claim(leg.participantUri(), ssrc);
        SrtpContext in = null;
        SrtpContext out = null;
        try {
            in = SrtpContext.receiver(fromParticipant);
            in.addStream(ssrc, 0);
            out = SrtpContext.sender(toParticipant);
            SrtpContext inbound = in;
            SrtpContext outbound = out;
            relay.runOnRelayThread(() -> attach(leg, ssrc, inbound, outbound));
            LOG.debug("{}: leg for {} on port {}, SSRC {}, in {} keys {}, out {} keys {}", id, leg.participantUri(),
                    leg.localPort(), ssrc, fromParticipant.policy(), fromParticipant.fingerprint(),
                    toParticipant.policy(), toParticipant.fingerprint());
        } catch (RuntimeException e) {
            closeQuietly(null, in, out);
            ssrcs.forget(leg.participantUri());
            throw e;
        }
    }

    /** A new MIKEY exchange on the same leg: same socket and SSRC, both directions' streams carry on. */
    private void rekey(RelayLeg leg, Ssrc ssrc, SrtpKeys fromParticipant, SrtpKeys toParticipant) {
        if (!ssrc.equals(leg.ssrc())) {
            throw new IllegalArgumentException("a re-key keeps the leg's SSRC");
        }
        relay.runOnRelayThread(() -> {
            if (leg.closed) {
                throw new IllegalStateException("leg of " + leg.participantUri() + " is closed");
            }
            SrtpContext oldIn = leg.inbound;
            SrtpContext oldOut = leg.outbound;
            leg.inbound = oldIn.rekeyed(fromParticipant);
            leg.outbound = oldOut.rekeyed(toParticipant);
            oldIn.close();
            oldOut.close();
        });
        LOG.debug("{}: leg for {} re-keyed, keys in {} out {}", id, leg.participantUri(),
                fromParticipant.fingerprint(), toParticipant.fingerprint());
    }

    /** An SDP address that says "not known yet" (port 0, the wildcard address, unresolved) counts as none. */
    static InetSocketAddress usable(InetSocketAddress a) {
        if (a == null || a.getPort() == 0 || a.isUnresolved() || a.getAddress().isAnyLocalAddress()) {
            return null;
        }
        return a;
    }

    /**
     * Turns floor control of the audio on or off. On, with nobody holding the floor, no participant's RTP is relayed
     * until {@link #floorHolder(Optional)} names one.
     */
    public void floorControl(boolean on) {
        floorControlled = on;
        LOG.info("{}: floor control of the audio {}", id, on ? "on" : "off");
    }

    public boolean floorControlled() {
        return floorControlled;
    }

    /** The audio floor moved: from now on only {@code participantUri}'s RTP is relayed (none when empty). */
    public void floorHolder(Optional<String> participantUri) {
        floorHolder = participantUri.orElse(null);
        LOG.info("{}: audio floor held by {}", id, participantUri.orElse("nobody"));
    }

    public Optional<String> floorHolder() {
        return Optional.ofNullable(floorHolder);
    }

    /** Whether the leg's RTP is relayed: always without floor control, only the holder's with it. */
    boolean mayRelayRtp(RelayLeg leg) {
        return !floorControlled || leg.participantUri().equals(floorHolder);
    }

    /** The current legs. */
    public List<RelayLeg> legs() {
        return List.of(legs);
    }

    /** Sum of the counters of the current legs. */
    public LegStats stats() {
        LegStats s = LegStats.ZERO;
        for (RelayLeg l : legs) {
            s = s.plus(l.stats());
        }
        return s;
    }

    /** Closes every leg. */
    public void close() {
        closed = true;
        for (RelayLeg l : legs) {
            l.close();
        }
        relay.forget(this);
    }

    private void attach(RelayLeg leg, Ssrc ssrc, SrtpContext in, SrtpContext out) {
        if (closed || leg.closed) {
            throw new IllegalStateException("relay conference " + id + " or its leg is closed");
        }
        leg.ssrc = ssrc;
        leg.ssrcBits = ssrc.bits();
        leg.inbound = in;
        leg.outbound = out;
        RelayLeg[] next = Arrays.copyOf(legs, legs.length + 1);
        next[legs.length] = leg;
        legs = next;
    }

    void removeLeg(RelayLeg leg) {
        if (leg.closed) {
            return;
        }
        relay.runOnRelayThread(() -> detach(leg));
    }

    private void detach(RelayLeg leg) {
        if (leg.closed) {
            return;
        }
        leg.closed = true;
        List<RelayLeg> rest = new ArrayList<>(Arrays.asList(legs));
        rest.remove(leg);
        legs = rest.toArray(new RelayLeg[0]);
        // The other legs keep their sending state for this SSRC: should the participant come back with it (a
        // re-key), its packet indices continue and are never encrypted twice under their keys.
        if (leg.key != null) {
            leg.key.cancel();
        }
        LegStats st = leg.stats();
        relay.retire(st);
        LOG.info("{}: leg for {} closed: received {}, authenticated {}, rejected {} (auth {}, replay {}, SSRC {}, "
                + "invalid {}), not relayed without the floor {}, relayed to it {}, send drops {}", id,
                leg.participantUri(), st.received(), st.authenticated(), st.rejected(), st.rejectedAuth(),
                st.rejectedReplay(), st.rejectedSsrc(), st.rejectedInvalid(), st.floorDropped(), st.relayedOut(),
                st.sendDropped());
        closeQuietly(leg.channel, leg.inbound, leg.outbound);
        if (leg.isKeyed()) {
            ssrcs.release(leg.participantUri());
        }
    }

    private static void closeQuietly(DatagramChannel ch, SrtpContext in, SrtpContext out) {
        if (in != null) {
            in.close();
        }
        if (out != null) {
            out.close();
        }
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to do with a socket we are discarding
            }
        }
    }
}
