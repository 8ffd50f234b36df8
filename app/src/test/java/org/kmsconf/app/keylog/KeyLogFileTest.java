package org.kmsconf.app.keylog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;

class KeyLogFileTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void writesPskAndSrtpLinesInTheProfileFormat(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.log");
        byte[] key = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] salt = HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaabacad");
        try (KeyLogFile log = KeyLogFile.create(file)) {
            byte[] psk = HEX.parseHex("11".repeat(32));
            log.psk("sip:factory.conference1@operator", psk);
            log.psk("sip:focus1.conference1@operator", psk);
            log.srtpKeys("sip:alice@operator", "sip:focus1.conference1@operator", Ssrc.of(0x1234),
                    new SrtpKeys(1, key, salt, SrtpPolicy.DEFAULT));
            // the other end of the leg reports the same crypto session: written once
            log.srtpKeys("sip:alice@operator", "sip:focus1.conference1@operator", Ssrc.of(0x1234),
                    new SrtpKeys(1, key, salt, SrtpPolicy.DEFAULT));
            log.srtpKeys("sip:focus1.conference1@operator", "sip:alice@operator", Ssrc.of(0xFEDCBA98L),
                    new SrtpKeys(2, key, salt, SrtpPolicy.DEFAULT));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).filteredOn(l -> !l.startsWith("#")).containsExactly(
                "PSK sip:factory.conference1@operator " + "11".repeat(32),
                "PSK sip:focus1.conference1@operator " + "11".repeat(32),
                "SRTP sip:alice@operator sip:focus1.conference1@operator 0x00001234 000102030405060708090a0b0c0d0e0f"
                        + " a0a1a2a3a4a5a6a7a8a9aaabacad AES_CM_128_HMAC_SHA1_80",
                "SRTP sip:focus1.conference1@operator sip:alice@operator 0xfedcba98 000102030405060708090a0b0c0d0e0f"
                        + " a0a1a2a3a4a5a6a7a8a9aaabacad AES_CM_128_HMAC_SHA1_80");
        assertThat(lines.get(0)).startsWith("# ").contains("DEBUGGING ONLY");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void refusesAUriThatWouldBreakTheLineFormat(@TempDir Path dir) {
        try (KeyLogFile log = KeyLogFile.create(dir.resolve("k"))) {
            assertThatThrownBy(() -> log.psk("sip:a b@x", new byte[16])).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
