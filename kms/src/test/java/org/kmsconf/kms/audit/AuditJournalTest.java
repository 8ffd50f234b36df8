package org.kmsconf.kms.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit journal: what a crashed process journaled reaches the table once, a torn last record is dropped. */
class AuditJournalTest {
    @TempDir
    Path dir;

    /** A table in memory that, like the store's, keeps how far each journal segment is in. */
    static class MemoryTable implements AuditTable {
        final Map<String, Long> progress = new LinkedHashMap<>();
        final List<AuditRecord> all = new ArrayList<>();
        int durable;

        @Override
        public void insert(List<JournaledRecord> records) {
            for (JournaledRecord j : records) {
                all.add(j.record());
                if (j.segment() != null) {
                    progress.merge(j.segment(), j.end(), Math::max);
                }
            }
        }

        @Override
        public long insertedUpTo(String segment) {
            return progress.getOrDefault(segment, 0L);
        }

        @Override
        public void forget(java.util.Collection<String> segments) {
            segments.forEach(progress::remove);
        }

        @Override
        public List<AuditRecord> recent(int limit) {
            return List.copyOf(all);
        }

        @Override
        public int deleteBefore(Instant before) {
            return 0;
        }

        @Override
        public void makeDurable() {
            durable++;
        }
    }

    static AuditRecord record(int i) {
        return new AuditRecord(Instant.ofEpochSecond(1_700_000_000L, i), "REQUEST", i % 2 == 0 ? "ISSUED" : "REFUSED",
                "user" + i, "sip:a" + i + "@op", i % 3 == 0 ? null : "IDRr=[sip:b@op]", i % 2 == 0 ? null : 0,
                "reason ü " + i, "127.0.0.1");
    }

    @Test
    void recordsJournaledBeforeACrashReachTheTableOnceAndATornTailIsDropped() throws Exception {
        AuditJournal first = AuditJournal.open(dir, false);
        List<JournaledRecord> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            written.add(first.append(record(i)));
        }
        first.close(); // the process dies: nothing reached the table, the segment stays
        try (var files = Files.list(dir)) {
            Path segment = files.filter(p -> p.getFileName().toString().endsWith(".journal")).findFirst().orElseThrow();
            // half a record written when the process died
            Files.write(segment, new byte[] {0, 0, 0, 40, 1, 2, 3}, StandardOpenOption.APPEND);
        }

        MemoryTable table = new MemoryTable();
        table.insert(written.subList(0, 2)); // the writer had inserted the first two before the crash
        AuditLog log = new AuditLog(table, AuditJournal.open(dir, false));
        assertThat(table.all).containsExactly(record(0), record(1), record(2), record(3), record(4));
        assertThat(table.durable).isPositive();
        log.record(record(5));
        log.close();
        assertThat(table.all).hasSize(6).last().isEqualTo(record(5));
        assertThat(table.progress).isEmpty(); // the segments are gone, and their progress with them

        // everything is in the table and the journal is empty: a second start inserts nothing
        AuditJournal j = AuditJournal.open(dir, false);
        assertThat(j.recovered()).isEmpty();
        j.close();
    }

    @Test
    void withFsyncEveryRecordIsSyncedAndReadBack() {
        AuditJournal j = AuditJournal.open(dir, true);
        for (int i = 0; i < 3; i++) {
            j.append(record(i));
            j.sync();
        }
        j.close();
        AuditJournal again = AuditJournal.open(dir, true);
        assertThat(again.recovered()).extracting(JournaledRecord::record)
                .containsExactly(record(0), record(1), record(2));
        again.close();
    }

    @Test
    void aSegmentLeftAtFullSizeByACrashReadsBackToItsLastRecord(@TempDir Path crashed) throws Exception {
        Path live = dir.resolve("live");
        AuditJournal j = AuditJournal.open(live, false);
        List<JournaledRecord> written = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            written.add(j.append(record(i)));
        }
        // the process dies here: the segment keeps its full size, the records followed by zeros
        Path seg;
        try (var files = Files.list(live)) {
            seg = files.filter(p -> p.getFileName().toString().endsWith(".journal")).findFirst().orElseThrow();
        }
        assertThat(Files.size(seg)).isEqualTo(AuditJournal.SEGMENT_BYTES);
        Files.copy(seg, crashed.resolve(seg.getFileName()));
        j.close();

        AuditJournal again = AuditJournal.open(crashed, false);
        assertThat(again.recovered()).extracting(JournaledRecord::record)
                .containsExactly(record(0), record(1), record(2));
        // the table's progress marks are the offsets the live journal handed out
        assertThat(again.recovered()).extracting(JournaledRecord::end)
                .containsExactlyElementsOf(written.stream().map(JournaledRecord::end).toList());
        again.close();
    }

    @Test
    void oneProcessAtATime() {
        AuditJournal j = AuditJournal.open(dir, false);
        try {
            // the same JVM holding the lock: FileChannel.tryLock reports the overlap as an exception
            assertThatThrownBy(() -> AuditJournal.open(dir, false)).isInstanceOf(RuntimeException.class);
        } finally {
            j.close();
        }
    }
}
