package org.kmsconf.mikey.print;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.fuzz.SampleMessages;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.EmptyMap;
import org.kmsconf.mikey.message.Header;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.IdType;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.Verification;

class MikeyPrinterTest {
    /** docs/test-vectors.md §D.3 I_MESSAGE. */
    static final byte[] D3 = HexFormat.of().parseHex(("""
            0100058012345678010000aabbccdd000000000b00e9a1b2c3000000000610101112131415161718191a1b1c1d1e1f06010015
            7369703a616c696365406578616d706c652e636f6d0a0100137369703a626f62406578616d706c652e636f6d010000002100010101
            011002010103011404010e0501000601000701010801010a01010b010a00010014eb20a9f9f053dac33f3f21c0c82514203f764dab
            01695c1854695aa753b684d81c7ff388a149dff24a""").replaceAll("\\s", ""));

    @Test
    void rfc3830PskInitShowsEveryFieldByName() {
        String t = MikeyPrinter.text(D3);
        assertThat(t).contains("MIKEY message: length 178, data type PSK_INIT (0)")
                .contains("Common header (HDR): version 1, data type PSK_INIT (0), next payload T (5), V 1, "
                        + "PRF func MIKEY-1 (0), CSB ID 0x12345678, #CS 1, CS ID map type SRTP-ID (0)")
                .contains("Crypto session 1: policy no 0, SSRC 0xaabbccdd, ROC 0")
                .contains("Timestamp (T): next payload RAND (11), TS type NTP-UTC (0), TS value 0xe9a1b2c300000000")
                .contains("RAND: next payload ID (6), length 16, RAND 101112131415161718191a1b1c1d1e1f")
                .contains("ID: next payload ID (6), ID type URI (1), length 21, data \"sip:alice@example.com\"")
                .contains("Security policy (SP): next payload KEMAC (1), policy no 0, prot type SRTP (0)")
                .contains("Encryption algorithm (0): AES-CM (1)")
                .contains("Session Salt key length (4): 14")
                .contains("Authentication tag length (11): 10")
                .contains("Key data transport (KEMAC): next payload Last payload (0), encr alg AES-CM-128 (1), "
                        + "encr data len 20, encr data eb20a9f9f053dac33f3f21c0c82514203f764dab (ciphertext), "
                        + "MAC alg HMAC-SHA-1-160 (1), MAC 695c1854695aa753b684d81c7ff388a149dff24a")
                .doesNotContain("in the clear");
    }

    @Test
    void transferInitShowsTicketPolicyBaseTicketAndInitiatorData() {
        String t = MikeyPrinter.text(SampleMessages.all().get("TRANSFER_INIT"));
        assertThat(t).contains("data type TRANSFER_INIT (14)")
                .contains("CS ID map type GENERIC-ID (2)")
                .contains("Crypto session 1: CS ID 1, prot type SRTP (0), S 0, policies [0], SSRC 0x11223344, SPI (empty)")
                .contains("role RANDRi (1), length 16")
                .contains("role IDRr (2), ID type URI (1), length 40, data \"sip:factory.conference1@operator.example\"")
                .contains("ticket type MIKEY base ticket (1), subtype 1, version 1, PRF func MIKEY-1 (0), "
                        + "flags [D E F G H I J]")
                .contains("TP Data: first payload IDR (14)")
                .contains("role TRe (3)")
                .contains("Ticket Data: length 119, MIKEY base ticket")
                .contains("Ticket header (THDR): length 2, data 0102")
                .contains("(ciphertext)")
                .contains("role IDRpsk (4), ID type Byte string (2), length 4, data 74706b31")
                .contains("Initiator Data: length 45")
                .contains("Vi: auth alg HMAC-SHA-1-160 (1)")
                .contains("General extension: next payload V (9), type SDP IDs (1), length 5, SDP IDs \"mikey\"");
    }

