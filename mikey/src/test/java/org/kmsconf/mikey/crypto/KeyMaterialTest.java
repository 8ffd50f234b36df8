package org.kmsconf.mikey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyMaterialTest {

    @Test
    void toStringNeverShowsTheBytes() {
        KeyMaterial k = KeyMaterial.of(Hex.repeat(0xab, 16));
        assertThat(k.toString()).isEqualTo("KeyMaterial[128 bit, redacted]").doesNotContain("ab");
    }

    @Test
    void copiesInAndOut() {
        byte[] raw = Hex.seq(1, 16);
        KeyMaterial k = KeyMaterial.of(raw);
        raw[0] = 99;
        byte[] out = k.bytes();
        assertThat(out[0]).isEqualTo((byte) 1);
        out[1] = 99;
        assertThat(k.bytes()[1]).isEqualTo((byte) 2);
    }

    @Test
    void destroyZeroesAndForbidsLaterUse() {
        KeyMaterial k = KeyMaterial.of(Hex.seq(1, 16));
        byte[] inside = k.raw();
        k.destroy();
        assertThat(inside).containsOnly(0);
        assertThat(k.isDestroyed()).isTrue();
        assertThat(k.toString()).contains("destroyed");
        assertThatThrownBy(k::bytes).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void equalityIsByContentAndHashOnlyByLength() {
        KeyMaterial a = KeyMaterial.of(Hex.seq(1, 16));
        KeyMaterial b = KeyMaterial.of(Hex.seq(1, 16));
        KeyMaterial c = KeyMaterial.of(Hex.seq(2, 16));
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(a.hashCode()).isEqualTo(c.hashCode());
        assertThat(a).isNotEqualTo(KeyMaterial.of(Hex.seq(1, 32)));
    }
}
