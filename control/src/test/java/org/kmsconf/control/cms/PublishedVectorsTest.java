package org.kmsconf.control.cms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two primitives under the NOTIFY body's CMS against published vectors, in the provider the CMS code uses
 * (Bouncy Castle) and in the JDK's: RFC 3394 §4.1 (AES key wrap, 128-bit KEK, 128-bit key data) and test case 2 of
 * the GCM specification (McGrew and Viega: K = 0, IV = 0, P = 0^128).
 */
class PublishedVectorsTest {
    static final HexFormat HEX = HexFormat.of();

    static Cipher cipher(String alg, String provider) throws Exception {
        return provider.equals("BC") ? Cipher.getInstance(alg, new BouncyCastleProvider())
                : Cipher.getInstance(alg, provider);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BC", "SunJCE"})
    void rfc3394Section41(String provider) throws Exception {
        Cipher c = cipher("AESWrap", provider);
        c.init(Cipher.WRAP_MODE, new SecretKeySpec(HEX.parseHex("000102030405060708090a0b0c0d0e0f"), "AES"));
        byte[] wrapped = c.wrap(new SecretKeySpec(HEX.parseHex("00112233445566778899aabbccddeeff"), "AES"));
        assertThat(HEX.formatHex(wrapped)).isEqualTo("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BC", "SunJCE"})
    void gcmSpecificationTestCase2(String provider) throws Exception {
        Cipher c = cipher("AES/GCM/NoPadding", provider);
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), new GCMParameterSpec(128, new byte[12]));
        byte[] out = c.doFinal(new byte[16]);
        assertThat(HEX.formatHex(out, 0, 16)).isEqualTo("0388dace60b6a392f328c2b971b2fe78");
        assertThat(HEX.formatHex(out, 16, 32)).isEqualTo("ab6e47d42cec13bdf53a67b21257bddf");
    }
}
