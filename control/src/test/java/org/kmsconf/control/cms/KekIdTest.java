package org.kmsconf.control.cms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** docs/profile.md §6: kekid.keyIdentifier = CSB ID (4 octets, big-endian) || 0xE0. */
class KekIdTest {
    @Test
    void theFormat() {
        assertThat(new KekId(0x0a0b0c0d).bytes()).containsExactly(0x0a, 0x0b, 0x0c, 0x0d, 0xe0);
        assertThat(new KekId(0xFFFFFFFE).bytes()).containsExactly(0xff, 0xff, 0xff, 0xfe, 0xe0);
    }

    @Test
    void parsingAcceptsExactlyThatForm() {
        assertThat(KekId.parse(new byte[] {0x0a, 0x0b, 0x0c, 0x0d, (byte) 0xe0})).hasValue(new KekId(0x0a0b0c0d));
        assertThat(KekId.parse(new byte[] {0x0a, 0x0b, 0x0c, 0x0d, (byte) 0xb0})).isEmpty();
        assertThat(KekId.parse(new byte[] {0x0a, 0x0b, 0x0c, 0x0d})).isEmpty();
        assertThat(KekId.parse(new byte[] {0, 0x0a, 0x0b, 0x0c, 0x0d, (byte) 0xe0})).isEmpty();
        assertThat(KekId.parse(null)).isEmpty();
    }
}
