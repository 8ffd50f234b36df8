package org.kmsconf.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
    @TempDir
    Path dir;

    @Test
    void firstStartCreatesAnOwnerOnlyFileWith256RandomBits() throws Exception {
        Path f = dir.resolve("sub/admin.token");
        AdminToken t = AdminToken.loadOrCreate(f);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        String value = Files.readString(f).strip();
        assertThat(value).matches("[A-Za-z0-9_-]{43}"); // 32 bytes, base64url without padding
        assertThat(t.matches(value)).isTrue();
        assertThat(t.matches(value + "x")).isFalse();
        assertThat(t.matches("")).isFalse();
        assertThat(t.matches(null)).isFalse();
        assertThat(t.toString()).doesNotContain(value);
        // the next start reads the same token; another file gets another
        assertThat(AdminToken.loadOrCreate(f).matches(value)).isTrue();
        assertThat(AdminToken.loadOrCreate(dir.resolve("other.token")).matches(value)).isFalse();
        assertThat(AdminToken.read(f)).isEqualTo(value);
    }

    @Test
    void aTokenFileOthersMayReadIsRefused() throws Exception {
        Path f = dir.resolve("admin.token");
        AdminToken.loadOrCreate(f);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> AdminToken.loadOrCreate(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("open to others").hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> AdminToken.read(f)).isInstanceOf(IllegalArgumentException.class);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertThat(AdminToken.read(f)).hasSize(43);
    }

    @Test
    void anEmptyOrMissingTokenFileIsAClearError() throws Exception {
        assertThatThrownBy(() -> AdminToken.read(dir.resolve("none"))).hasMessageContaining("no admin token file");
        Path empty = Files.createFile(dir.resolve("empty"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        assertThatThrownBy(() -> AdminToken.loadOrCreate(empty)).hasMessageContaining("holds no token");
    }
}
