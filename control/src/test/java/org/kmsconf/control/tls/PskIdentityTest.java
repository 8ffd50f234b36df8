package org.kmsconf.control.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** docs/profile.md §6: psk_identity = ASCII "kmsconf-bfcp:" CSB ID in 8 lowercase hex digits ":b0", 24 octets. */
class PskIdentityTest {
    @Test
    void theFormat() {
        PskIdentity id = new PskIdentity(0x0a0b0c0d);
        assertThat(id.text()).isEqualTo("kmsconf-bfcp:0a0b0c0d:b0");
        assertThat(id.bytes()).hasSize(24).isEqualTo("kmsconf-bfcp:0a0b0c0d:b0".getBytes(StandardCharsets.US_ASCII));
        assertThat(new PskIdentity(0xFFFFFFFF).text()).isEqualTo("kmsconf-bfcp:ffffffff:b0");
        assertThat(new PskIdentity(0).text()).isEqualTo("kmsconf-bfcp:00000000:b0");
    }

    @Test
    void parsingAcceptsExactlyThatForm() {
        assertThat(PskIdentity.parse("kmsconf-bfcp:0a0b0c0d:b0".getBytes(StandardCharsets.US_ASCII)))
                .hasValue(new PskIdentity(0x0a0b0c0d));
        assertThat(PskIdentity.parse(new PskIdentity(0x80000001).bytes())).hasValue(new PskIdentity(0x80000001));
        for (String bad : new String[] {"kmsconf-bfcp:0A0B0C0D:b0", "kmsconf-bfcp:0a0b0c0:b0", "kmsconf-bfcp:0a0b0c0d:e0",
            "kmsconf-bfcp:0a0b0c0d:b00", "KMSCONF-BFCP:0a0b0c0d:b0", "kmsconf-bfcp:+a0b0c0d:b0", ""}) {
            assertThat(PskIdentity.parse(bad.getBytes(StandardCharsets.US_ASCII))).as(bad).isEmpty();
        }
        assertThat(PskIdentity.parse(null)).isEmpty();
    }
}
