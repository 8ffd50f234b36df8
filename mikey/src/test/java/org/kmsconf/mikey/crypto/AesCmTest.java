package org.kmsconf.mikey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kmsconf.mikey.crypto.Hex.b;
import static org.kmsconf.mikey.crypto.Hex.h;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** docs/test-vectors.md §A.2 (RFC 3711 B.2 AES-CM keystream) and §A.3 (RFC 3711 B.3 KDF, as a check of the AES-CM core). */
class AesCmTest {
    private static final KeyMaterial B2_KEY = KeyMaterial.of(b("2B7E151628AED2A6ABF7158809CF4F3C"));
    private static final byte[] B2_IV = b("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");

    @Test
    void rfc3711B2FirstKeystreamBlocks() {
        byte[] ks = AesCm.keystream(B2_KEY, B2_IV, 48);
        assertThat(h(ks)).isEqualTo(("E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB"
                + "41E95B3BB0A2E8DD477901E4FCA894C0").toLowerCase());
    }

    @Test
    void rfc3711B2LastKeystreamBlocksOfTheWholeSegment() {
        // 1044512 octets = 65282 blocks; the counter carries from ...FDFEFF into ...FDFF00.
        byte[] ks = AesCm.keystream(B2_KEY, B2_IV, 1044512);
        assertThat(h(Arrays.copyOfRange(ks, 0xFEFF * 16, 0xFF02 * 16))).isEqualTo(("EC8CDF7398607CB0F2D21675EA9EA1E4"
                + "362B7C3C6773516318A077D7FC5073AE"
                + "6A2CC3787889374FBEB4C81B17BA6C44").toLowerCase());
    }

    @Test
    void rfc3711B3CipherKeyLabel00() {
        KeyMaterial master = KeyMaterial.of(b("E1F97A0D3E018BE0D64FA32C06DE4139"));
        byte[] ks = AesCm.keystream(master, b("0EC675AD498AFEEBB6960B3AABE60000"), 16);
        assertThat(h(ks)).isEqualTo("c61e7a93744f39ee10734afe3ff7a087");
    }

    @Test
    void rfc3711B3CipherSaltLabel02() {
        KeyMaterial master = KeyMaterial.of(b("E1F97A0D3E018BE0D64FA32C06DE4139"));
        byte[] ks = AesCm.keystream(master, b("0EC675AD498AFEE9B6960B3AABE60000"), 14);
        assertThat(h(ks)).isEqualTo("30cbbc08863d8c85d49db34a9ae1");
    }

    @Test
    void rfc3711B3AuthKeyLabel01Of94Octets() {
        KeyMaterial master = KeyMaterial.of(b("E1F97A0D3E018BE0D64FA32C06DE4139"));
        byte[] ks = AesCm.keystream(master, b("0EC675AD498AFEEAB6960B3AABE60000"), 94);
        assertThat(h(ks)).isEqualTo(("CEBE321F6FF7716B6FD4AB49AF256A15"
                + "6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                + "E049646C43D9327AD175578EF7227098"
                + "6371C10C9A369AC2F94A8C5FBCDDDC25"
                + "6D6E919A48B610EF17C2041E47403576"
                + "6B68642C59BBFC2F34DB60DBDFB2").toLowerCase());
    }

    @Test
    void applyTwiceGivesThePlaintextBack() {
        byte[] pt = Hex.seq(0, 100);
        assertThat(AesCm.apply(B2_KEY, B2_IV, AesCm.apply(B2_KEY, B2_IV, pt))).isEqualTo(pt);
    }
}
