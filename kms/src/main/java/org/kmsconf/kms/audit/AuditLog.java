package org.kmsconf.kms.audit;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: every record goes at once to the log (logger {@code org.kmsconf.kms.audit}), to the
 * {@link AuditJournal} when there is one (before {@link #record} returns: the caller answers only afterwards), and,
 * batched by a background writer, to the {@code audit_record} table. {@link #flush()} waits until everything recorded
 * so far is in the table; {@link #close()} flushes. If the queue is full (the database cannot keep up), the caller
 * waits rather than losing a record; a batch the table refuses is tried again (it is in the journal meanwhile).
 *
 * <p>The writer inserts at most one batch per {@link #WRITE_INTERVAL_MILLIS} unless {@link #MAX_BATCH} records are
 * waiting or someone {@linkplain #flush() flushes}: each batch costs a transaction (statements, a commit, on
 * PostgreSQL several round trips), so under load fewer, larger batches cost much less per record. The records are in
 * the journal meanwhile; only their arrival in the table waits.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger AUDIT = LoggerFactory.getLogger("org.kmsconf.kms.audit");
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_BATCH = 500;
    static final long WRITE_INTERVAL_MILLIS = 20;

    private final AuditTable table;
    private final AuditJournal journal;
    private final BlockingQueue<JournaledRecord> queue = new ArrayBlockingQueue<>(50_000);
    private final Object appendLock = new Object();
    private final Thread writer;
    private final Object progress = new Object();
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicInteger flushing = new AtomicInteger();
    private final long writeIntervalNanos;
    private long written;
    private volatile boolean closed;

    /** An audit trail written to {@code table} only (a process that does not serve: the admin CLI, tests). */
    public AuditLog(AuditTable table) {
        this(table, null);
    }

    /**
     * An audit trail journaled to {@code journal} first; what a previous process left in the journal is inserted
     * into the table (and made durable) before this returns.
     */
    public AuditLog(AuditTable table, AuditJournal journal) {
        this(table, journal, WRITE_INTERVAL_MILLIS);
    }

    AuditLog(AuditTable table, AuditJournal journal, long writeIntervalMillis) {
        this.table = table;
        this.journal = journal;
        this.writeIntervalNanos = TimeUnit.MILLISECONDS.toNanos(writeIntervalMillis);
        if (journal != null) {
            recover(journal);
        }
        this.writer = new Thread(this::run, "kms-audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    private void recover(AuditJournal journal) {
        // what the table has of each segment already (the writer inserts a segment's records in order)
        java.util.Map<String, Long> have = new java.util.HashMap<>();
        List<JournaledRecord> old = new ArrayList<>();
        for (JournaledRecord j : journal.recovered()) {
            if (j.end() > have.computeIfAbsent(j.segment(), table::insertedUpTo)) {
                old.add(j);
            }
        }
        for (int i = 0; i < old.size(); i += MAX_BATCH) {
            table.insert(old.subList(i, Math.min(old.size(), i + MAX_BATCH)));
        }
        if (!old.isEmpty()) {
            table.makeDurable();
            LOG.info("audit journal: {} records of the previous run are in the table", old.size());
        }
        try {
            table.forget(journal.recoveredStored());
        } catch (IOException | RuntimeException e) {
            LOG.warn("audit journal: cannot delete recovered segments: {}", e.getMessage());
        }
    }

    /** Logs, journals (if this trail has a journal) and queues one record for the table. */
    public void record(AuditRecord r) {
        if (r.outcome().equals("REFUSED")) {
            if (AUDIT.isWarnEnabled()) {
                AUDIT.warn(r.toLogLine());
            }
        } else if (AUDIT.isInfoEnabled()) {
            AUDIT.info(r.toLogLine());
        }
        if (closed) {
            writeBatch(List.of(JournaledRecord.unjournaled(r)));
            return;
        }
        try {
            enqueued.incrementAndGet();
            if (journal == null) {
                queue.put(JournaledRecord.unjournaled(r));
            } else {
                // journal order = queue order: the writer's count of inserted records tells which segments are done
                synchronized (appendLock) {
                    queue.put(journal.append(r));
                }
                journal.sync(); // with fsync: on the disk before the caller answers (shared by concurrent callers)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writeBatch(List.of(JournaledRecord.unjournaled(r)));
            synchronized (progress) {
                written++;
            }
        }
    }

    /** Blocks until every record handed to {@link #record} before this call is in the table (or 10 s passed). */
    public void flush() {
        long target = enqueued.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        flushing.incrementAndGet();
        LockSupport.unpark(writer); // no waiting for the next write interval
        try {
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
        } finally {
            flushing.decrementAndGet();
        }
    }

    private void run() {
        List<JournaledRecord> batch = new ArrayList<>(MAX_BATCH);
        long lastWrite = System.nanoTime() - writeIntervalNanos;
        while (!closed || !queue.isEmpty()) {
            // Nap until the next write is due, unless a full batch waits or someone flushes. The writer never parks
            // on the queue, so record() never has to wake it (one context switch per request otherwise); records
            // wait at most about one interval (plus a write) for the table.
            long due = lastWrite + writeIntervalNanos - System.nanoTime();
            if (due > 0 && queue.size() < MAX_BATCH && flushing.get() == 0 && !closed) {
                LockSupport.parkNanos(this, due);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                continue;
            }
            if (queue.drainTo(batch, MAX_BATCH) == 0) {
                // nothing waited: the nap above looks again one interval later; a flush that waits for a record on
                // its way skips that nap, so look again soon instead
                lastWrite = System.nanoTime();
                if (flushing.get() > 0) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                }
                continue;
            }
            lastWrite = System.nanoTime();
            while (!writeBatch(batch)) {
                try {
                    Thread.sleep(1_000); // the table is unreachable: the records wait in the journal
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            long done;
            synchronized (progress) {
                written += batch.size();
                done = written;
                progress.notifyAll();
            }
            batch.clear();
            if (journal != null) {
                releaseJournal(done);
            }
        }
    }

    private void releaseJournal(long done) {
        try {
            List<String> gone = journal.release(done, table::makeDurable);
            if (!gone.isEmpty()) {
                table.forget(gone);
            }
        } catch (RuntimeException e) {
            LOG.warn("audit journal: segments kept: {}", e.getMessage());
        }
    }

    private boolean writeBatch(List<JournaledRecord> batch) {
        try {
            table.insert(batch);
            return true;
        } catch (RuntimeException e) {
            LOG.error("could not write {} audit records to the database: {} ({})", batch.size(), e.getMessage(),
                    journal != null ? "they are in the audit journal; retrying" : "they are in the audit log");
            return journal == null;
        }
    }

    /** Reads the most recent records (newest first), for the admin CLI and tests. */
    public List<AuditRecord> recent(int limit) {
        flush();
        return table.recent(limit);
    }

    /** Deletes records older than {@code before} (retention is the operator's choice); returns how many. */
    public int purgeBefore(Instant before) {
        flush();
        return table.deleteBefore(before);
    }

    @Override
    public void close() {
        flush();
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (journal != null) {
            journal.retireCurrent();
            synchronized (progress) {
                if (written == enqueued.get()) {
                    releaseJournal(written);
                }
            }
            journal.close();
        }
    }
}
