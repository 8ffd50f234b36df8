package org.kmsconf.mikey.replay;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/**
 * The replay cache of RFC 3830 §5.4 for a receiver of MIKEY initiator messages: a message is accepted only if its
 * timestamp lies within the allowed clock skew of the local clock and no message with the same {@link ReplayKey}
 * was accepted before. Entries leave the cache once their timestamp has fallen out of the skew window (a copy
 * would then be refused as too old anyway).
 *
 * <p>Bounded: when {@code capacity} live entries are held, new messages are <b>refused</b> ({@link Verdict#FULL})
 * until old entries expire; the cache never forgets a live entry to make room, since that would re-open the
 * replay window (RFC 3830 §5.4: "the host rejects all requests until the skew interval passes"; docs/profile.md §1 row
 * 15).
 *
 * <p>Use it in the order RFC 3830 §5.4 recommends: {@link #check} before the MAC is verified (cheap refusal of
 * stale, replayed or overflow traffic), {@link #record} after it (atomic; a concurrent duplicate loses).
 * Thread-safe. If the clock steps backwards, the window's lower edge never moves back with it, so an entry that
 * was purged can never become acceptable again.
 */
public final class ReplayCache {
    /** docs/profile.md §1 row 15: allowed clock skew ±300 s. */
    public static final Duration DEFAULT_SKEW = Duration.ofSeconds(300);
    /** Default bound on live entries (about 100 bytes each). */
    public static final int DEFAULT_CAPACITY = 100_000;

    /** The outcome of {@link #check} or {@link #record}. */
    public enum Verdict {
        /** Timestamp within the window and not seen before (and, for {@code record}, now recorded). */
        ACCEPTED,
        /** Timestamp older or newer than the allowed skew: error Invalid TS. */
        OUTSIDE_SKEW,
        /** The same message was accepted before: a replay. */
        REPLAYED,
        /** The cache holds {@code capacity} live entries: refused until some expire. */
        FULL;

        public boolean accepted() {
            return this == ACCEPTED;
        }
    }

    private record Entry(Instant timestamp, ByteBuffer key) {
    }

    private final int capacity;
    private final Duration skew;
    private final Clock clock;
    private final Map<ByteBuffer, Entry> entries = new HashMap<>();
    private final PriorityQueue<Entry> byAge = new PriorityQueue<>((a, b) -> a.timestamp.compareTo(b.timestamp));
    private Instant highWater = Instant.EPOCH;

    /** Default capacity and skew, on the system UTC clock. */
    public ReplayCache() {
        this(DEFAULT_CAPACITY, DEFAULT_SKEW, Clock.systemUTC());
    }

    public ReplayCache(int capacity, Duration skew, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("replay cache capacity must be at least 1");
        }
        if (skew.isNegative() || skew.isZero()) {
            throw new IllegalArgumentException("allowed clock skew must be positive");
        }
        this.capacity = capacity;
        this.skew = skew;
        this.clock = clock;
    }

    /** Would a message with this key be accepted now? Records nothing. */
    public synchronized Verdict check(ReplayKey key) {
        Instant now = now();
        purge(now);
        return verdict(key, now);
    }

    /** Checks again and, if acceptable, records the key; call once the message's MAC has been verified. */
    public synchronized Verdict record(ReplayKey key) {
        Instant now = now();
        purge(now);
        Verdict v = verdict(key, now);
        if (v == Verdict.ACCEPTED) {
            Entry e = new Entry(key.timestamp(), ByteBuffer.wrap(key.digest()));
            entries.put(e.key, e);
            byAge.add(e);
        }
        return v;
    }

    /** {@link #record}, throwing a {@link MikeyException} with {@link ErrorCode#INVALID_TS} unless accepted. */
    public void recordOrThrow(ReplayKey key) {
        Verdict v = record(key);
        switch (v) {
            case ACCEPTED -> { }
            case OUTSIDE_SKEW -> throw new MikeyException(ErrorCode.INVALID_TS,
                    "timestamp " + key.timestamp() + " outside the allowed clock skew of " + skew.toSeconds() + " s");
            case REPLAYED -> throw new MikeyException(ErrorCode.INVALID_TS, "replayed message");
            case FULL -> throw new MikeyException(ErrorCode.INVALID_TS,
                    "replay cache full (" + capacity + " messages within the skew window); refusing until entries expire");
        }
    }

    /** Whether {@code timestamp} lies within the allowed skew of the local clock. */
    public synchronized boolean withinSkew(Instant timestamp) {
        return inWindow(timestamp, now());
    }

    /** Live entries (after dropping expired ones). */
    public synchronized int size() {
        purge(now());
        return entries.size();
    }

    public int capacity() {
        return capacity;
    }

    public Duration skew() {
        return skew;
    }

    private Verdict verdict(ReplayKey key, Instant now) {
        if (!inWindow(key.timestamp(), now)) {
            return Verdict.OUTSIDE_SKEW;
        }
        if (entries.containsKey(ByteBuffer.wrap(key.digest()))) {
            return Verdict.REPLAYED;
        }
        return entries.size() >= capacity ? Verdict.FULL : Verdict.ACCEPTED;
    }

    private Instant now() {
        Instant now = clock.instant();
        if (now.isAfter(highWater)) {
            highWater = now;
        }
        return now;
    }

    private boolean inWindow(Instant t, Instant now) {
        // lower edge from the highest time seen: purged entries must stay unacceptable if the clock steps back
        Instant oldest = highWater.minus(skew);
        Instant newest = now.plus(skew);
        return !t.isBefore(oldest) && !t.isAfter(newest);
    }

    private void purge(Instant now) {
        Instant oldest = highWater.minus(skew);
        Entry e;
        while ((e = byAge.peek()) != null && e.timestamp.isBefore(oldest)) {
            byAge.poll();
            entries.remove(e.key);
        }
    }
}
