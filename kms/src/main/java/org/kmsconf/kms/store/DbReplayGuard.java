package org.kmsconf.kms.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replay guard shared by every KMS node on one database: {@link #firstSeen} inserts the message's replay key (the
 * mikey {@code ReplayKey} digest) into {@code replay_guard}; the primary key makes a second insert of the same key
 * fail, on whichever node it arrives: one atomic insert-or-refuse, no read-then-write race. Each row carries the
 * instant after which the message's timestamp is outside the clock-skew window; expired rows are purged now and
 * then (a message that old is refused by its timestamp).
 *
 * <p>On PostgreSQL the keys of concurrent requests are inserted together (group commit): a request adds its key to a
 * queue; one request at a time inserts everything queued, in one statement and one transaction
 * ({@code INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING RETURNING}), and each request learns from the
 * returned keys whether its own was new. One insert and one commit per request made this guard PostgreSQL's and the
 * KMS's largest cost per operation (docs/performance.md "KMS"). A key twice in one batch is new for its first request
 * only. If the statement fails, every request of the batch fails with it (none is answered). On H2 (one node, or
 * {@code kms.shared-replay} over H2's file) each key is inserted on its own, as before.
 */
public final class DbReplayGuard {
    /** The most keys one statement inserts. */
    static final int MAX_BATCH = 512;
    private static final String BATCH_INSERT = "INSERT INTO replay_guard (replay_key, expires_at)"
            + " SELECT * FROM unnest(?::varchar[], ?::bigint[]) ON CONFLICT (replay_key) DO NOTHING"
            + " RETURNING replay_key";

    private final Database db;
    private final Clock clock;
    private final AtomicLong nextPurge = new AtomicLong();
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Object flushing = new Object();
    private final AtomicLong batches = new AtomicLong();

    /** A key waiting for its batch: {@code outcome} is null until the batch is done. */
    private static final class Pending {
        final String key;
        final long expiresAt;
        volatile Object outcome; // Boolean, or the StoreException of a failed batch

        Pending(String key, long expiresAt) {
            this.key = key;
            this.expiresAt = expiresAt;
        }
    }

    public DbReplayGuard(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Records {@code replayKey} until {@code expiry}; true if this is the first time any node saw it, false for a
     * replay.
     *
     * @throws StoreException when the database cannot be reached (the caller must not answer the message)
     */
    public boolean firstSeen(String replayKey, Instant expiry) {
        long now = clock.millis();
        maybePurge(now);
        if (!db.isPostgres()) {
            return insertOne(replayKey, expiry.toEpochMilli());
        }
        Pending me = new Pending(replayKey, expiry.toEpochMilli());
        queue.add(me);
        while (me.outcome == null) {
            synchronized (flushing) {
                if (me.outcome == null) {
                    flush();
                }
            }
        }
        if (me.outcome instanceof StoreException e) {
            throw new StoreException(e.getMessage(), e);
        }
        return (Boolean) me.outcome;
    }

    /** Statements the batched path has run (tests: concurrent requests share them). */
    long batches() {
        return batches.get();
    }

    /** Inserts up to {@link #MAX_BATCH} queued keys in one statement and sets each one's outcome. */
    private void flush() {
        List<Pending> batch = new ArrayList<>();
        for (Pending p; batch.size() < MAX_BATCH && (p = queue.poll()) != null; ) {
            batch.add(p);
        }
        if (batch.isEmpty()) {
            return;
        }
        batches.incrementAndGet();
        Map<String, Long> expiryOfKey = new LinkedHashMap<>(); // each key once, with its first request's expiry
        for (Pending p : batch) {
            expiryOfKey.putIfAbsent(p.key, p.expiresAt);
        }
        Set<String> inserted = new HashSet<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(BATCH_INSERT)) {
            Array k = c.createArrayOf("varchar", expiryOfKey.keySet().toArray());
            Array x = c.createArrayOf("bigint", expiryOfKey.values().toArray());
            ps.setArray(1, k);
            ps.setArray(2, x);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        } catch (SQLException | RuntimeException e) {
            // every request of the batch must learn the outcome, or it would wait for it for ever
            StoreException failed = new StoreException("replay guard unavailable: " + Jdbc.firstLine(e.getMessage()),
                    e);
            batch.forEach(p -> p.outcome = failed);
            return;
        }
        for (Pending p : batch) {
            p.outcome = inserted.remove(p.key); // the first request with a key takes it; a second one is a replay
        }
    }

    private boolean insertOne(String replayKey, long expiresAt) {
        try (Connection c = db.connection()) {
            try {
                Jdbc.update(c, "INSERT INTO replay_guard (replay_key, expires_at) VALUES (?, ?)", replayKey,
                        expiresAt);
                return true;
            } catch (SQLException e) {
                if (Jdbc.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("replay guard unavailable: " + Jdbc.firstLine(e.getMessage()), e);
        }
    }

    private void maybePurge(long now) {
        long due = nextPurge.get();
        if (now < due || !nextPurge.compareAndSet(due, now + 30_000)) {
            return;
        }
        try (Connection c = db.connection()) {
            Jdbc.update(c, "DELETE FROM replay_guard WHERE expires_at < ?", now);
        } catch (SQLException e) {
            // Purging is housekeeping; the next attempt will retry.
        }
    }
}
