package org.kmsconf.mikey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kmsconf.mikey.crypto.Hex.b;
import static org.kmsconf.mikey.crypto.Hex.h;

import org.junit.jupiter.api.Test;

/** docs/test-vectors.md §C (PRF-HMAC-SHA-256, third-party data) and §D.1/§D.2 (MIKEY-1 PRF, self-computed). */
class PrfTest {
    private static final byte[] C_SSV = b("A27B7D578EEB9B1EE7705E385996D300");
    private static final byte[] C_RAND = b("4339F62F55AAC86348846A482C893802");

    private static final byte[] D_TGK = Hex.seq(0x00, 16);
    private static final byte[] D_RAND = Hex.seq(0x10, 16);
    private static final int D_CSB = 0x12345678;
    private static final byte[] D_PSK = Hex.seq(0xa0, 16);

    private static String prf(PrfFunc f, byte[] inkey, byte[] label, int n) {
        return h(Prf.derive(f, inkey, label, n));
    }

    @Test
    void vectorC1EncrKeyAndSaltCs4() {
        byte[] encr = Labels.rfc3830Tgk(Labels.TGK_ENCR, 0x04, 0x05A85C16, C_RAND);
        byte[] salt = Labels.rfc3830Tgk(Labels.SALT, 0x04, 0x05A85C16, C_RAND);
        assertThat(prf(PrfFunc.HMAC_SHA_256, C_SSV, encr, 16)).isEqualTo("3924935940c154ccbc3c2ad05c8f5181");
        assertThat(prf(PrfFunc.HMAC_SHA_256, C_SSV, salt, 12)).isEqualTo("1725869b80f370cc9f24e13b");
    }

    @Test
    void vectorC2EncrKeyAndSaltCs0() {
        byte[] encr = Labels.rfc3830Tgk(Labels.TGK_ENCR, 0x00, 0x05A85C16, C_RAND);
        byte[] salt = Labels.rfc3830Tgk(Labels.SALT, 0x00, 0x05A85C16, C_RAND);
        assertThat(prf(PrfFunc.HMAC_SHA_256, C_SSV, encr, 16)).isEqualTo("f17c80a8d2f9befa47cf712603d7229a");
        assertThat(prf(PrfFunc.HMAC_SHA_256, C_SSV, salt, 12)).isEqualTo("c3b7b561a291a1d3abef482b");
    }

    @Test
    void vectorC3TekAndSalt() {
        byte[] tek = Labels.rfc3830Tgk(Labels.TEK, 0x04, 0x0633F457, C_RAND);
        assertThat(h(tek)).isEqualTo("2ad01c64040633f4574339f62f55aac86348846a482c893802");
        byte[] salt = Labels.rfc3830Tgk(Labels.SALT, 0x04, 0x0633F457, C_RAND);
        assertThat(prf(PrfFunc.HMAC_SHA_256, C_SSV, tek, 16)).isEqualTo("59aaa49ebb54813602b7cc165961b4e8");
        assertThat(prf(PrfFunc.HMAC_SHA_256, C_SSV, salt, 12)).isEqualTo("745eb4df7d155c473114a799");
    }

    @Test
    void pFunctionStartsFromTheLabelNotFromHmacOfTheData() {
        // TEST-VECTORS §C counter-example: the RFC P gives 9a60..., the Kapsch test expected plain HMAC (198a...).
        byte[] key = Hex.repeat(0x0b, 32);
        byte[] label = "Hi There".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String out = prf(PrfFunc.HMAC_SHA_256, key, label, 64);
        assertThat(out).startsWith("9a60ac40c6435ab02855d3fe19c24df06310c930dd7893707459b2d60e1e0498");
        assertThat(out).doesNotContain("198a607eb44bfbc69903a0f1cf2bbdc5");
    }

    @Test
    void vectorD1TekFromTgk() {
        byte[] label = Labels.rfc3830Tgk(Labels.TEK, 1, D_CSB, D_RAND);
        assertThat(h(label)).isEqualTo("2ad01c640112345678101112131415161718191a1b1c1d1e1f");
        assertThat(prf(PrfFunc.MIKEY_1, D_TGK, label, 16)).isEqualTo("838f7dea3e6c733fb7755a665bfab763");
    }

    @Test
    void vectorD1SaltFromTgk() {
        byte[] label = Labels.rfc3830Tgk(Labels.SALT, 1, D_CSB, D_RAND);
        assertThat(h(label)).isEqualTo("39a2c14b0112345678101112131415161718191a1b1c1d1e1f");
        assertThat(prf(PrfFunc.MIKEY_1, D_TGK, label, 14)).isEqualTo("c8512869cd0d1abaa797c728327b");
    }

    @Test
    void vectorD1EncrKeyFromTgk() {
        byte[] label = Labels.rfc3830Tgk(Labels.TGK_ENCR, 1, D_CSB, D_RAND);
        assertThat(h(label)).isEqualTo("15798cef0112345678101112131415161718191a1b1c1d1e1f");
        assertThat(prf(PrfFunc.MIKEY_1, D_TGK, label, 16)).isEqualTo("5a2d1ccf00e863ad6f01585cdbe40015");
    }

