package org.kmsconf.httpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
    private static final TokenFile.Purpose ADMIN = new TokenFile.Purpose("admin token", "the conference server");

    @TempDir
    Path dir;

    @Test
    void firstStartCreatesAnOwnerOnlyFileWith256RandomBits() throws Exception {
        Path f = dir.resolve("sub/admin.token");
        TokenFile t = TokenFile.loadOrCreate(f, ADMIN);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        String value = Files.readString(f).strip();
        assertThat(value).matches("[A-Za-z0-9_-]{43}"); // 32 bytes, base64url without padding
        assertThat(t.matches(value)).isTrue();
        assertThat(t.matches(value + "x")).isFalse();
        assertThat(t.matches("")).isFalse();
        assertThat(t.matches(null)).isFalse();
        assertThat(t.matchesBearer("Bearer " + value)).isTrue();
        assertThat(t.matchesBearer("bearer " + value)).isTrue();
        assertThat(t.matchesBearer(value)).isFalse();
        assertThat(t.matchesBearer("Basic " + value)).isFalse();
        assertThat(t.toString()).doesNotContain(value);
        // the next start reads the same token; another file gets another
        assertThat(TokenFile.loadOrCreate(f, ADMIN).matches(value)).isTrue();
        assertThat(TokenFile.loadOrCreate(dir.resolve("other.token"), ADMIN).matches(value)).isFalse();
        assertThat(TokenFile.read(f, ADMIN)).isEqualTo(value);
    }

    @Test
    void aTokenFileOthersMayReadIsRefused() throws Exception {
        Path f = dir.resolve("admin.token");
        TokenFile.loadOrCreate(f, ADMIN);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> TokenFile.loadOrCreate(f, ADMIN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("open to others").hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> TokenFile.read(f, ADMIN)).isInstanceOf(IllegalArgumentException.class);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertThat(TokenFile.read(f, ADMIN)).hasSize(43);
    }

    @Test
    void anEmptyOrMissingTokenFileIsAClearError() throws Exception {
        assertThatThrownBy(() -> TokenFile.read(dir.resolve("none"), ADMIN)).hasMessageContaining("no admin token file");
        Path empty = Files.createFile(dir.resolve("empty"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        assertThatThrownBy(() -> TokenFile.loadOrCreate(empty, ADMIN)).hasMessageContaining("holds no token");
    }
}
