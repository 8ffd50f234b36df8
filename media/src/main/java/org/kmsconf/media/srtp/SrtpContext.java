package org.kmsconf.media.srtp;

import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;

/**
 * SRTP and SRTCP (RFC 3711) under one master key, for one direction. It holds one RFC 3711 cryptographic
 * context per SSRC (ROC, highest sequence number, replay windows, SRTCP index) over session keys derived once from
 * the master key (key derivation rate 0). Distinct SSRCs under one master key give distinct keystreams (the SSRC is
 * in the IV), which is how the focus sends every relayed stream of a leg under that leg's key (docs/media.md).
 * The transforms are those of the {@link SrtpPolicy} the keys were negotiated with ({@link SrtpKeys#policy()}):
 * key and tag lengths come from what the MIKEY SP payload said, never from a guess.
 *
 * <p>Transforms work in place on a {@link PacketBuffer} and never throw for a bad packet: they return a status.
 * A context is <b>not thread-safe</b>: confine it to one thread (the relay does) or synchronise around it.
 * {@link #close()} zeroes the session keys.
 */
public interface SrtpContext extends AutoCloseable {

    /** A sending context under the keys' negotiated policy: protect only. Streams (SSRCs) are created on first use. */
    static SrtpContext sender(SrtpKeys keys) {
        return new JceSrtpContext(true, keys, false);
    }

    /**
     * A receiving context under the keys' negotiated policy accepting only the SSRCs given to
     * {@link #addStream(Ssrc, int)}; a packet of any other SSRC gives {@link SrtpStatus#UNKNOWN_SSRC} before any
     * crypto is done.
     */
    static SrtpContext receiver(SrtpKeys keys) {
        return new JceSrtpContext(false, keys, false);
    }

    /**
     * A receiving context that also accepts SSRCs it has not been told about (a participant receiving the focus's
     * relayed streams), with initial ROC 0. State for a new SSRC is kept only once one of its packets authenticates,
     * and at most {@value JceSrtpContext#MAX_STREAMS} SSRCs are kept.
     */
    static SrtpContext receiverForAnySsrc(SrtpKeys keys) {
        return new JceSrtpContext(false, keys, true);
    }

    /** The negotiated policy this context applies. */
    SrtpPolicy policy();

    /** Whether this context protects (true) or unprotects. */
    boolean isSender();

    /**
     * Sets up the cryptographic context of one SSRC with its initial rollover counter (from the MIKEY SRTP-ID map;
     * 0 with a GENERIC-ID map). Adding an SSRC that exists already does nothing.
     */
    void addStream(Ssrc ssrc, int initialRoc);

    /** Forgets an SSRC's context (its replay state is lost). */
    void removeStream(Ssrc ssrc);

    /** Whether there is a context for this SSRC. */
    boolean hasStream(Ssrc ssrc);

    /**
     * RTP → SRTP: encrypts the payload and appends the tag (RFC 3711 §3.3). Sender only. An index this context
     * has already used for the SSRC gives {@link SrtpStatus#REPLAY_FAIL} (older than the 128-packet window:
     * {@link SrtpStatus#REPLAY_OLD}) and the packet is left as it was: a keystream is never used twice.
     */
    SrtpStatus protectRtp(PacketBuffer packet);

    /** SRTP → RTP: checks replay and the tag, decrypts, strips the tag (RFC 3711 §3.3). Receiver only. */
    SrtpStatus unprotectRtp(PacketBuffer packet);

    /**
     * Checks replay and the SRTP tag and updates the replay state, but leaves the packet untouched (still encrypted,
     * tag still on). Only for measuring what a relay with a group key would do; receiver only.
     */
    SrtpStatus authenticateRtp(PacketBuffer packet);

    /** RTCP → SRTCP: encrypts from byte 8, appends E||SRTCP index and the tag (RFC 3711 §3.4). Sender only. */
    SrtpStatus protectRtcp(PacketBuffer packet);

    /** SRTCP → RTCP: checks replay and the tag, decrypts, strips index and tag. Receiver only. */
    SrtpStatus unprotectRtcp(PacketBuffer packet);

    /**
     * The same direction and profile under new master keys (a re-key: a new MIKEY exchange on the same leg), whose
     * streams carry on with this context's rollover counters, highest sequence numbers and SRTCP indices, so that a
     * sender that keeps its sequence numbers is accepted at once (RFC 3711 §3.3.1: the index goes on; a new key gives
     * new keystreams, so no keystream is used twice). Replay windows start afresh. This context stays as it is.
     */
    SrtpContext rekeyed(SrtpKeys newKeys);

    /** The rollover counter of an SSRC, or -1 if there is no context for it (for tests and diagnostics). */
    long rolloverCounter(Ssrc ssrc);

    /** Zeroes the session keys; every later transform fails. */
    @Override
    void close();
}
