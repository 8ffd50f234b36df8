package org.kmsconf.kms.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replay guard shared by every KMS node on one database: {@link #firstSeen} inserts the message's replay key (the
 * mikey {@code ReplayKey} digest) into {@code replay_guard}; the primary key makes a second insert of the same key
 * fail, on whichever node it arrives: one atomic insert-or-refuse, no read-then-write race. Each row carries the
 * instant after which the message's timestamp is outside the clock-skew window; expired rows are purged now and
 * then (a message that old is refused by its timestamp).
 */
public final class DbReplayGuard {
    private final Database db;
    private final Clock clock;
    private final AtomicLong nextPurge = new AtomicLong();

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
        try (Connection c = db.connection()) {
            try {
                Jdbc.update(c, "INSERT INTO replay_guard (replay_key, expires_at) VALUES (?, ?)", replayKey,
                        expiry.toEpochMilli());
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
