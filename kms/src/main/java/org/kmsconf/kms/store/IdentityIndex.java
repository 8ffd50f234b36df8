package org.kmsconf.kms.store;

import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who owns which public identity and which active key id, held in memory as one snapshot of two small tables
 * ({@code public_identity}, active rows of {@code user_psk}), re-read only when they changed. It answers the look-ups
 * made <em>before</em> a message is authenticated, with values the sender chose (IDRpsk, IDRi, IDRr), so that a flood
 * of unknown key ids or identities costs no database query and no cache entry each: at most one read of the directory
 * version per TTL, whatever the rate (the snapshot's size is the provisioned data's, not the attacker's).
 *
 * <p>An administrative change made through this process ({@link DirectoryCache#invalidateAll()}) makes the next
 * look-up re-read at once; a change made by another process moves the store's directory version, which
 * {@link DirectoryCache} reads once per TTL, so it is seen within the TTL. While one thread reads that version, the
 * others keep using the snapshot they had (this index only names candidates: the key itself then comes from
 * {@link DirectoryCache}, which does not serve past the TTL unchecked). With a TTL of zero every look-up reads the
 * database (the operator's choice, {@code kms.cache-ttl=0}).
 */
public final class IdentityIndex {
    private record Snapshot(Map<String, String> ownerOfUri, Map<String, String> ownerOfKeyId,
            Map<String, String> activeKeyIdOfUser, long generation) {
    }

    private final Database db;
    private final DirectoryCache cache;
    private final java.util.concurrent.atomic.AtomicLong loads = new java.util.concurrent.atomic.AtomicLong();
    private volatile Snapshot snapshot;

    IdentityIndex(Database db, DirectoryCache cache) {
        this.db = db;
        this.cache = cache;
    }

    /** The user owning a public identity (a SIP URI), if provisioned. Focus URIs are not in here (rules). */
    public Optional<String> ownerOf(String uri) {
        return Optional.ofNullable(current().ownerOfUri.get(uri));
    }

    /** The user whose active key has this key id (hex), if any. */
    public Optional<String> userOfKeyId(String keyIdHex) {
        return Optional.ofNullable(current().ownerOfKeyId.get(keyIdHex));
    }

    /** The active key id (hex) of a user. */
    public Optional<String> activeKeyIdOf(String userId) {
        return Optional.ofNullable(current().activeKeyIdOfUser.get(userId));
    }

    private Snapshot current() {
        if (cache.isOff()) {
            return load(cache.generation());
        }
        Snapshot s = snapshot;
        long now = System.nanoTime();
        // due once per TTL: reads the directory version, and a change moves the generation (the snapshot is stale)
        boolean current = cache.isCurrent(now);
        long gen = cache.generation();
        if (s != null && s.generation == gen) {
            // current, or another thread is reading the version right now: the snapshot it had stays in use
            return s;
        }
        synchronized (this) {
            s = snapshot;
            if (s != null && s.generation == gen && current) {
                return s;
            }
            Snapshot fresh = load(gen);
            snapshot = fresh;
            return fresh;
        }
    }

    /** How many times the snapshot was read from the database (tests: a flood must not raise it). */
    public long loads() {
        return loads.get();
    }

    private Snapshot load(long gen) {
        loads.incrementAndGet();
        return Jdbc.read(db, "read identities and key ids", (Connection c) -> {
            Map<String, String> uris = new HashMap<>();
            for (String[] r : Jdbc.query(c, "SELECT uri, user_id FROM public_identity",
                    rs -> new String[] {rs.getString(1), rs.getString(2)})) {
                uris.put(r[0], r[1]);
            }
            Map<String, String> keys = new HashMap<>();
            Map<String, String> active = new HashMap<>();
            for (String[] r : Jdbc.query(c, "SELECT key_id, user_id FROM user_psk WHERE active = TRUE",
                    rs -> new String[] {rs.getString(1), rs.getString(2)})) {
                keys.put(r[0], r[1]);
                active.put(r[1], r[0]);
            }
            return new Snapshot(Map.copyOf(uris), Map.copyOf(keys), Map.copyOf(active), gen);
        });
    }
}
