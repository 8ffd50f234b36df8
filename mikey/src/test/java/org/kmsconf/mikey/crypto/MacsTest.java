package org.kmsconf.mikey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kmsconf.mikey.crypto.Hex.b;
import static org.kmsconf.mikey.crypto.Hex.h;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** docs/test-vectors.md §D.3: the KEMAC MAC of the I_MESSAGE and the V MAC of the R_MESSAGE. */
class MacsTest {
    static final byte[] I_MESSAGE = b("""
            0100058012345678010000aabbccdd000000000b00e9a1b2c3000000000610101112131415161718191a1b1c1d1e1f06010015
            7369703a616c696365406578616d706c652e636f6d0a0100137369703a626f62406578616d706c652e636f6d010000002100010101
            011002010103011404010e0501000601000701010801010a01010b010a00010014eb20a9f9f053dac33f3f21c0c82514203f764dab
            01695c1854695aa753b684d81c7ff388a149dff24a""");
    static final byte[] R_MESSAGE = b("""
            0101050012345678010000aabbccdd000000000600e9a1b2c300000000090100137369703a626f62406578616d706c652e636f6d
            0001857017cfd68babc7f3f73271274593fae401b185""");
    static final KeyMaterial AUTH_KEY = KemacCryptoTest.D3_KEYS.authKey();
    static final byte[] ALICE = "sip:alice@example.com".getBytes(StandardCharsets.US_ASCII);
    static final byte[] BOB = "sip:bob@example.com".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TS = b("e9a1b2c300000000");

    @Test
    void iMessageKemacMacCoversEverythingBeforeTheMac() {
        assertThat(I_MESSAGE).hasSize(178);
        byte[] mac = Macs.compute(MacAlg.HMAC_SHA_1_160, AUTH_KEY, I_MESSAGE, 0, I_MESSAGE.length - 20);
        assertThat(h(mac)).isEqualTo("695c1854695aa753b684d81c7ff388a149dff24a");
        assertThat(Macs.verify(MacAlg.HMAC_SHA_1_160, AUTH_KEY, Arrays.copyOfRange(I_MESSAGE, 158, 178),
                Arrays.copyOf(I_MESSAGE, 158))).isTrue();
    }

    @Test
    void rMessageVerificationMacAppendsBothIdentitiesAndTheTimestamp() {
        byte[] body = Arrays.copyOf(R_MESSAGE, R_MESSAGE.length - 20);
        byte[] mac = Macs.compute(MacAlg.HMAC_SHA_1_160, AUTH_KEY, body, ALICE, BOB, TS);
        assertThat(h(mac)).isEqualTo("857017cfd68babc7f3f73271274593fae401b185");
        assertThat(h(Macs.compute(MacAlg.HMAC_SHA_1_160, AUTH_KEY, R_MESSAGE, 0, body.length, ALICE, BOB, TS)))
                .isEqualTo(h(mac));
    }

    @Test
    void rMessageMacWithOnlyTheTimestampAppendedIsTheMinisipValue() {
        byte[] body = Arrays.copyOf(R_MESSAGE, R_MESSAGE.length - 20);
        assertThat(h(Macs.compute(MacAlg.HMAC_SHA_1_160, AUTH_KEY, body, TS)))
                .isEqualTo("4d6d3d31590b8b920c87c541c11b9da7929d43b7");
    }

    @Test
    void verifyRejectsAFlippedBitAndAWrongLength() {
        byte[] body = Arrays.copyOf(R_MESSAGE, R_MESSAGE.length - 20);
        byte[] good = b("857017cfd68babc7f3f73271274593fae401b185");
        assertThat(Macs.verify(MacAlg.HMAC_SHA_1_160, AUTH_KEY, good, body, ALICE, BOB, TS)).isTrue();
        byte[] bad = good.clone();
        bad[19] ^= 0x01;
        assertThat(Macs.verify(MacAlg.HMAC_SHA_1_160, AUTH_KEY, bad, body, ALICE, BOB, TS)).isFalse();
        assertThat(Macs.verify(MacAlg.HMAC_SHA_1_160, AUTH_KEY, Arrays.copyOf(good, 10), body, ALICE, BOB, TS))
                .isFalse();
    }

    @Test
    void hmacSha256Gives256Bits() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        byte[] mac = Macs.compute(MacAlg.HMAC_SHA_256_256, KeyMaterial.of("Jefe".getBytes(StandardCharsets.US_ASCII)),
                "what do ya ".getBytes(StandardCharsets.US_ASCII), "want for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertThat(h(mac)).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void nullMacIsRefused() {
        assertThatThrownBy(() -> Macs.compute(MacAlg.NULL, AUTH_KEY, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
