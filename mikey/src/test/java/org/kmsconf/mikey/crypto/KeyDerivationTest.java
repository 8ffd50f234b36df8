package org.kmsconf.mikey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kmsconf.mikey.crypto.Hex.b;
import static org.kmsconf.mikey.crypto.Hex.h;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.crypto.KeyDerivation.Direction;

/** docs/test-vectors.md §D.4 (RFC 6043 labels and derivations, MIKEY-1 PRF), every line, plus §D.1-§D.3 SRTP keys. */
class KeyDerivationTest {
    private static final PrfFunc PRF = PrfFunc.MIKEY_1;
    private static final int CSB = 0x0a0b0c0d;
    private static final byte[] RANDRI = Hex.repeat(0x11, 16);
    private static final byte[] RANDRR = Hex.repeat(0x22, 16);
    private static final byte[] RANDRKMS = Hex.repeat(0x33, 16);
    private static final KeyMaterial MPKI = KeyMaterial.of(Hex.repeat(0x44, 16));
    private static final KeyMaterial MPKR = KeyMaterial.of(Hex.repeat(0x55, 16));
    private static final KeyMaterial TPK = KeyMaterial.of(Hex.repeat(0x66, 16));
    private static final byte[] TICKET_RAND = Hex.repeat(0x77, 16);
    private static final KeyMaterial TGK = KeyMaterial.of(Hex.seq(0x00, 16));
    private static final byte[] BOB = "bob@example.com".getBytes(StandardCharsets.US_ASCII);

    @Test
    void transferInitAuthKeyFromMpkiWithRandRiOnly() {
        assertThat(h(Labels.initial(Labels.PSK_AUTH, CSB, RANDRI, null)))
                .isEqualTo("2d22ac75ff0a0b0c0d01101111111111111111111111111111111100");
        KeyMaterial k = KeyDerivation.authKey(PRF, MPKI, Direction.INITIAL, CSB, RANDRI, null, MacAlg.HMAC_SHA_1_160);
        assertThat(h(k.bytes())).isEqualTo("36878c13ec12a4ea1457a67f989fb7e988a6bb74");
    }

    @Test
    void transferRespAuthKeyFromMpkiWithRandRiAndRandRr() {
        assertThat(h(Labels.response(Labels.PSK_AUTH, CSB, RANDRI, RANDRR))).isEqualTo(
                "2d22ac75ff0a0b0c0d0210111111111111111111111111111111111022222222222222222222222222222222");
        KeyMaterial k = KeyDerivation.authKey(PRF, MPKI, Direction.RESPONSE, CSB, RANDRI, RANDRR,
                MacAlg.HMAC_SHA_1_160);
        assertThat(h(k.bytes())).isEqualTo("d026ca9048139d97638c6332e5e31384d7c12a65");
    }

    @Test
    void resolveInitAuthKeyWithRandRrOnly() {
        assertThat(h(Labels.initial(Labels.PSK_AUTH, CSB, null, RANDRR)))
                .isEqualTo("2d22ac75ff0a0b0c0d01001022222222222222222222222222222222");
        KeyMaterial k = KeyDerivation.authKey(PRF, MPKI, Direction.INITIAL, CSB, null, RANDRR, MacAlg.HMAC_SHA_1_160);
        assertThat(h(k.bytes())).isEqualTo("b35c098a507553183e965599a30d8fbbf525af56");
    }

    @Test
    void messageKeysCarryTheSameAuthKeyAsAuthKey() {
        MessageKeys keys = KeyDerivation.messageKeys(PRF, MPKI, Direction.RESPONSE, CSB, RANDRI, RANDRR,
                EncrAlg.AES_CM_128, MacAlg.HMAC_SHA_1_160);
        assertThat(h(keys.authKey().bytes())).isEqualTo("d026ca9048139d97638c6332e5e31384d7c12a65");
        assertThat(keys.encrKey().length()).isEqualTo(16);
        assertThat(keys.saltKey().length()).isEqualTo(14);
        assertThat(keys.toString()).doesNotContain("d026");
        MessageKeys nulls = KeyDerivation.messageKeys(PRF, MPKI, Direction.RESPONSE, CSB, RANDRI, RANDRR,
                EncrAlg.NULL, MacAlg.HMAC_SHA_1_160);
        assertThat(nulls.encrKey()).isNull();
        assertThat(nulls.saltKey()).isNull();
    }

    @Test
    void forkMpkrWithIdrrAndRandRkms() {
        assertThat(h(Labels.fork(Labels.FORK_MPKR, BOB, RANDRKMS))).isEqualTo(
                "2b288856ffffffffff00000f626f62406578616d706c652e636f6d1033333333333333333333333333333333");
        assertThat(h(KeyDerivation.forkMpkr(PRF, MPKR, BOB, RANDRKMS).bytes()))
                .isEqualTo("8753be84900957a09d585480563cb8a2");
    }

    @Test
    void forkTgkWithIdrrAndRandRkms() {
        assertThat(h(Labels.fork(Labels.FORK_TGK, BOB, RANDRKMS))).isEqualTo(
                "1512b54affffffffff00000f626f62406578616d706c652e636f6d1033333333333333333333333333333333");
        assertThat(h(KeyDerivation.forkTgk(PRF, TGK, BOB, RANDRKMS).bytes()))
                .isEqualTo("487ef699309ea3433a49ab9ea48bb594");
    }

