package org.kmsconf.mikey.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.payload.Id;
import org.kmsconf.mikey.payload.IdType;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.KeyValidity;
import org.kmsconf.mikey.payload.Rand;
import org.kmsconf.mikey.payload.SecurityPolicy;
import org.kmsconf.mikey.payload.SrtpParam;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.TsType;
import org.kmsconf.mikey.payload.Verification;

/** Real messages of docs/test-vectors.md §B, §D.3 and §E.1 decoded field by field and re-encoded byte for byte. */
class MikeyCodecGoldenTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] b64(String s) {
        return Base64.getDecoder().decode(s);
    }

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replaceAll("\\s+", ""));
    }

    @Test
    void rfc4567InitiatorPskInitDecodesAndReencodes() {
        byte[] wire = b64("AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ6gAAAAAGEEoo2pee4hp2UaDX8ZE22YwKAAAPZG9uYWxkQGR1Y2suY29tAQAAAAAA"
                + "AQAk0JKpgaVkDaawi9whVBtBt0KZ14ymNuu62+Nv3ozPLygwK/GbAV9iemnGUIZ19fWQUOSrzKTAv9zV");
        assertThat(wire).hasSize(132);
        MikeyMessage m = MikeyCodec.decode(wire);
        Header h = m.header();
        assertThat(h.dataType()).isEqualTo(DataType.PSK_INIT);
        assertThat(h.vFlag()).isTrue();
        assertThat(h.prfFunc()).isEqualTo(PrfFunc.MIKEY_1);
        assertThat(h.csbId()).isEqualTo(0xcd177e50);
        assertThat(h.csIdMap()).isEqualTo(new SrtpIdMap(List.of(new SrtpIdMap.Entry(0, Ssrc.UNASSIGNED, 0))));
        assertThat(m.payloads()).hasSize(5);
        Timestamp t = (Timestamp) m.payloads().get(0);
        assertThat(t.tsType()).isEqualTo(TsType.NTP_UTC);
        assertThat(t.value()).isEqualTo(0xc8e350ea00000000L);
        assertThat(t.toInstant().toString()).isEqualTo("2006-10-20T13:43:06Z");
        assertThat(((Rand) m.payloads().get(1)).rand()).isEqualTo(hex("4a28da979ee21a7651a0d7f19136d98c"));
        Id id = (Id) m.payloads().get(2);
        assertThat(id.idType()).isEqualTo(IdType.NAI);
        assertThat(id.asString()).isEqualTo("donald@duck.com");
        SecurityPolicy sp = (SecurityPolicy) m.payloads().get(3);
        assertThat(sp.policyNo()).isZero();
        assertThat(sp.protType()).isZero();
        assertThat(sp.params()).isEmpty();
        Kemac k = (Kemac) m.payloads().get(4);
        assertThat(k.encrAlg()).isEqualTo(EncrAlg.AES_CM_128);
        assertThat(k.encrData()).isEqualTo(hex("d092a981a5640da6b08bdc21541b41b74299d78ca636ebbadbe36fde8ccf2f28302bf19b"));
        assertThat(k.macAlg()).isEqualTo(MacAlg.HMAC_SHA_1_160);
        assertThat(k.mac()).isEqualTo(hex("5f627a69c6508675f5f59050e4abcca4c0bfdcd5"));
        assertThat(MikeyCodec.encode(m)).isEqualTo(wire);
        assertThat(MikeyCodec.encodeWithoutMac(m)).isEqualTo(java.util.Arrays.copyOf(wire, wire.length - 20));
    }

    @Test
    void rfc4567ResponderPskVerDecodesAndReencodes() {
        byte[] wire = b64("AQEFgM0XflABAAAAAAAAAAAAAAYAyONQ6gAAAAAJAAAQbWlja2V5QG1vdXNlLmNvbQABn8HdGE5BMDXFIuGEga+62AgY5cc=");
        MikeyMessage m = MikeyCodec.decode(wire);
        assertThat(m.header().dataType()).isEqualTo(DataType.PSK_VER);
        assertThat(m.header().vFlag()).isTrue();
        assertThat(m.header().csbId()).isEqualTo(0xcd177e50);
        assertThat(m.payloads()).hasSize(3);
        assertThat(((Timestamp) m.payloads().get(0)).value()).isEqualTo(0xc8e350ea00000000L);
        assertThat(((Id) m.payloads().get(1)).asString()).isEqualTo("mickey@mouse.com");
        Verification v = (Verification) m.payloads().get(2);
        assertThat(v.authAlg()).isEqualTo(MacAlg.HMAC_SHA_1_160);
        assertThat(v.mac()).isEqualTo(hex("9fc1dd184e413035c522e18481afbad80818e5c7"));
        assertThat(MikeyCodec.encode(m)).isEqualTo(wire);
    }

    static final String D3_I_MESSAGE = "0100058012345678010000aabbccdd000000000b00e9a1b2c3000000000610101112131415161718"
            + "191a1b1c1d1e1f060100157369703a616c696365406578616d706c652e636f6d0a0100137369703a626f62406578616d706c652e63"
            + "6f6d010000002100010101011002010103011404010e0501000601000701010801010a01010b010a00010014eb20a9f9f053dac33f"
            + "3f21c0c82514203f764dab01695c1854695aa753b684d81c7ff388a149dff24a";

    @Test
    void d3PskIMessageDecodesFieldByFieldAndReencodes() {
        byte[] wire = hex(D3_I_MESSAGE);
        assertThat(wire).hasSize(178);
        assertThat(wire).isEqualTo(b64("AQAFgBI0VngBAACqu8zdAAAAAAsA6aGywwAAAAAGEBAREhMUFRYXGBkaGxwdHh8GAQAVc2lwOmFsaWNl"
                + "QGV4YW1wbGUuY29tCgEAE3NpcDpib2JAZXhhbXBsZS5jb20BAAAAIQABAQEBEAIBAQMBFAQBDgUBAAYBAAcBAQgBAQoBAQsBCgABABTr"
                + "IKn58FPawz8/IcDIJRQgP3ZNqwFpXBhUaVqnU7aE2Bx/84ihSd/ySg=="));
        MikeyMessage m = MikeyCodec.decode(wire);
        assertThat(m.header().csbId()).isEqualTo(0x12345678);
        assertThat(m.header().csIdMap())
                .isEqualTo(new SrtpIdMap(List.of(new SrtpIdMap.Entry(0, Ssrc.of(0xaabbccdd), 0))));
        assertThat(m.first(Timestamp.class).orElseThrow().value()).isEqualTo(0xe9a1b2c300000000L);
        assertThat(m.first(Rand.class).orElseThrow().rand()).isEqualTo(hex("101112131415161718191a1b1c1d1e1f"));
        List<Id> ids = m.all(Id.class);
        assertThat(ids).extracting(Id::idType).containsExactly(IdType.URI, IdType.URI);
        assertThat(ids).extracting(Id::asString).containsExactly("sip:alice@example.com", "sip:bob@example.com");
        SecurityPolicy sp = m.first(SecurityPolicy.class).orElseThrow();
        assertThat(sp).isEqualTo(SecurityPolicy.srtp(0, SrtpPolicy.AES_CM_128_HMAC_SHA1_80));
        assertThat(sp.srtpPolicy()).isEqualTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_80);
        assertThat(sp.value(SrtpParam.AUTHENTICATION_TAG_LENGTH, -1)).isEqualTo(10);
        assertThat(sp.value(SrtpParam.SESSION_SALT_KEY_LENGTH, -1)).isEqualTo(14);
        Kemac k = m.first(Kemac.class).orElseThrow();
        assertThat(k.encrData()).isEqualTo(hex("eb20a9f9f053dac33f3f21c0c82514203f764dab"));
        assertThat(k.mac()).isEqualTo(hex("695c1854695aa753b684d81c7ff388a149dff24a"));
        assertThat(MikeyCodec.encode(m)).isEqualTo(wire);
        // The plaintext Key data of D.3 (before encryption) round-trips through the Key data chain codec.
        byte[] plain = hex("00000010000102030405060708090a0b0c0d0e0f");
        List<KeyData> keys = KeyData.decodeChain(plain);
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).keyType()).isEqualTo(KeyDataType.TGK);
        assertThat(keys.get(0).validity()).isInstanceOf(KeyValidity.Null.class);
        assertThat(keys.get(0).key()).isEqualTo(hex("000102030405060708090a0b0c0d0e0f"));
        assertThat(KeyData.encodeChain(keys)).isEqualTo(plain);
    }

    @Test
    void d3PskRMessageDecodesAndReencodes() {
        byte[] wire = hex("0101050012345678010000aabbccdd000000000600e9a1b2c300000000090100137369703a626f62406578616d706c"
                + "652e636f6d0001857017cfd68babc7f3f73271274593fae401b185");
        MikeyMessage m = MikeyCodec.decode(wire);
        assertThat(m.header().dataType()).isEqualTo(DataType.PSK_VER);
        assertThat(m.header().vFlag()).isFalse();
        assertThat(m.first(Id.class).orElseThrow().asString()).isEqualTo("sip:bob@example.com");
        assertThat(m.first(Verification.class).orElseThrow().mac())
                .isEqualTo(hex("857017cfd68babc7f3f73271274593fae401b185"));
        assertThat(MikeyCodec.encode(m)).isEqualTo(wire);
    }

    /** docs/test-vectors.md §D.2: auth_key from the PSK for CSB 12345678 and the D.1 RAND. */
    private static final byte[] D2_AUTH_KEY = hex("2a1ab782df726cd69f6932237a2d28c5a17b0f39");

    private static byte[] hmacSha1(byte[] key, byte[]... parts) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
        for (byte[] p : parts) {
            mac.update(p);
        }
        return mac.doFinal();
    }

    @Test
    void d3MacsAreOverTheMessageWithoutItsMacField() throws Exception {
        // I_MESSAGE: the KEMAC MAC covers every byte before it, MAC alg byte included (RFC 3830 §5.2).
        MikeyMessage i = MikeyCodec.decode(hex(D3_I_MESSAGE));
        assertThat(hmacSha1(D2_AUTH_KEY, MikeyCodec.encodeWithoutMac(i)))
                .isEqualTo(i.first(Kemac.class).orElseThrow().mac());
        // R_MESSAGE: V over the message without MAC || IDi || IDr || timestamp (RFC 3830 §5.2, docs/test-vectors.md
        // §D.3).
        MikeyMessage r = MikeyCodec.decode(hex("0101050012345678010000aabbccdd000000000600e9a1b2c300000000090100137369"
                + "703a626f62406578616d706c652e636f6d0001857017cfd68babc7f3f73271274593fae401b185"));
        byte[] expected = r.first(Verification.class).orElseThrow().mac();
        assertThat(hmacSha1(D2_AUTH_KEY, MikeyCodec.encodeWithoutMac(r),
                "sip:alice@example.com".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "sip:bob@example.com".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                hex("e9a1b2c300000000"))).isEqualTo(expected);
    }

    @Test
    void onvifMikeyNullMessageDecodesAndReencodes() {
        byte[] wire = b64("AQAFAP1td9ABAADCD1UcAAAAAAoAAdOOGc75XD0BAAAAGAABAQEBEAIBAQMBFAcBAQgBAQoBAQsBCgAAACcAIQAe30C59UrC"
                + "lE0e27UP5h/Wty9UL8+dfzg+2ttmmo3kBAAAAC8A");
        assertThat(wire).isEqualTo(hex("01000500fd6d77d0010000c20f551c000000000a0001d38e19cef95c3d01000000180001010101"
                + "100201010301140701010801010a01010b010a000000270021001edf40b9f54ac2944d1edbb50fe61fd6b72f542fcf9d7f383e"
                + "dadb669a8de4040000002f00"));
        MikeyMessage m = MikeyCodec.decode(wire);
        assertThat(m.header().vFlag()).isFalse();
        assertThat(m.header().csbId()).isEqualTo(0xfd6d77d0);
        assertThat(m.header().csIdMap())
                .isEqualTo(new SrtpIdMap(List.of(new SrtpIdMap.Entry(0, Ssrc.of(0xc20f551c), 0))));
        SecurityPolicy sp = m.first(SecurityPolicy.class).orElseThrow();
        assertThat(sp.params()).hasSize(8);
        assertThat(sp.value(SrtpParam.SESSION_ENCR_KEY_LENGTH, -1)).isEqualTo(16);
        assertThat(sp.value(SrtpParam.SRTP_ENCRYPTION, -1)).isEqualTo(1);
        Kemac k = m.first(Kemac.class).orElseThrow();
        assertThat(k.encrAlg()).isEqualTo(EncrAlg.NULL);
        assertThat(k.macAlg()).isEqualTo(MacAlg.NULL);
        List<KeyData> keys = KeyData.decodeChain(k.encrData());
        assertThat(keys).hasSize(1);
        KeyData kd = keys.get(0);
        // ONVIF carries key||salt as TEK (docs/test-vectors.md §E.1)
        assertThat(kd.keyType()).isEqualTo(KeyDataType.TEK);
        assertThat(kd.key()).hasSize(30);
        assertThat(kd.spi()).isEqualTo(hex("0000002f"));
        assertThat(KeyData.encodeChain(keys)).isEqualTo(k.encrData());
        assertThat(MikeyCodec.encode(m)).isEqualTo(wire);
    }
}
