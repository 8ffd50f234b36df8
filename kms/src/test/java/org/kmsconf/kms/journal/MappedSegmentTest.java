package org.kmsconf.kms.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedSegmentTest {
    @TempDir
    Path dir;

    @Test
    void appendsAreInTheFileAtOnceAndCloseCutsItToThem() throws Exception {
        Path p = dir.resolve("s.journal");
        MappedSegment s = MappedSegment.create(p, 4096);
        assertThat(Files.size(p)).isEqualTo(4096);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
        assertThat(s.append(ByteBuffer.wrap(new byte[] {1, 2, 3}))).isEqualTo(3);
        assertThat(s.append(ByteBuffer.wrap(new byte[] {4}))).isEqualTo(4);
        // another reader of the file sees the records before any sync or close, and zeros after them
        byte[] seen = Files.readAllBytes(p);
        assertThat(seen).startsWith(1, 2, 3, 4);
        assertThat(MappedSegment.zerosFrom(seen, 4)).isTrue();
        assertThat(MappedSegment.zerosFrom(seen, 3)).isFalse();
        assertThat(s.fits(4092)).isTrue();
        assertThat(s.fits(4093)).isFalse();
        s.close(true);
        assertThat(Files.readAllBytes(p)).containsExactly(1, 2, 3, 4);
        s.force(); // nothing once closed
        s.close(); // idempotent
    }

    @Test
    void afterCloseAnAppendIsAnIoErrorNotAFault() throws Exception {
        MappedSegment s = MappedSegment.create(dir.resolve("s.journal"), 4096);
        s.close();
        assertThat(s.isClosed()).isTrue();
        assertThatThrownBy(() -> s.append(ByteBuffer.wrap(new byte[] {1}))).isInstanceOf(IOException.class);
    }

    @Test
    void anExistingFileIsNeverOverwrittenNorRemoved() throws Exception {
        Path p = Files.write(dir.resolve("s.journal"), new byte[] {9});
        assertThatThrownBy(() -> MappedSegment.create(p, 4096)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(p)).containsExactly(9);
    }
}
