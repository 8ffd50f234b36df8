package org.kmsconf.media.srtp;

/**
 * The per-SSRC part of an RFC 3711 cryptographic context (§3.2.1): rollover counter, highest sequence number s_l,
 * replay windows, and the sender's SRTCP index.
 */
final class StreamState {
    final int ssrc;
    /** ROC, 32 bits unsigned. */
    long roc;
    /** s_l, the highest sequence number received or sent; -1 before the first packet. */
    int sl = -1;
    final ReplayWindow rtpWindow = new ReplayWindow();
    final ReplayWindow rtcpWindow = new ReplayWindow();
    /** Next SRTCP index to send (31 bits; starts at 0, RFC 3711 §3.4). */
    int nextSrtcpIndex;

    StreamState(int ssrc, long initialRoc) {
        this.ssrc = ssrc;
        this.roc = initialRoc & 0xffffffffL;
    }

    /** A state for the same SSRC that carries on from this one (ROC, s_l, SRTCP index) with fresh replay windows. */
    StreamState carriedOn() {
        StreamState n = new StreamState(ssrc, roc);
        n.sl = sl;
        n.nextSrtcpIndex = nextSrtcpIndex;
        return n;
    }

    /**
     * The 48-bit packet index i = 2^16·v + SEQ with v estimated as in RFC 3711 Appendix A (also used on the
     * sending side, so a relay forwarding reordered packets keeps the sender's ROC); -1 if v would be negative
     * or beyond 2^32 - 1.
     */
    long estimateIndex(int seq) {
        if (sl < 0) {
            return (roc << 16) | seq;
        }
        long v;
        if (sl < 32768) {
            v = seq - sl > 32768 ? roc - 1 : roc;
        } else {
            v = sl - 32768 > seq ? roc + 1 : roc;
        }
        if (v < 0 || v > 0xffffffffL) {
            return -1;
        }
        return (v << 16) | seq;
    }

    /** After a packet with this index was authenticated (or protected): advance ROC and s_l if it is the newest. */
    void commit(long index) {
        if (sl < 0 || index > ((roc << 16) | sl)) {
            roc = index >>> 16;
            sl = (int) (index & 0xffff);
        }
    }
}
