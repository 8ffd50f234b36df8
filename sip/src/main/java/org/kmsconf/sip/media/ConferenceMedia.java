package org.kmsconf.sip.media;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.kmsconf.media.relay.SsrcRegistry;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.message.Ssrc;

/**
 * The focus's media plane as the conference server sees it: one {@link Room} per conference, whose SSRC registry
 * is the conference's one record of SSRCs (the focus assigns them and refuses a colliding one, docs/profile.md),
 * and one {@link Port} per participant leg, keyed per leg (no group keys). {@link RelayMedia} relays SRTP between
 * the legs; {@link SignallingOnlyMedia} relays nothing and advertises port 0 (RFC 3264: no media stream).
 */
public interface ConferenceMedia extends AutoCloseable {
    Room open(String focusUri);

    @Override
    void close();

    /** The media of one conference. */
    interface Room {
        /** The conference's SSRCs: the conference model claims and releases them, the relay checks them. */
        SsrcRegistry ssrcs();

        /**
         * Reserves the focus-side media port of a new leg: its address goes in the SDP before the keys exist
         * (call-out: the INVITE's offer carries it together with the TRANSFER_INIT).
         */
        Port reserve(String participant);

        /** Floor control of the audio on or off: on, only the floor holder's audio is relayed. */
        default void floorControl(boolean on) {
        }

        /** The audio floor moved (to nobody when empty). */
        default void floorHolder(Optional<String> participant) {
        }

        void close();
    }

    /** The focus side of one participant leg. */
    interface Port {
        InetSocketAddress localAddress();

        /**
         * Starts relaying for this leg, or re-keys it (a new TRANSFER exchange on the same call).
         *
         * @param fromParticipant keys of the participant -> focus crypto session
         * @param toParticipant keys of the focus -> participant crypto session
         */
        void activate(Ssrc participantSsrc, SrtpKeys fromParticipant, SrtpKeys toParticipant);

        void close();
    }
}