    @Test
    void tekAndSaltFromTgkWithRandRiOnly() {
        assertThat(h(Labels.tek(Labels.TEK, 1, RANDRI, null)))
                .isEqualTo("2ad01c6401ffffffff03101111111111111111111111111111111100");
        SrtpKeys k = KeyDerivation.srtpKeys(PRF, TGK, 1, RANDRI, null, SrtpPolicy.AES_CM_128_HMAC_SHA1_80);
        assertThat(h(k.masterKey())).isEqualTo("ce09ca76e017c4b6e5f894f27891d61b");
        assertThat(h(k.masterSalt())).isEqualTo("18716cf9a3138541cfd8966ddbd9");
        assertThat(k.csId()).isEqualTo(1);
    }

    @Test
    void mpkiFromMpk() {
        assertThat(h(Labels.mpk(Labels.MPKI, TICKET_RAND)))
                .isEqualTo("220e99a2ffffffffff061077777777777777777777777777777777");
        assertThat(h(KeyDerivation.mpki(PRF, MPKI, TICKET_RAND).bytes())).isEqualTo("ff7e3c1d99ce32fce6b5a373dec1eec3");
    }

    @Test
    void mpkrFromMpk() {
        assertThat(h(Labels.mpk(Labels.MPKR, TICKET_RAND)))
                .isEqualTo("1f4d675bffffffffff061077777777777777777777777777777777");
        assertThat(h(KeyDerivation.mpkr(PRF, MPKI, TICKET_RAND).bytes())).isEqualTo("dde33cf060529c4a6191357dce96bc1c");
    }

    @Test
    void ticketKeysFromTpk() {
        assertThat(h(Labels.tpk(Labels.PSK_ENCR, TICKET_RAND)))
                .isEqualTo("150533e1ffffffffff051077777777777777777777777777777777");
        MessageKeys k = KeyDerivation.ticketKeys(PRF, TPK, TICKET_RAND, EncrAlg.AES_CM_128, MacAlg.HMAC_SHA_1_160);
        assertThat(h(k.encrKey().bytes())).isEqualTo("fa71e4da322185f9d1b8fe5ef3adebdd");
        assertThat(h(k.authKey().bytes())).isEqualTo("84a1eaab303267daf101c8a52c7960bca74b537f");
        assertThat(h(k.saltKey().bytes())).isEqualTo("aff4b2f726149c35bd717c77c10f");
    }

    @Test
    void initiatorDataVrKeyFromUnforkedMpkr() {
        assertThat(h(Labels.vr(Labels.PSK_AUTH))).isEqualTo("2d22ac75ffffffffff04");
        assertThat(h(KeyDerivation.vrKey(PRF, MPKR, MacAlg.HMAC_SHA_1_160).bytes()))
                .isEqualTo("982f701013a37fb684055f09ed8f015e964b15c4");
    }

    @Test
    void rfc3830SrtpKeysFromTgk() {
        // §D.1 / §D.3: SRTP master key (TEK, cs 1) and master salt.
        SrtpKeys k = KeyDerivation.rfc3830SrtpKeys(PRF, TGK, 1, 0x12345678, Hex.seq(0x10, 16),
                SrtpPolicy.AES_CM_128_HMAC_SHA1_80);
        assertThat(h(k.masterKey())).isEqualTo("838f7dea3e6c733fb7755a665bfab763");
        assertThat(h(k.masterSalt())).isEqualTo("c8512869cd0d1abaa797c728327b");
    }

    @Test
    void rfc3830MessageKeysFromPsk() {
        MessageKeys k = KeyDerivation.rfc3830MessageKeys(PRF, KeyMaterial.of(Hex.seq(0xa0, 16)), 0x12345678,
                Hex.seq(0x10, 16), EncrAlg.AES_CM_128, MacAlg.HMAC_SHA_1_160);
        assertThat(h(k.encrKey().bytes())).isEqualTo("420387358a526f2bbb0ef1d95ba83442");
        assertThat(h(k.authKey().bytes())).isEqualTo("2a1ab782df726cd69f6932237a2d28c5a17b0f39");
        assertThat(h(k.saltKey().bytes())).isEqualTo("3d896718ab65fc2a29d482366445");
    }

    @Test
    void keyLengthsFollowTheAlgorithms() {
        MessageKeys k = KeyDerivation.messageKeys(PrfFunc.HMAC_SHA_256, MPKI, Direction.INITIAL, CSB, RANDRI, null,
                EncrAlg.AES_CM_256, MacAlg.HMAC_SHA_256_256);
        assertThat(k.encrKey().length()).isEqualTo(32);
        assertThat(k.authKey().length()).isEqualTo(32);
        assertThat(k.saltKey().length()).isEqualTo(14);
        MessageKeys kw = KeyDerivation.messageKeys(PRF, MPKI, Direction.INITIAL, CSB, RANDRI, null,
                EncrAlg.AES_KW_128, MacAlg.NULL);
        assertThat(kw.saltKey().length()).isEqualTo(8);
        assertThat(kw.authKey()).isNull();
        assertThat(KeyDerivation.forkMpkr(PRF, KeyMaterial.of(new byte[32]), BOB, RANDRKMS).length()).isEqualTo(32);
    }

    @Test
    void forkedKeysDifferPerResponderIdentity() {
        KeyMaterial a = KeyDerivation.forkTgk(PRF, TGK, BOB, RANDRKMS);
        KeyMaterial c = KeyDerivation.forkTgk(PRF, TGK, "carol@example.com".getBytes(StandardCharsets.US_ASCII),
                RANDRKMS);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void nullMacHasNoKey() {
        assertThatThrownBy(() -> KeyDerivation.vrKey(PRF, MPKR, MacAlg.NULL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void labelLengthFieldsAreBounded() {
        assertThatThrownBy(() -> Labels.initial(Labels.PSK_AUTH, CSB, new byte[256], null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(b("ff")).hasSize(1);
    }
}
