package org.kmsconf.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
    @TempDir
    Path dir;

    @Test
    void sealedValuesOpenOnlyUnderTheSameKeyAndPurpose() {
        MasterKey k = MasterKey.generate();
        byte[] secret = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        String sealed = k.seal(secret, "psk:00");
        assertThat(sealed).doesNotContain("0102030405");
        assertThat(k.open(sealed, "psk:00")).containsExactly(secret);
        assertThatThrownBy(() -> k.open(sealed, "psk:01")).isInstanceOf(MasterKey.WrongMasterKeyException.class);
        assertThatThrownBy(() -> MasterKey.generate().open(sealed, "psk:00"))
                .isInstanceOf(MasterKey.WrongMasterKeyException.class);
        assertThat(k.seal(secret, "psk:00")).isNotEqualTo(sealed); // fresh nonce each time
        assertThat(k.toString()).doesNotContainPattern("[0-9a-f]{16}");
    }

    @Test
    void keyFileIsCreatedOnceWithOwnerOnlyPermissionsAndReadBack() throws Exception {
        Path f = dir.resolve("sub/master.key");
        assertThatThrownBy(() -> MasterKeySource.load(null, f, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no master key");
        MasterKey created = MasterKeySource.load(null, f, true);
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String sealed = created.seal(new byte[] {42}, "x");
        MasterKey again = MasterKeySource.load(null, f, true);
        assertThat(again.open(sealed, "x")).containsExactly(42);
    }

    @Test
    void environmentValueWinsAndBadValuesAreOneLineErrors() {
        String hex = "00".repeat(32);
        MasterKey k = MasterKeySource.load(hex, dir.resolve("absent"), false);
        assertThat(MasterKeySource.load(hex, dir.resolve("absent"), false).open(k.seal(new byte[] {7}, "p"), "p"))
                .containsExactly(7);
        assertThatThrownBy(() -> MasterKeySource.load("abcd", dir.resolve("absent"), false))
                .hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> MasterKeySource.load("zz".repeat(32), dir.resolve("absent"), false))
                .hasMessageContaining("not hexadecimal");
    }
}
