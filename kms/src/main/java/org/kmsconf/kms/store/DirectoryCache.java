package org.kmsconf.kms.store;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A read cache in front of the store for what every request reads (identity owners, users, factories, policy rules,
 * sealed keys). Every administrative change made through this process drops every entry at once. A change made by
 * another process (admin command, another node, SQL) takes effect within the TTL (default 1 s, {@code kms.cache-ttl};
 * 0 turns the cache off): once per TTL one look-up reads the store's directory version (one row, raised by a trigger
 * in the transaction of every change to the cached tables, migration V4), and a version other than the last one read
 * drops every entry. While the version stays the same, entries stay valid: a user who sends one request a minute
 * costs no query per request, and a node reads one row per TTL instead of re-reading what it holds. As a backstop,
 * an entry is read again after {@value #MAX_AGE_MINUTES} minutes whatever the version says.
 *
 * <p>While one thread reads the version, the others read the store directly (as on a miss), so no look-up serves an
 * entry older than the TTL without a version check. If the version cannot be read, nothing is served from the cache
 * until it can.
 *
 * <p>Bounded: at {@value #MAX_ENTRIES} entries expired ones are dropped, and if none has expired a new value is
 * served without being cached. The cache is never emptied to make room (that would turn every look-up of every
 * legitimate user into a database query until it refills). Look-ups keyed by what a sender chose before it is
 * authenticated do not come here at all ({@link IdentityIndex}).
 */
public final class DirectoryCache {
    private static final int MAX_ENTRIES = 200_000;
    static final long MAX_AGE_MINUTES = 10;
    private static final long MAX_AGE_NANOS = TimeUnit.MINUTES.toNanos(MAX_AGE_MINUTES);

    private record Entry(Object value, long expiresAt, long generation) {
    }

    private final long ttlNanos;
    private final LongSupplier storeVersion;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicBoolean checking = new AtomicBoolean();
    private final AtomicLong versionReads = new AtomicLong();
    private final AtomicLong loads = new AtomicLong();
    /** Until when (System.nanoTime) the entries of the current generation are known to be current. */
    private volatile long currentUntil = System.nanoTime();
    /** The version last read (by the one checking thread); none yet at first. */
    private long lastVersion = NONE;
    private static final long NONE = Long.MIN_VALUE;

    /**
     * @param storeVersion reads the store's directory version (throws {@link StoreException} when it cannot)
     */
    public DirectoryCache(long ttlMillis, LongSupplier storeVersion) {
        this.ttlNanos = ttlMillis * 1_000_000L;
        this.storeVersion = storeVersion;
    }

    /** The cached value for {@code key}, else {@code load}'s (cached while current; empty results too). */
    @SuppressWarnings("unchecked")
    public <T> T get(String key, Supplier<T> load) {
        if (isOff()) {
            loads.incrementAndGet();
            return load.get();
        }
        long now = System.nanoTime();
        boolean current = isCurrent(now);
        long gen = generation.get();
        Entry e = entries.get(key);
        if (current && e != null && e.generation == gen && now - e.expiresAt < 0) {
            return (T) e.value;
        }
        loads.incrementAndGet();
        T v = load.get();
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(x -> x.generation != gen || now - x.expiresAt >= 0);
            if (entries.size() >= MAX_ENTRIES) {
                return v;
            }
        }
        entries.put(key, new Entry(v, now + MAX_AGE_NANOS, gen));
        return v;
    }

    /** Whether the cache is off ({@code kms.cache-ttl=0}): every look-up then reads the store. */
    boolean isOff() {
        return ttlNanos <= 0;
    }

    /** Convenience for optional lookups. */
    public <T> Optional<T> getOptional(String key, Supplier<Optional<T>> load) {
        return get(key, load);
    }

    /**
     * Whether what was cached under the current {@link #generation()} may be served at {@code now}: the directory
     * version was read within the TTL (reading it now if due, which drops every entry if it changed). False while
     * another thread reads it: the caller then reads the store itself.
     *
     * @throws StoreException when the version is due and cannot be read
     */
    boolean isCurrent(long now) {
        if (now - currentUntil < 0) {
            return true;
        }
        if (!checking.compareAndSet(false, true)) {
            return false;
        }
        try {
            versionReads.incrementAndGet();
            long v = storeVersion.getAsLong();
            if (v != lastVersion || v == NONE) {
                lastVersion = v;
                invalidateAll();
            }
            currentUntil = now + ttlNanos;
            return true;
        } finally {
            checking.set(false);
        }
    }

    /** Entries held (tests). */
    public int size() {
        return entries.size();
    }

    /** How many times the directory version was read (metrics; tests). */
    public long versionReads() {
        return versionReads.get();
    }

    /** How many look-ups went to the store (misses, and every look-up with the cache off). */
    public long loads() {
        return loads.get();
    }

    /** Bumped by every {@link #invalidateAll()}: snapshots taken under an older generation are out of date. */
    public long generation() {
        return generation.get();
    }

    /** Drops every entry (an administrative change was made through this process, or the store's version moved). */
    public void invalidateAll() {
        generation.incrementAndGet();
        entries.clear();
    }
}
