package org.kmsconf.sip.conference;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.kmsconf.media.relay.MediaRelay;
import org.kmsconf.media.relay.RelayConference;
import org.kmsconf.media.relay.RelayLeg;
import org.kmsconf.media.relay.SsrcCollisionException;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.message.Ssrc;

/**
 * The focus's media plane on the media module's per-leg re-encrypting {@link MediaRelay}: one relay conference per
 * focus URI, one relay leg (own UDP socket, own SRTP keys) per participant. A leg's socket exists only once its
 * keys do, so before {@link Port#activate} a port advertises the relay address with port 0; the conference server
 * then re-advertises the real port (call-out: an UPDATE without a=key-mgmt, the keys staying as they are).
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
            public long assignSsrc(String participant) {
                return rc.ssrcs().assign(participant).value();
            }

            @Override
            public boolean claimSsrc(String participant, long ssrc) {
                try {
                    rc.ssrcs().claim(participant, Ssrc.of(ssrc));
                    return true;
                } catch (SsrcCollisionException e) {
                    return false;
                }
            }

            @Override
            public void releaseSsrc(String participant) {
                rc.ssrcs().release(participant);
            }

            @Override
            public Port reserve(String participant) {
                return new RelayPort(rc, participant);
            }

            @Override
            public void close() {
                rc.close();
            }
        };
    }

    private final class RelayPort implements Port {
        private final RelayConference rc;
        private final String participant;
        private volatile RelayLeg leg;

        RelayPort(RelayConference rc, String participant) {
            this.rc = rc;
            this.participant = participant;
        }

        @Override
        public InetSocketAddress localAddress() {
            RelayLeg l = leg;
            return l != null ? l.localAddress() : new InetSocketAddress(relay.bindAddress(), 0);
        }

        @Override
        public synchronized void activate(InetSocketAddress remote, long participantSsrc, SrtpKeys fromParticipant,
                                          SrtpKeys toParticipant) {
            RelayLeg old = leg;
            if (old != null) {
                // Re-key: a new leg with the new keys. The relay detaches the old leg on its own thread and then
                // frees the participant's SSRC, so wait for that before the new leg claims it again (the conference
                // server holds the conference's lock, so nobody else can take the SSRC meanwhile).
                old.close();
                long deadline = System.nanoTime() + 2_000_000_000L;
                while ((!old.isClosed() || rc.ssrcs().ssrcOf(participant).isPresent())
                        && System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            // each direction under the SRTP policy negotiated for its crypto session (the keys carry it)
            leg = rc.addLeg(participant, remote, Ssrc.of(participantSsrc), fromParticipant, toParticipant);
        }

        @Override
        public synchronized void close() {
            RelayLeg l = leg;
            leg = null;
            if (l != null) {
                l.close();
            }
        }
    }

    @Override
    public void close() {
        if (ownsRelay) {
            relay.close();
        }
    }
}
