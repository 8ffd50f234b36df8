package org.kmsconf.kms.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpareSegmentTest {
    @TempDir
    Path dir;

    @Test
    void theNextSegmentIsMadeAheadAndTakenByARenameAndClosingDeletesTheSpare() throws Exception {
        try (SpareSegment spares = SpareSegment.open(dir, "spare.tmp", 4096, "test-spare")) {
            MappedSegment first = spares.take(dir.resolve("s1.journal")); // nothing made yet: made on the spot
            assertThat(spares.takenReady()).isZero();
            MappedSegment second = spares.take(dir.resolve("s2.journal"));
            assertThat(spares.takenReady()).isEqualTo(1);
            Path s2 = dir.resolve("s2.journal");
            assertThat(Files.size(s2)).isEqualTo(4096);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s2))).isEqualTo("rw-------");
            second.append(ByteBuffer.wrap(new byte[] {7, 8}));
            assertThat(Files.readAllBytes(s2)).startsWith(7, 8);
            // a name in use is refused, and the segment made for it is not left behind
            assertThatThrownBy(() -> spares.take(dir.resolve("s1.journal")))
                    .isInstanceOf(FileAlreadyExistsException.class);
            first.close();
            second.close();
            assertThat(Files.size(s2)).isEqualTo(2);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("s1.journal", "s2.journal");
        }
    }

    @Test
    void aSpareLeftByAProcessThatDiedIsDeletedAtOpen() throws Exception {
        Path leftover = dir.resolve("spare.tmp");
        Files.write(leftover, new byte[] {1, 2, 3});
        try (SpareSegment spares = SpareSegment.open(dir, "spare.tmp", 4096, "test-spare")) {
            assertThat(leftover).doesNotExist();
            spares.take(dir.resolve("s1.journal")).close();
        }
        assertThat(leftover).doesNotExist();
    }

    /**
     * What a rotation costs the appending thread: making a 4 MiB segment on the spot against taking one made ahead
     * (after waiting until it is made). Prints; asserts nothing timing.
     */
    @Test
    @org.junit.jupiter.api.Tag("measurement")
    void costOfARotation() throws Exception {
        int capacity = 4 << 20;
        int n = 30;
        long[] onTheSpot = new long[n];
        long[] madeAhead = new long[n];
        try (SpareSegment spares = SpareSegment.open(dir, "spare.tmp", capacity, "test-spare")) {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                MappedSegment s = MappedSegment.create(dir.resolve("a" + i), capacity);
                onTheSpot[i] = System.nanoTime() - t0;
                s.close();
                Files.delete(dir.resolve("a" + i));
                spares.take(dir.resolve("w" + i)).close(); // starts the next spare
                Thread.sleep(100); // the spare is made meanwhile, as between two rotations
                t0 = System.nanoTime();
                s = spares.take(dir.resolve("b" + i));
                madeAhead[i] = System.nanoTime() - t0;
                s.close();
                Files.delete(dir.resolve("b" + i));
                Files.delete(dir.resolve("w" + i));
            }
        }
        java.util.Arrays.sort(onTheSpot);
        java.util.Arrays.sort(madeAhead);
        System.out.printf(java.util.Locale.ROOT, "new 4 MiB journal segment on the appending thread: made on the spot"
                + " median %.2f ms (max %.2f), taken made ahead median %.3f ms (max %.3f), %d each%n",
                onTheSpot[n / 2] / 1e6, onTheSpot[n - 1] / 1e6, madeAhead[n / 2] / 1e6, madeAhead[n - 1] / 1e6, n);
    }
}
