package org.kmsconf.media.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import org.kmsconf.media.srtp.SrtpContext;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;

/**
 * One participant's leg at the focus: a UDP socket of its own (RTP and RTCP multiplexed on it, RFC 5761), the
 * participant's agreed SSRC, a receiving SRTP context under the participant→focus key accepting only that SSRC,
 * and a sending SRTP context under the focus→participant key holding one cryptographic context per relayed SSRC.
 * A leg is opened (socket bound, its port can go in an SDP offer) before it is keyed; until then everything that
 * arrives on it is dropped. A re-key replaces both contexts in place on the same socket, streams carrying on
 * ({@link SrtpContext#rekeyed}). The contexts are used and replaced by the relay thread only. Each context applies the SRTP policy negotiated for its crypto session, so legs of one conference may use
 * different policies (a relayed packet is unprotected under the sender's leg policy, protected under the
 * receiver's).
 */
public final class RelayLeg implements AutoCloseable {
    private final RelayConference conference;
    private final String participantUri;
    /** Set when the leg is keyed; the same for the leg's life. */
    volatile Ssrc ssrc;
    /** The SSRC's 32 bits, compared per packet on the relay thread. */
    volatile int ssrcBits;
    final DatagramChannel channel;
    /** Null until the leg is keyed. */
    volatile SrtpContext inbound;
    volatile SrtpContext outbound;
    SelectionKey key;
    volatile InetSocketAddress remote;
    volatile boolean closed;

    // Written by the relay thread only.
    volatile long received;
    volatile long authenticated;
    volatile long rejectedAuth;
    volatile long rejectedReplay;
    volatile long rejectedSsrc;
    volatile long rejectedInvalid;
    volatile long relayedOut;
    volatile long sendDropped;
    volatile long floorDropped;

    RelayLeg(RelayConference conference, String participantUri, DatagramChannel channel) {
        this.conference = conference;
        this.participantUri = participantUri;
        this.channel = channel;
    }

    /** Whether the leg has keys (and relays). */
    public boolean isKeyed() {
        return inbound != null;
    }

    RelayConference conference() {
        return conference;
    }

    public String participantUri() {
        return participantUri;
    }

    /** The SSRC agreed for this participant's stream; packets with any other SSRC are dropped and counted. */
    public Ssrc ssrc() {
        return ssrc;
    }

    /** The SRTP policy of the participant→focus crypto session (what the participant sends with). */
    public SrtpPolicy inboundPolicy() {
        return inbound.policy();
    }

    /** The SRTP policy of the focus→participant crypto session (what the focus relays to it with). */
    public SrtpPolicy outboundPolicy() {
        return outbound.policy();
    }

    /** The focus's port for this leg (put it in the SDP answer/offer towards the participant). */
    public int localPort() {
        return localAddress().getPort();
    }

    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("leg socket is closed", e);
        }
    }

    /**
     * Where the focus sends this participant's media; null until known. It is learnt, and learnt again when it
     * changes (a NAT rebinding), only from packets of the leg that authenticated (symmetric RTP, RFC 4961).
     */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    public LegStats stats() {
        return new LegStats(received, authenticated, rejectedAuth, rejectedReplay, rejectedSsrc, rejectedInvalid,
                relayedOut, sendDropped, floorDropped);
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Keys the leg and starts relaying it, or re-keys it in place (same socket and SSRC; both directions' streams
     * carry on under the new keys).
     *
     * @param fromParticipant keys of the participant→focus crypto session
     * @param toParticipant   keys of the focus→participant crypto session
     * @throws SsrcCollisionException if another participant of the conference has this SSRC
     */
    public void key(Ssrc participantSsrc, SrtpKeys fromParticipant, SrtpKeys toParticipant) {
        conference.key(this, participantSsrc, fromParticipant, toParticipant);
    }

    /** Removes the leg from its conference, closes its socket, zeroes its keys and frees its SSRC. */
    @Override
    public void close() {
        conference.removeLeg(this);
    }

    @Override
    public String toString() {
        return "RelayLeg[" + participantUri + ", ssrc=" + ssrc + ", port=" + (closed ? -1 : localPort()) + "]";
    }
}
