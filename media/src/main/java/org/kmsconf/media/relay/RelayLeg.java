package org.kmsconf.media.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import org.kmsconf.media.srtp.SrtpContext;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;

/**
 * One participant's leg at the focus: a UDP socket of its own (RTP and RTCP multiplexed on it, RFC 5761), the
 * participant's agreed SSRC, a receiving SRTP context under the participant→focus key accepting only that SSRC,
 * and a sending SRTP context under the focus→participant key holding one cryptographic context per relayed SSRC.
 * Each context applies the SRTP policy negotiated for its crypto session, so legs of one conference may use
 * different policies (a relayed packet is unprotected under the sender's leg policy, protected under the
 * receiver's). The contexts are used by the relay thread only.
 */
public final class RelayLeg implements AutoCloseable {
    private final RelayConference conference;
    private final String participantUri;
    private final Ssrc ssrc;
    /** The SSRC's 32 bits, compared per packet on the relay thread. */
    final int ssrcBits;
    final DatagramChannel channel;
    final SrtpContext inbound;
    final SrtpContext outbound;
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

    RelayLeg(RelayConference conference, String participantUri, Ssrc ssrc, DatagramChannel channel,
             SrtpContext inbound, SrtpContext outbound, InetSocketAddress remote) {
        this.conference = conference;
        this.participantUri = participantUri;
        this.ssrc = ssrc;
        this.ssrcBits = ssrc.bits();
        this.channel = channel;
        this.inbound = inbound;
        this.outbound = outbound;
        this.remote = remote;
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
     * Where the focus sends this participant's media; null until known. When the leg was added without one, it is
     * learnt from the first packet of the leg that authenticates (symmetric RTP).
     */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** A new media address for the participant (e.g. from a re-INVITE); null, port 0 or 0.0.0.0: learn it again. */
    public void remoteAddress(InetSocketAddress address) {
        this.remote = RelayConference.usable(address);
    }

    public LegStats stats() {
        return new LegStats(received, authenticated, rejectedAuth, rejectedReplay, rejectedSsrc, rejectedInvalid,
                relayedOut, sendDropped);
    }

    public boolean isClosed() {
        return closed;
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
