package org.kmsconf.kms.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.kmsconf.kms.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: every record goes at once to the log (logger {@code org.kmsconf.kms.audit}) and, batched by a
 * background writer, to the {@code audit_record} table. {@link #flush()} waits until everything recorded so far is
 * in the table; {@link #close()} flushes. If the queue is full (the database cannot keep up), the caller waits
 * rather than losing a record.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger AUDIT = LoggerFactory.getLogger("org.kmsconf.kms.audit");
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_BATCH = 500;

    private final Database db;
    private final String node;
    private final BlockingQueue<AuditRecord> queue = new ArrayBlockingQueue<>(50_000);
    private final Thread writer;
    private final Object progress = new Object();
    private final java.util.concurrent.atomic.AtomicLong enqueued = new java.util.concurrent.atomic.AtomicLong();
    private long written;
    private volatile boolean closed;

    public AuditLog(Database db, String node) {
        this.db = db;
        this.node = node.length() > 128 ? node.substring(0, 128) : node;
        this.writer = new Thread(this::run, "kms-audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    public void record(AuditRecord r) {
        if (r.outcome().equals("REFUSED")) {
            if (AUDIT.isWarnEnabled()) {
                AUDIT.warn(r.toLogLine());
            }
        } else if (AUDIT.isInfoEnabled()) {
            AUDIT.info(r.toLogLine());
        }
        if (closed) {
            writeBatch(List.of(r));
            return;
        }
        try {
            enqueued.incrementAndGet();
            queue.put(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writeBatch(List.of(r));
            synchronized (progress) {
                written++;
            }
        }
    }

    /** Blocks until every record handed to {@link #record} before this call is in the table (or 10 s passed). */
    public void flush() {
        long target = enqueued.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (progress) {
            while (written < target && System.nanoTime() < deadline) {
                try {
                    progress.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void run() {
        List<AuditRecord> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            // Drain, or nap: the writer never parks on the queue, so record() never has to wake it (one context
            // switch per request otherwise); records wait at most ~20 ms for the table.
            if (queue.drainTo(batch, MAX_BATCH) == 0) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            writeBatch(batch);
            synchronized (progress) {
                written += batch.size();
                progress.notifyAll();
            }
            batch.clear();
        }
    }

    private void writeBatch(List<AuditRecord> batch) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_record (occurred_at, node, event, outcome, user_id, initiator, subject, error_code, reason,"
                        + " remote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (AuditRecord r : batch) {
                ps.setObject(1, r.at().atOffset(ZoneOffset.UTC));
                ps.setString(2, node);
                ps.setString(3, r.event());
                ps.setString(4, r.outcome());
                ps.setString(5, cut(r.userId(), 128));
                ps.setString(6, cut(r.initiator(), 512));
                ps.setString(7, cut(r.subject(), 4000));
                if (r.errorCode() == null) {
                    ps.setNull(8, Types.INTEGER);
                } else {
                    ps.setInt(8, r.errorCode());
                }
                ps.setString(9, cut(r.reason(), 1000));
                ps.setString(10, cut(r.remote(), 128));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException | RuntimeException e) {
            LOG.error("could not write {} audit records to the database: {} (they are in the audit log)",
                    batch.size(), e.getMessage());
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** Reads the most recent records (newest first), for the admin CLI and tests. */
    public List<AuditRecord> recent(int limit) {
        flush();
        List<AuditRecord> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT occurred_at, event, outcome, user_id, initiator, subject, error_code, reason, remote"
                        + " FROM audit_record ORDER BY audit_id DESC")) {
            ps.setMaxRows(limit);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    int code = rs.getInt(7);
                    Integer ec = rs.wasNull() ? null : code;
                    out.add(new AuditRecord(rs.getObject(1, java.time.OffsetDateTime.class).toInstant(),
                            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), ec,
                            rs.getString(8), rs.getString(9)));
                }
            }
        } catch (SQLException e) {
            throw new org.kmsconf.kms.store.StoreException("read audit records failed: " + e.getMessage(), e);
        }
        return out;
    }

    /** Deletes records older than {@code before} (retention is the operator's choice); returns how many. */
    public int purgeBefore(java.time.Instant before) {
        flush();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM audit_record WHERE occurred_at < ?")) {
            ps.setObject(1, before.atOffset(ZoneOffset.UTC));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new org.kmsconf.kms.store.StoreException("purge audit records failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        flush();
        closed = true;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
