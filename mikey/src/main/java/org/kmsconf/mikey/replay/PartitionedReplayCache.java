package org.kmsconf.mikey.replay;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The replay state of a receiver that authenticates many senders (the KMS): RFC 3830 §5.4 replay protection with one
 * bounded partition per authenticated sender, so that no sender can exhaust another's room.
 *
 * <ul>
 * <li>Only authenticated messages are recorded ({@link #record} after the MAC verified, and after every check that
 *     does not depend on state), so unauthenticated traffic never takes room; {@link #contains} is the cheap,
 *     read-only look-up before the MAC.</li>
 * <li>A partition holds at most {@code perPartition} live entries; when full it refuses (RFC 3830 §5.4: a host
 *     refuses rather than forgets) that sender only: {@link ReplayCache.Verdict#FULL}.</li>
 * <li>All partitions together hold at most about {@code total} entries: once {@code total} is reached a partition
 *     may still grow while it is below its fair share ({@code total / partitions}), so a sender that sends little is
 *     never refused because others sent much. Memory is therefore bounded by {@code 2 x total} entries (and the number
 *     of partitions by the number of senders who can authenticate).</li>
 * <li>An entry is dropped once its timestamp has left the skew window; never earlier, never all at once.</li>
 * </ul>
 * Thread-safe; each partition has its own lock. A partition keeps its entries in primitive arrays ({@link DigestSet}),
 * not as objects: they live for the whole skew window, and as objects they were what the garbage collector spent most
 * of its young pauses copying and scanning under load.
 */
public final class PartitionedReplayCache {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final int perPartition;
    private final int total;
    private final Duration skew;
    private final Clock clock;
    private final ConcurrentHashMap<String, Partition> partitions = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private volatile Instant highWater = Instant.EPOCH;

    public PartitionedReplayCache(int perPartition, int total, Duration skew, Clock clock) {
        if (perPartition < 1 || total < 1) {
            throw new IllegalArgumentException("replay capacities must be at least 1");
        }
        if (skew.isNegative() || skew.isZero()) {
            throw new IllegalArgumentException("allowed clock skew must be positive");
        }
        this.perPartition = perPartition;
        this.total = total;
        this.skew = skew;
        this.clock = Objects.requireNonNull(clock);
    }

    /** Whether {@code timestamp} lies within the allowed skew of the local clock. */
    public boolean withinSkew(Instant timestamp) {
        Instant now = now();
        return !timestamp.isBefore(highWater.minus(skew)) && !timestamp.isAfter(now.plus(skew));
    }

    /** Read-only: was this message recorded for {@code partition}? (Before the MAC: records nothing.) */
    public boolean contains(String partition, ReplayKey key) {
        Partition p = partitions.get(partition);
        if (p == null) {
            return false;
        }
        synchronized (p) {
            return p.contains(key.digest());
        }
    }

    /** Records an authenticated message for {@code partition} unless it is stale, a replay, or the partition is full. */
    public ReplayCache.Verdict record(String partition, ReplayKey key) {
        if (!withinSkew(key.timestamp())) {
            return ReplayCache.Verdict.OUTSIDE_SKEW;
        }
        Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
        Instant oldest = highWater.minus(skew);
        byte[] d = key.digest();
        synchronized (p) {
            p.purge(oldest);
            if (p.contains(d)) {
                return ReplayCache.Verdict.REPLAYED;
            }
            int n = p.entries.size();
            if (n >= perPartition || (size.get() >= total && n >= total / Math.max(1, partitions.size()))) {
                return ReplayCache.Verdict.FULL;
            }
            p.add(d, key.timestamp());
        }
        return ReplayCache.Verdict.ACCEPTED;
    }

    /** Puts back an entry remembered across a restart (a durable journal); ignores stale and duplicate ones. */
    public void restore(String partition, ReplayKey key) {
        if (!withinSkew(key.timestamp())) {
            return;
        }
        Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
        synchronized (p) {
            p.add(key.digest(), key.timestamp());
        }
    }

    /** Live entries of one partition. */
    public int size(String partition) {
        Partition p = partitions.get(partition);
        if (p == null) {
            return 0;
        }
        synchronized (p) {
            p.purge(highWater.minus(skew));
            return p.entries.size();
        }
    }

    /** Entries held by all partitions (approximate: expired entries leave when their partition is next used). */
    public int size() {
        return size.get();
    }

    public int partitions() {
        return partitions.size();
    }

    public int perPartitionCapacity() {
        return perPartition;
    }

    public int totalCapacity() {
        return total;
    }

    public Duration skew() {
        return skew;
    }

    /** Drops expired entries of every partition (housekeeping, e.g. once a second). */
    public void purgeAll() {
        Instant oldest = now().minus(skew);
        for (Partition p : partitions.values()) {
            synchronized (p) {
                p.purge(oldest);
            }
        }
    }

    private Instant now() {
        Instant now = clock.instant();
        Instant hw = highWater;
        if (now.isAfter(hw)) {
            // the window's lower edge never moves back with the clock: a purged entry can never become acceptable
            highWater = now;
        }
        return now;
    }

    /** Big-endian word {@code at..at+7} of a digest. */
    private static long word(byte[] digest, int at) {
        return (long) LONG_BE.get(digest, at);
    }

    /** Nanoseconds since the epoch, saturated (every stored timestamp is within the skew of the clock). */
    private static long nanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private final class Partition {
        final DigestSet entries = new DigestSet();

        boolean contains(byte[] digest) {
            return entries.contains(word(digest, 0), word(digest, 8), word(digest, 16), word(digest, 24));
        }

        /** Adds a 32-byte digest unless it is there already. */
        void add(byte[] digest, Instant t) {
            if (entries.add(word(digest, 0), word(digest, 8), word(digest, 16), word(digest, 24), nanos(t))) {
                size.incrementAndGet();
            }
        }

        void purge(Instant oldest) {
            int removed = entries.removeOlderThan(nanos(oldest));
            if (removed > 0) {
                size.addAndGet(-removed);
            }
        }
    }
}