    @Test
    void keysAreShownOnlyFromANullEncryptedKemacAndLabelledAsClear() {
        byte[] plain = KeyData.encodeChain(List.of(KeyData.withSpi(KeyDataType.TGK,
                HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"), new byte[] {0, 0, 0, 7})));
        MikeyMessage m = new MikeyMessage(new Header(DataType.PSK_INIT, false, PrfFunc.MIKEY_1, 1, EmptyMap.NONE),
                List.of(Timestamp.counter(1), Kemac.unsigned(EncrAlg.NULL, plain, MacAlg.NULL)));
        String t = MikeyPrinter.text(MikeyCodec.encode(m));
        assertThat(t).contains("encr alg NULL (0)").contains("(NULL encryption: plaintext)")
                .contains("Key data (in the clear: NULL-encrypted KEMAC): type TGK (0), KV SPI/MKI (1), key len 16, "
                        + "key 000102030405060708090a0b0c0d0e0f (key in the clear), SPI/MKI 00000007");
        MikeyMessage enc = new MikeyMessage(m.header(), List.of(Timestamp.counter(1),
                Kemac.unsigned(EncrAlg.AES_CM_128, plain, MacAlg.NULL)));
        assertThat(MikeyPrinter.text(MikeyCodec.encode(enc))).contains("(ciphertext)").doesNotContain("Key data (");
    }

    @Test
    void everyDataTypePrintsAsTextAndJson() {
        SampleMessages.all().forEach((name, bytes) -> {
            assertThat(MikeyPrinter.text(bytes)).as(name).contains("data type " + name + " (");
            String json = MikeyPrinter.json(bytes);
            assertThat(json).as(name).startsWith("{").contains("\"name\": \"" + name + "\"");
            assertThat(balanced(json)).as(name).isTrue();
        });
    }

    @Test
    void jsonCarriesCodesAsNameAndValue() {
        String json = MikeyPrinter.json(D3);
        assertThat(json).contains("\"kind\": \"HDR\"")
                .contains("\"dataType\": {\"name\": \"PSK_INIT\", \"value\": 0}")
                .contains("\"prfFunc\": {\"name\": \"MIKEY-1\", \"value\": 0}")
                .contains("\"encrData\": \"eb20a9f9f053dac33f3f21c0c82514203f764dab\"")
                .contains("\"encrDataNote\": \"ciphertext\"")
                .contains("\"type\": {\"name\": \"Encryption algorithm\", \"value\": 0}")
                .contains("\"length\": 178");
    }

    @Test
    void hostileIdentityBytesCannotReachTheTerminalRaw() {
        MikeyMessage m = new MikeyMessage(new Header(DataType.TRANSFER_RESP, false, PrfFunc.MIKEY_1, 1, EmptyMap.NONE),
                List.of(Timestamp.counter(1), new Idr(IdRole.IDRr, IdType.URI, "sip:\u001b[31mevil\"\n".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)), Verification.unsigned(MacAlg.HMAC_SHA_1_160)));
        byte[] wire = MikeyCodec.encode(m);
        assertThat(MikeyPrinter.text(wire)).contains("data \"sip:\\x1b[31mevil\\\"\\x0a\"").doesNotContain("\u001b");
        assertThat(MikeyPrinter.json(wire)).doesNotContain("\u001b").doesNotContain("evil\"\n");
    }

    @Test
    void bytesThatAreNotMikeyGiveAMikeyException() {
        assertThatThrownBy(() -> MikeyPrinter.text(new byte[] {1, 14})).isInstanceOf(MikeyException.class)
                .hasMessageContaining("offset");
        assertThatThrownBy(() -> MikeyPrinter.text(new byte[] {2, 0, 0, 0})).isInstanceOf(MikeyException.class)
                .hasMessageContaining("version");
    }

    @Test
    void jsonStringsEscapeQuotesControlsAndNonAscii() {
        assertThat(JsonRenderer.string("a\"b\\c\n\u0001é")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\\u00e9\"");
    }

    /** Brackets and braces balance outside strings: a cheap structural check (the app tests parse with Jackson). */
    private static boolean balanced(String json) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth < 0) {
                    return false;
                }
            }
        }
        return depth == 0 && !inString;
    }
}
