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
}
