package org.kmsconf.kms.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
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

    private final AuditTable table;
    private final BlockingQueue<AuditRecord> queue = new ArrayBlockingQueue<>(50_000);
    private final Thread writer;
    private final Object progress = new Object();
    private final java.util.concurrent.atomic.AtomicLong enqueued = new java.util.concurrent.atomic.AtomicLong();
    private long written;
    private volatile boolean closed;

    public AuditLog(AuditTable table) {
        this.table = table;
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
        try {
            table.insert(batch);
        } catch (RuntimeException e) {
            LOG.error("could not write {} audit records to the database: {} (they are in the audit log)",
                    batch.size(), e.getMessage());
        }
    }

    /** Reads the most recent records (newest first), for the admin CLI and tests. */
    public List<AuditRecord> recent(int limit) {
        flush();
        return table.recent(limit);
    }

    /** Deletes records older than {@code before} (retention is the operator's choice); returns how many. */
    public int purgeBefore(java.time.Instant before) {
        flush();
        return table.deleteBefore(before);
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
