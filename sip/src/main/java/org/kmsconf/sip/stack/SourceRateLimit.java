package org.kmsconf.sip.stack;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source address: each source may start {@code perSecond} costly requests a second (INVITE,
 * UPDATE, REFER, SUBSCRIBE: each may cost KMS exchanges), with bursts up to {@code burst}. A flooding source is
 * answered 503 with Retry-After while every other source keeps its own budget. The table holds at most
 * {@code maxSources} sources (least recently seen dropped first), so a spoofed-address flood cannot grow it.
 */
public final class SourceRateLimit {
    /** No limit (a load test from one address). */
    public static final SourceRateLimit NONE = new SourceRateLimit(Double.POSITIVE_INFINITY, 1, 1);

    private final double perSecond;
    private final double burst;
    private final int maxSources;
    private final Map<InetAddress, Bucket> buckets;

    /**
     * @param perSecond sustained requests per second per source
     * @param burst     requests a source may send at once
     * @param maxSources sources remembered at most
     */
    public SourceRateLimit(double perSecond, double burst, int maxSources) {
        if (!(perSecond > 0) || burst < 1 || maxSources < 1) {
            throw new IllegalArgumentException("rate limit needs a positive rate, burst >= 1 and room for sources");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxSources = maxSources;
        this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                return size() > maxSources;
            }
        };
    }

    /** Takes a token for {@code source}; false when its bucket is empty. {@code nanos} is the current time. */
    public synchronized boolean tryAcquire(InetAddress source, long nanos) {
        if (Double.isInfinite(perSecond) || source == null) {
            return true;
        }
        Bucket b = buckets.computeIfAbsent(source, s -> new Bucket(burst, nanos));
        double tokens = tokensAt(b, nanos);
        b.at = nanos;
        if (tokens < 1) {
            b.tokens = tokens;
            return false;
        }
        b.tokens = tokens - 1;
        return true;
    }

    /**
     * Whether {@code source} has no token left now, without taking one: a source already over its rate is refused
     * before the stack spends a transaction on its request.
     */
    public synchronized boolean exhausted(InetAddress source, long nanos) {
        if (Double.isInfinite(perSecond) || source == null) {
            return false;
        }
        Bucket b = buckets.get(source);
        return b != null && tokensAt(b, nanos) < 1;
    }

    /** The tokens {@code b} holds at {@code nanos}: what it had, refilled at the rate since, at most the burst. */
    private double tokensAt(Bucket b, long nanos) {
        return Math.min(burst, b.tokens + (nanos - b.at) / 1e9 * perSecond);
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    /**
     * The UDP datagram budget that goes with this request rate ({@link DatagramBudget}): {@value
     * DatagramBudget#FACTOR} times the rate and the burst, as many sources; none when this limit is {@link #NONE}.
     */
    public SourceRateLimit datagrams() {
        return Double.isInfinite(perSecond) ? NONE
                : new SourceRateLimit(perSecond * DatagramBudget.FACTOR, burst * DatagramBudget.FACTOR, maxSources);
    }

    /** Seconds a refused source should wait before it tries again (for Retry-After), at least 1. */
    public int retryAfterSeconds() {
        return (int) Math.max(1, Math.ceil(1 / perSecond));
    }

    @Override
    public String toString() {
        return Double.isInfinite(perSecond) ? "unlimited" : perSecond + "/s per source, burst " + (int) burst;
    }
}
