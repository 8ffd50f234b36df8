package org.kmsconf.kms.store;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A short-lived read cache in front of the store for what every request reads (identity owners, users, factories,
 * policy rules, sealed keys): entries live {@code ttl} milliseconds, and every administrative change made through
 * this process drops them all at once. A change made by another process (admin command, another node) takes effect
 * within the TTL (default 1 s, {@code kms.cache-ttl}; 0 turns the cache off). Keys stay sealed in here.
 *
 * <p>Bounded: at {@value #MAX_ENTRIES} entries expired ones are dropped, and if none has expired a new value is
 * served without being cached. The cache is never emptied to make room (that would turn every look-up of every
 * legitimate user into a database query until it refills). Look-ups keyed by what a sender chose before it is
 * authenticated do not come here at all ({@link IdentityIndex}).
 */
public final class DirectoryCache {
    private static final int MAX_ENTRIES = 200_000;

    private record Entry(Object value, long expiresAt, long generation) {
    }

    private final long ttlNanos;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    public DirectoryCache(long ttlMillis) {
        this.ttlNanos = ttlMillis * 1_000_000L;
    }

    /** The cached value for {@code key}, else {@code load}'s (cached for the TTL; empty results too). */
    @SuppressWarnings("unchecked")
    public <T> T get(String key, Supplier<T> load) {
        if (ttlNanos <= 0) {
            return load.get();
        }
        long now = System.nanoTime();
        long gen = generation.get();
        Entry e = entries.get(key);
        if (e != null && e.generation == gen && now - e.expiresAt < 0) {
            return (T) e.value;
        }
        T v = load.get();
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(x -> x.generation != gen || now - x.expiresAt >= 0);
            if (entries.size() >= MAX_ENTRIES) {
                return v;
            }
        }
        entries.put(key, new Entry(v, now + ttlNanos, gen));
        return v;
    }

    /** Convenience for optional lookups. */
    public <T> Optional<T> getOptional(String key, Supplier<Optional<T>> load) {
        return get(key, load);
    }

    /** Entries held (tests). */
    public int size() {
        return entries.size();
    }

    /** Bumped by every {@link #invalidateAll()}: snapshots taken under an older generation are out of date. */
    public long generation() {
        return generation.get();
    }

    /** Drops every entry (an administrative change was made through this process). */
    public void invalidateAll() {
        generation.incrementAndGet();
        entries.clear();
    }
}
