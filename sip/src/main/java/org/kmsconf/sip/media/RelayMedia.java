package org.kmsconf.sip.media;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.kmsconf.media.relay.MediaRelay;
import org.kmsconf.media.relay.RelayConference;
import org.kmsconf.media.relay.RelayLeg;
import org.kmsconf.media.relay.SsrcRegistry;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.message.Ssrc;

/**
 * The focus's media plane on the media module's per-leg re-encrypting {@link MediaRelay}: one relay conference per
 * focus URI, one relay leg (own UDP socket, own SRTP keys) per participant. A leg's socket is bound when its port is
 * reserved, so the first SDP that names it (the answer to a call-in, the offer of a call-out) names the real port;
 * {@link Port#activate} keys it, and keys it again in place on a re-key.
 */
public final class RelayMedia implements ConferenceMedia {
    private final MediaRelay relay;
    private final boolean ownsRelay;

    public RelayMedia(MediaRelay relay) {
        this(relay, false);
    }

    private RelayMedia(MediaRelay relay, boolean ownsRelay) {
        this.relay = relay;
        this.ownsRelay = ownsRelay;
    }

    /** Starts a relay of its own on {@code bindAddress}, closed with this media plane. */
    public static RelayMedia start(InetAddress bindAddress) {
        return new RelayMedia(MediaRelay.start(bindAddress), true);
    }

    public MediaRelay relay() {
        return relay;
    }

    @Override
    public Room open(String focusUri) {
        RelayConference rc = relay.conference(focusUri);
        return new Room() {
            @Override
            public SsrcRegistry ssrcs() {
                return rc.ssrcs();
            }

            @Override
            public Port reserve(String participant) {
                return new RelayPort(rc, participant);
            }

            @Override
            public void floorControl(boolean on) {
                rc.floorControl(on);
            }

            @Override
            public void floorHolder(Optional<String> participant) {
                rc.floorHolder(participant);
            }

            @Override
            public void close() {
                rc.close();
            }
        };
    }

    /** A relay leg opened at reservation (its port is real from the first SDP on) and keyed on activation. */
    private static final class RelayPort implements Port {
        private final RelayLeg leg;

        RelayPort(RelayConference rc, String participant) {
            this.leg = rc.openLeg(participant);
        }

        @Override
        public InetSocketAddress localAddress() {
            return leg.localAddress();
        }

        @Override
        public void activate(Ssrc participantSsrc, SrtpKeys fromParticipant, SrtpKeys toParticipant) {
            // each direction's keys carry the SRTP policy negotiated in the leg's SP payload
            leg.key(participantSsrc, fromParticipant, toParticipant);
        }

        @Override
        public void close() {
            leg.close();
        }
    }

    @Override
    public void close() {
        if (ownsRelay) {
            relay.close();
        }
    }
}