    @Test
    void vectorD1AuthKeyFromTgk() {
        byte[] label = Labels.rfc3830Tgk(Labels.TGK_AUTH, 1, D_CSB, D_RAND);
        assertThat(h(label)).isEqualTo("1b5c79730112345678101112131415161718191a1b1c1d1e1f");
        assertThat(prf(PrfFunc.MIKEY_1, D_TGK, label, 20)).isEqualTo("d500bcfc41238b366cfd1167c6f9e7f388ce5537");
    }

    @Test
    void vectorD1TekOf256BitsUsesTwoBlocks() {
        byte[] label = Labels.rfc3830Tgk(Labels.TEK, 1, D_CSB, D_RAND);
        assertThat(prf(PrfFunc.MIKEY_1, D_TGK, label, 32))
                .isEqualTo("838f7dea3e6c733fb7755a665bfab7635d47c10c1e251fb218d3c809e7917824");
    }

    @Test
    void vectorD1InkeyOf48BytesIsSplitIntoTwoPiecesAndXored() {
        byte[] label = Labels.rfc3830Tgk(Labels.TEK, 1, D_CSB, D_RAND);
        assertThat(prf(PrfFunc.MIKEY_1, Hex.seq(0x00, 48), label, 16)).isEqualTo("cc4a1a7ffaa66d18968fe096b90e82ab");
    }

    @Test
    void vectorD1TekWithPrfHmacSha256() {
        byte[] label = Labels.rfc3830Tgk(Labels.TEK, 1, D_CSB, D_RAND);
        assertThat(prf(PrfFunc.HMAC_SHA_256, D_TGK, label, 16)).isEqualTo("79fd124ed776e92942191513db132ac0");
    }

    @Test
    void vectorD2EncrKeyFromPsk() {
        byte[] label = Labels.rfc3830Psk(Labels.PSK_ENCR, D_CSB, D_RAND);
        assertThat(h(label)).isEqualTo("150533e1ff12345678101112131415161718191a1b1c1d1e1f");
        assertThat(prf(PrfFunc.MIKEY_1, D_PSK, label, 16)).isEqualTo("420387358a526f2bbb0ef1d95ba83442");
    }

    @Test
    void vectorD2AuthKeyFromPsk() {
        byte[] label = Labels.rfc3830Psk(Labels.PSK_AUTH, D_CSB, D_RAND);
        assertThat(h(label)).isEqualTo("2d22ac75ff12345678101112131415161718191a1b1c1d1e1f");
        assertThat(prf(PrfFunc.MIKEY_1, D_PSK, label, 20)).isEqualTo("2a1ab782df726cd69f6932237a2d28c5a17b0f39");
    }

    @Test
    void vectorD2SaltKeyFromPsk() {
        byte[] label = Labels.rfc3830Psk(Labels.PSK_SALT, D_CSB, D_RAND);
        assertThat(h(label)).isEqualTo("29b88916ff12345678101112131415161718191a1b1c1d1e1f");
        assertThat(prf(PrfFunc.MIKEY_1, D_PSK, label, 14)).isEqualTo("3d896718ab65fc2a29d482366445");
    }

    @Test
    void outputOfAnyLengthIsAPrefixOfTheLongerOutput() {
        byte[] label = Labels.rfc3830Tgk(Labels.TEK, 1, D_CSB, D_RAND);
        for (PrfFunc f : PrfFunc.values()) {
            String longest = prf(f, D_TGK, label, 100);
            for (int n = 0; n <= 100; n++) {
                assertThat(prf(f, D_TGK, label, n)).isEqualTo(longest.substring(0, 2 * n));
            }
        }
    }

    @Test
    void keyMaterialOverloadGivesTheSameBytes() {
        byte[] label = Labels.rfc3830Tgk(Labels.TEK, 1, D_CSB, D_RAND);
        KeyMaterial k = Prf.derive(PrfFunc.MIKEY_1, KeyMaterial.of(D_TGK), label, 16);
        assertThat(h(k.bytes())).isEqualTo("838f7dea3e6c733fb7755a665bfab763");
    }

    @Test
    void deriveAllEqualsSeparateDerivationsAlsoForASplitInkey() {
        byte[][] labels = {Labels.rfc3830Tgk(Labels.TEK, 1, D_CSB, D_RAND), Labels.rfc3830Tgk(Labels.SALT, 1, D_CSB,
            D_RAND), Labels.rfc3830Psk(Labels.PSK_AUTH, D_CSB, D_RAND)};
        int[] lens = {16, 0, 45};
        for (PrfFunc f : PrfFunc.values()) {
            for (byte[] inkey : new byte[][] {D_TGK, Hex.seq(0, 48), Hex.seq(7, 70)}) {
                byte[][] all = Prf.deriveAll(f, inkey, labels, lens);
                for (int j = 0; j < labels.length; j++) {
                    assertThat(h(all[j])).isEqualTo(prf(f, inkey, labels[j], lens[j]));
                }
            }
        }
        assertThat(h(Prf.deriveAll(PrfFunc.MIKEY_1, Hex.seq(0, 48), labels, lens)[0]))
                .isEqualTo("cc4a1a7ffaa66d18968fe096b90e82ab");
    }
}
