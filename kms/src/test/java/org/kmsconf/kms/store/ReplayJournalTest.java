package org.kmsconf.kms.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.mikey.replay.ReplayKey;

class ReplayJournalTest {
    @TempDir
    Path dir;

    record Restored(String user, ReplayKey key) {
    }

    @Test
    void acceptedMessagesComeBackAfterReopeningAndExpiredOnesDoNot() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Path j = dir.resolve("replay");
        ReplayKey fresh = ReplayKey.of("sip:alice@operator", 7, now, new byte[] {1});
        ReplayKey old = ReplayKey.of("sip:bob@operator", 8, now.minusSeconds(400), new byte[] {2});
        try (ReplayJournal journal = ReplayJournal.open(j, Duration.ofSeconds(300), false, clock, (u, k) -> { })) {
            journal.append("alice", fresh, now.plusSeconds(300));
            journal.append("bob", old, now.minusSeconds(100)); // already expired
        }
        List<Restored> back = new ArrayList<>();
        try (ReplayJournal journal = ReplayJournal.open(j, Duration.ofSeconds(300), false, clock,
                (u, k) -> back.add(new Restored(u, k)))) {
            assertThat(back).hasSize(1);
            assertThat(back.get(0).user()).isEqualTo("alice");
            assertThat(back.get(0).key()).isEqualTo(fresh);
            assertThat(back.get(0).key().timestamp()).isEqualTo(now);
        }
        // owner-only from creation
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(j))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(j)) {
            for (Path f : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            }
        }
    }

    /**
     * A rotation takes a segment made ahead on the journal's spare thread (no zeros written on the appending thread),
     * the spare file is never read as records, and closing leaves no spare behind.
     */
    @Test
    void rotationsTakeSegmentsMadeAheadAndTheSpareIsNeverReadAsRecords() throws Exception {
        org.kmsconf.kms.MutableClock clock = new org.kmsconf.kms.MutableClock();
        Path j = dir.resolve("replay");
        List<ReplayKey> keys = new ArrayList<>();
        try (ReplayJournal journal = ReplayJournal.open(j, Duration.ofSeconds(300), false, clock, (u, k) -> { })) {
            for (int i = 0; i < 3; i++) {
                ReplayKey k = ReplayKey.of("sip:alice@operator", i, clock.instant(), new byte[] {(byte) i});
                keys.add(k);
                journal.append("alice", k, clock.instant().plusSeconds(3_000));
                clock.advance(Duration.ofSeconds(301)); // the next append starts a new segment
            }
            assertThat(journal.spareSegmentsTaken()).isEqualTo(2);
        }
        assertThat(j.resolve("replay-spare.tmp")).doesNotExist();
        Files.write(j.resolve("replay-spare.tmp"), new byte[] {1, 2, 3}); // as a process killed mid-making would
        List<ReplayKey> back = new ArrayList<>();
        try (ReplayJournal journal = ReplayJournal.open(j, Duration.ofSeconds(300), false, clock,
                (u, k) -> back.add(k))) {
            assertThat(back).containsExactlyElementsOf(keys);
        }
        assertThat(j.resolve("replay-spare.tmp")).doesNotExist();
    }

    @Test
    void aRecordTornByACrashMidWriteIsIgnoredAndTheOnesBeforeItKept() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Path j = dir.resolve("replay");
        try (ReplayJournal journal = ReplayJournal.open(j, Duration.ofSeconds(300), false, clock, (u, k) -> { })) {
            journal.append("alice", ReplayKey.of("a", 1, now, null), now.plusSeconds(300));
            journal.append("alice", ReplayKey.of("a", 2, now, null), now.plusSeconds(300));
        }
        Path seg;
        try (Stream<Path> files = Files.list(j)) {
            // the segment, not the spare the journal makes beside it
            seg = files.filter(p -> p.getFileName().toString().endsWith(".journal")).findFirst().orElseThrow();
        }
        byte[] all = Files.readAllBytes(seg);
        Files.write(seg, java.util.Arrays.copyOf(all, all.length - 3), StandardOpenOption.TRUNCATE_EXISTING);
        List<ReplayKey> back = new ArrayList<>();
        ReplayJournal.open(j, Duration.ofSeconds(300), false, clock, (u, k) -> back.add(k)).close();
        assertThat(back).containsExactly(ReplayKey.of("a", 1, now, null));
    }

    @Test
    void aSegmentLeftAtFullSizeByACrashReadsBackToItsLastRecord() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Path j = dir.resolve("replay");
        Path crashed = Files.createDirectory(dir.resolve("crashed"));
        ReplayJournal journal = ReplayJournal.open(j, Duration.ofSeconds(300), false, clock, (u, k) -> { });
        journal.append("alice", ReplayKey.of("a", 1, now, null), now.plusSeconds(300));
        journal.append("alice", ReplayKey.of("a", 2, now, null), now.plusSeconds(300));
        // the process dies here: its segment keeps the full size, the records followed by zeros
        Path seg;
        try (Stream<Path> files = Files.list(j)) {
            // the segment, not the spare the journal makes beside it
            seg = files.filter(p -> p.getFileName().toString().endsWith(".journal")).findFirst().orElseThrow();
        }
        assertThat(Files.size(seg)).isEqualTo(ReplayJournal.SEGMENT_BYTES);
        Files.copy(seg, crashed.resolve(seg.getFileName()));
        journal.close();
        assertThat(Files.size(seg)).as("a closed segment is cut to its records").isLessThan(200);

        List<ReplayKey> back = new ArrayList<>();
        ReplayJournal.open(crashed, Duration.ofSeconds(300), false, clock, (u, k) -> back.add(k)).close();
        assertThat(back).containsExactly(ReplayKey.of("a", 1, now, null), ReplayKey.of("a", 2, now, null));

        // a third record torn by the crash, inside the zero tail: the two before it stay, nothing after it is read
        Path torn = Files.createDirectory(dir.resolve("torn"));
        byte[] all = Files.readAllBytes(crashed.resolve(seg.getFileName()));
        int used = (int) Files.size(seg);
        System.arraycopy(all, 0, all, used, 20); // the first 20 bytes of a record, no CRC
        Files.write(torn.resolve(seg.getFileName()), all);
        back.clear();
        ReplayJournal.open(torn, Duration.ofSeconds(300), false, clock, (u, k) -> back.add(k)).close();
        assertThat(back).containsExactly(ReplayKey.of("a", 1, now, null), ReplayKey.of("a", 2, now, null));
    }

    /** What one durable replay record costs: write(2) only, and with fdatasync(2). Prints; asserts nothing timing. */
    @Test
    @Tag("measurement")
    void costOfOneRecord() throws Exception {
        for (boolean fsync : new boolean[] {false, true}) {
            Path j = dir.resolve("m-" + fsync);
            try (ReplayJournal journal = ReplayJournal.open(j, Duration.ofSeconds(300), fsync, Clock.systemUTC(),
                    (u, k) -> { })) {
                int n = fsync ? 500 : 50_000;
                Instant exp = Instant.now().plusSeconds(300);
                for (int i = 0; i < n / 10; i++) {
                    journal.append("warm", ReplayKey.of("w", i, Instant.now(), null), exp);
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    journal.append("user", ReplayKey.of("u", i, Instant.now(), null), exp);
                }
                System.out.printf(Locale.ROOT, "replay journal append, fsync=%s: %.1f us per record (%d records)%n",
                        fsync, (System.nanoTime() - t0) / 1e3 / n, n);
            }
        }
    }
}
