package org.kmsconf.media.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import org.kmsconf.media.srtp.SrtpContext;
import org.kmsconf.media.srtp.SrtpProfile;

/**
 * One participant's leg at the focus: a UDP socket of its own (RTP and RTCP multiplexed on it, RFC 5761), the
 * participant's agreed SSRC, a receiving SRTP context under the participant→focus key accepting only that SSRC,
 * and a sending SRTP context under the focus→participant key holding one cryptographic context per relayed SSRC.
 * The contexts are used by the relay thread only.
 */
public final class RelayLeg implements AutoCloseable {
    private final RelayConference conference;
    private final String participantUri;
    private final int ssrc;
    private final SrtpProfile profile;
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

    RelayLeg(RelayConference conference, String participantUri, int ssrc, SrtpProfile profile,
             DatagramChannel channel, SrtpContext inbound, SrtpContext outbound, InetSocketAddress remote) {
        this.conference = conference;
        this.participantUri = participantUri;
        this.ssrc = ssrc;
        this.profile = profile;
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
    public int ssrc() {
        return ssrc;
    }

    public SrtpProfile profile() {
        return profile;
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
        return String.format("RelayLeg[%s, ssrc=0x%08x, port=%d]", participantUri, ssrc,
                closed ? -1 : localPort());
    }
}
