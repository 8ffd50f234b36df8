package org.kmsconf.sip.conference;

import java.net.InetSocketAddress;
import org.kmsconf.mikey.crypto.SrtpKeys;

/**
 * The focus's media plane as the conference server sees it: one {@link Room} per conference that hands out unique
 * SSRCs (PROFILE.md: the focus assigns, refuses a colliding one) and one {@link Port} per participant leg, re-keyed
 * per leg (no group keys). An implementation relays SRTP between the legs; {@link SignallingOnlyMedia} relays
 * nothing and advertises port 0 (RFC 3264: no media stream), for signalling-only runs.
 */
public interface ConferenceMedia extends AutoCloseable {
    Room open(String focusUri);

    @Override
    void close();

    /** The media of one conference. */
    interface Room {
        /** A fresh SSRC unique in the conference, recorded for {@code participant} (its old one, if any, is kept). */
        long assignSsrc(String participant);

        /** Records the SSRC a participant offered; false when another participant holds it. */
        boolean claimSsrc(String participant, long ssrc);

        /** Frees a participant's SSRC. */
        void releaseSsrc(String participant);

        /**
         * Reserves the focus-side media port of a new leg: its address goes in the SDP before the keys exist
         * (call-out: the INVITE's offer carries it together with the TRANSFER_INIT).
         */
        Port reserve(String participant);

        void close();
    }

    /** The focus side of one participant leg. */
    interface Port {
        InetSocketAddress localAddress();

        /**
         * Starts (or re-keys) relaying for this leg.
         *
         * @param remote where the participant receives RTP (null: learn it from the first authenticated packet)
         * @param fromParticipant keys of the participant -> focus crypto session
         * @param toParticipant keys of the focus -> participant crypto session
         */
        void activate(InetSocketAddress remote, long participantSsrc, SrtpKeys fromParticipant,
                      SrtpKeys toParticipant);

        void close();
    }
}
