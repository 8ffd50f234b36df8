package org.kmsconf.mikey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kmsconf.mikey.crypto.Hex.b;
import static org.kmsconf.mikey.crypto.Hex.h;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.KeyDerivation.Direction;

/** docs/test-vectors.md §D.3: the KEMAC of a complete RFC 3830 PSK I_MESSAGE (AES-CM-128). */
class KemacCryptoTest {
    static final int CSB = 0x12345678;
    static final long T = 0xe9a1b2c300000000L;
    static final MessageKeys D3_KEYS = KeyDerivation.rfc3830MessageKeys(PrfFunc.MIKEY_1,
            KeyMaterial.of(Hex.seq(0xa0, 16)), CSB, Hex.seq(0x10, 16), EncrAlg.AES_CM_128, MacAlg.HMAC_SHA_1_160);
    static final byte[] KEY_DATA = b("00000010000102030405060708090a0b0c0d0e0f");
    static final byte[] CIPHERTEXT = b("eb20a9f9f053dac33f3f21c0c82514203f764dab");

    @Test
    void ivIsSaltXorCsbIdAndTimestamp() {
        assertThat(h(KemacCrypto.iv(D3_KEYS.saltKey(), CSB, T))).isEqualTo("3d89752cfd1d158b9b17823664450000");
    }

    @Test
    void aesCm128EncryptsTheKeyDataOfVectorD3() {
        assertThat(h(KemacCrypto.encrypt(D3_KEYS, CSB, T, KEY_DATA))).isEqualTo(h(CIPHERTEXT));
    }

    @Test
    void aesCm128DecryptsTheKeyDataOfVectorD3() {
        assertThat(h(KemacCrypto.decrypt(D3_KEYS, CSB, T, CIPHERTEXT))).isEqualTo(h(KEY_DATA));
    }

    @Test
    void ciphertextDependsOnCsbIdAndTimestamp() {
        assertThat(KemacCrypto.encrypt(D3_KEYS, CSB + 1, T, KEY_DATA)).isNotEqualTo(CIPHERTEXT);
        assertThat(KemacCrypto.encrypt(D3_KEYS, CSB, T + 1, KEY_DATA)).isNotEqualTo(CIPHERTEXT);
    }

    @Test
    void aesCm256RoundTrips() {
        MessageKeys k = KeyDerivation.messageKeys(PrfFunc.HMAC_SHA_256, KeyMaterial.of(new byte[32]),
                Direction.RESPONSE, CSB, Hex.seq(1, 32), null, EncrAlg.AES_CM_256, MacAlg.HMAC_SHA_256_256);
        byte[] ct = KemacCrypto.encrypt(k, CSB, T, KEY_DATA);
        assertThat(ct).isNotEqualTo(KEY_DATA);
        assertThat(KemacCrypto.decrypt(k, CSB, T, ct)).isEqualTo(KEY_DATA);
    }

    @Test
    void nullEncryptionLeavesTheDataInTheClear() {
        MessageKeys k = new MessageKeys(EncrAlg.NULL, MacAlg.NULL, null, null, null);
        assertThat(KemacCrypto.encrypt(k, CSB, T, KEY_DATA)).isEqualTo(KEY_DATA);
    }

    @Test
    void aesKw128MatchesRfc3394DefaultIvVectorAndDetectsTampering() {
        // RFC 3394 §4.1: 128-bit KEK 000102..0f wraps 00112233445566778899aabbccddeeff with the default IV A6 x8.
        MessageKeys k = new MessageKeys(EncrAlg.AES_KW_128, MacAlg.NULL, KeyMaterial.of(Hex.seq(0, 16)), null,
                KeyMaterial.of(Hex.repeat(0xa6, 8)));
        byte[] wrapped = KemacCrypto.encrypt(k, CSB, T, b("00112233445566778899aabbccddeeff"));
        assertThat(h(wrapped)).isEqualTo("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5");
        assertThat(h(KemacCrypto.decrypt(k, CSB, T, wrapped))).isEqualTo("00112233445566778899aabbccddeeff");
        byte[] bad = Arrays.copyOf(wrapped, wrapped.length);
        bad[3] ^= 1;
        assertThatThrownBy(() -> KemacCrypto.decrypt(k, CSB, T, bad))
                .isInstanceOfSatisfying(MikeyException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTH_FAILURE));
    }

    @Test
    void aesKwRefusesDataThatIsNotWholeSemiblocks() {
        MessageKeys k = new MessageKeys(EncrAlg.AES_KW_128, MacAlg.NULL, KeyMaterial.of(Hex.seq(0, 16)), null,
                KeyMaterial.of(Hex.repeat(0xa6, 8)));
        assertThatThrownBy(() -> KemacCrypto.encrypt(k, CSB, T, new byte[20])).isInstanceOf(MikeyException.class);
        assertThatThrownBy(() -> KemacCrypto.decrypt(k, CSB, T, new byte[3])).isInstanceOf(MikeyException.class);
    }

    @Test
    void aesCmRefusesMoreThan2To23Bits() {
        assertThat(KemacCrypto.encrypt(D3_KEYS, CSB, T, new byte[KemacCrypto.MAX_AES_CM_BYTES])).hasSize(1 << 20);
        assertThatThrownBy(() -> KemacCrypto.encrypt(D3_KEYS, CSB, T, new byte[KemacCrypto.MAX_AES_CM_BYTES + 1]))
                .isInstanceOf(MikeyException.class).hasMessageContaining("2^23");
    }
}
