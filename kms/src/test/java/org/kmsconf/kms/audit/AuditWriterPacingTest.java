package org.kmsconf.kms.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The audit writer inserts at most one batch per write interval (unless a full batch waits or someone flushes), so
 * that under load each transaction carries many records, and a flush does not wait for the next interval.
 */
class AuditWriterPacingTest {
    /** A table that takes {@code insertMillis} per batch, like a database round trip and commit, and counts batches. */
    static final class SlowTable extends AuditJournalTest.MemoryTable {
        final long insertMillis;
        final List<Integer> batches = new ArrayList<>();

        SlowTable(long insertMillis) {
            this.insertMillis = insertMillis;
        }

        @Override
        public synchronized void insert(List<JournaledRecord> records) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(insertMillis));
            batches.add(records.size());
            super.insert(records);
        }

        @Override
        public synchronized List<AuditRecord> recent(int limit) {
            return super.recent(limit);
        }
    }

    @Test
    void aSteadyStreamOfRecordsGoesInFewLargeBatchesNotOneTransactionPerWrite() {
        SlowTable table = new SlowTable(2);
        int records = 0;
        try (AuditLog log = new AuditLog(table, null, 50)) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
            while (System.nanoTime() < end) {
                log.record(AuditJournalTest.record(records++));
                LockSupport.parkNanos(200_000);
            }
            log.flush();
            assertThat(log.recent(Integer.MAX_VALUE)).hasSize(records);
        }
        // 600 ms at one batch per 50 ms is about 12 batches (plus the flush's); a writer that inserts whatever has
        // arrived as soon as the previous batch is in would have made one per 2-ms insert, a hundred or more
        synchronized (table) {
            assertThat(table.batches).as("batches for %d records", records).hasSizeLessThanOrEqualTo(25);
            assertThat(table.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(records);
        }
    }

    @Test
    void aFlushWakesTheWriterInsteadOfWaitingForTheNextInterval() {
        SlowTable table = new SlowTable(0);
        try (AuditLog log = new AuditLog(table, null, TimeUnit.MINUTES.toMillis(10))) {
            log.flush(); // the writer has looked once and now naps for ten minutes
            for (int i = 0; i < 3; i++) {
                log.record(AuditJournalTest.record(i));
            }
            long t0 = System.nanoTime();
            log.flush();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            synchronized (table) {
                assertThat(table.all).hasSize(3);
            }
        }
    }
}
