package org.kmsconf.media.srtp;

/**
 * A sliding replay window over packet indices (RFC 3711 §3.3.2), 128 wide like libsrtp's default.
 * Bit i of (hi:lo) set means index {@code top - i} was received.
 */
final class ReplayWindow {
    static final int SIZE = 128;

    private long top = -1;
    private long lo;
    private long hi;

    /** {@link SrtpStatus#OK}, {@link SrtpStatus#REPLAY_FAIL} or {@link SrtpStatus#REPLAY_OLD}; no state change. */
    SrtpStatus check(long index) {
        if (top < 0 || index > top) {
            return SrtpStatus.OK;
        }
        long delta = top - index;
        if (delta >= SIZE) {
            return SrtpStatus.REPLAY_OLD;
        }
        boolean seen = delta < 64 ? (lo >>> delta & 1) != 0 : (hi >>> (delta - 64) & 1) != 0;
        return seen ? SrtpStatus.REPLAY_FAIL : SrtpStatus.OK;
    }

    /** Records an index that passed {@link #check} and authenticated. */
    void accept(long index) {
        if (top < 0) {
            top = index;
            lo = 1;
            hi = 0;
            return;
        }
        if (index > top) {
            long n = index - top;
            if (n >= SIZE) {
                lo = 0;
                hi = 0;
            } else if (n >= 64) {
                hi = lo << (n - 64);
                lo = 0;
            } else {
                hi = (hi << n) | (lo >>> (64 - n));
                lo <<= n;
            }
            lo |= 1;
            top = index;
        } else {
            long delta = top - index;
            if (delta < 64) {
                lo |= 1L << delta;
            } else {
                hi |= 1L << (delta - 64);
            }
        }
    }

    long top() {
        return top;
    }
}
