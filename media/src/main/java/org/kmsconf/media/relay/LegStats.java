package org.kmsconf.media.relay;

/**
 * Counters of one relay leg, a snapshot. {@code received} counts datagrams from the participant (SRTP and SRTCP);
 * every one of them ends in exactly one of authenticated / rejected*. {@code relayedOut} counts packets the focus
 * sent to this participant (other participants' streams); {@code sendDropped} those the socket would not take;
 * {@code floorDropped} the participant's authenticated RTP not relayed because it did not hold the floor.
 */
public record LegStats(long received, long authenticated, long rejectedAuth, long rejectedReplay, long rejectedSsrc,
                       long rejectedInvalid, long relayedOut, long sendDropped, long floorDropped) {

    public long rejected() {
        return rejectedAuth + rejectedReplay + rejectedSsrc + rejectedInvalid;
    }

    LegStats plus(LegStats o) {
        return new LegStats(received + o.received, authenticated + o.authenticated, rejectedAuth + o.rejectedAuth,
                rejectedReplay + o.rejectedReplay, rejectedSsrc + o.rejectedSsrc, rejectedInvalid + o.rejectedInvalid,
                relayedOut + o.relayedOut, sendDropped + o.sendDropped, floorDropped + o.floorDropped);
    }

    static final LegStats ZERO = new LegStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
