package org.kmsconf.mikey.payload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;

/**
 * Every SRTP parameter type number (RFC 3830 §6.10.1; types 14-19 as docs/profile.md §3 item 18 names them) has
 * exactly its named constant, and round-trips through SP.
 */
class SrtpParamTest {

    /** Wire type -> meaning. */
    static final Map<Integer, SrtpParam> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put(0, SrtpParam.ENCRYPTION_ALGORITHM);
        TABLE.put(1, SrtpParam.SESSION_ENCR_KEY_LENGTH);
        TABLE.put(2, SrtpParam.AUTHENTICATION_ALGORITHM);
        TABLE.put(3, SrtpParam.SESSION_AUTH_KEY_LENGTH);
        TABLE.put(4, SrtpParam.SESSION_SALT_KEY_LENGTH);
        TABLE.put(5, SrtpParam.SRTP_PSEUDO_RANDOM_FUNCTION);
        TABLE.put(6, SrtpParam.KEY_DERIVATION_RATE);
        TABLE.put(7, SrtpParam.SRTP_ENCRYPTION);
        TABLE.put(8, SrtpParam.SRTCP_ENCRYPTION);
        TABLE.put(9, SrtpParam.SENDER_FEC_ORDER);
        TABLE.put(10, SrtpParam.SRTP_AUTHENTICATION);
        TABLE.put(11, SrtpParam.AUTHENTICATION_TAG_LENGTH);
        TABLE.put(12, SrtpParam.SRTP_PREFIX_LENGTH);
        TABLE.put(13, SrtpParam.ROC_TRANSMISSION_RATE);
        TABLE.put(14, SrtpParam.SRTP_AUTH_ALGORITHM);
        TABLE.put(15, SrtpParam.SRTCP_AUTH_ALGORITHM);
        TABLE.put(16, SrtpParam.SRTP_SESSION_AUTH_KEY_LENGTH);
        TABLE.put(17, SrtpParam.SRTCP_SESSION_AUTH_KEY_LENGTH);
        TABLE.put(18, SrtpParam.SRTP_AUTH_TAG_LENGTH);
        TABLE.put(19, SrtpParam.SRTCP_AUTH_TAG_LENGTH);
        TABLE.put(20, SrtpParam.AEAD_AUTH_TAG_LENGTH);
    }

    @Test
    void everyTypeNumberMapsToItsConstant() {
        assertThat(SrtpParam.values()).hasSize(TABLE.size());
        TABLE.forEach((type, p) -> {
            assertThat(p.value()).as(p.name()).isEqualTo(type);
            assertThat(SrtpParam.fromValue(type)).isEqualTo(p);
        });
        assertThat(SrtpParam.fromValue(21)).isNull();
        assertThat(SrtpParam.fromValue(-1)).isNull();
    }

    @Test
    void eachParameterIsWrittenUnderItsOwnTypeByte() {
        for (Map.Entry<Integer, SrtpParam> e : TABLE.entrySet()) {
            SecurityPolicy sp = new SecurityPolicy(3, 0, List.of(SpParam.of(e.getValue(), 0x5a)));
            WireWriter w = new WireWriter();
            sp.encodeBody(w);
            byte[] body = w.toByteArray();
            // policy no, prot type, length 0003, then Type Length Value
            assertThat(body).containsExactly(3, 0, 0, 3, e.getKey().byteValue(), 1, 0x5a);
            SecurityPolicy back = SecurityPolicy.decode(new WireReader(body));
            assertThat(back).isEqualTo(sp);
            assertThat(back.value(e.getValue(), -1)).isEqualTo(0x5a);
        }
    }

    @Test
    void typicalPolicyBytes() {
        WireWriter w = new WireWriter();
        SecurityPolicy.srtp(0, SrtpPolicy.AES_CM_128_HMAC_SHA1_80).encodeBody(w);
        assertThat(Bytes.hex(w.toByteArray())).isEqualTo("00000021"
                + "000101" + "010110" + "020101" + "030114" + "04010e" + "050100" + "060100" + "070101" + "080101"
                + "0a0101" + "0b010a");
    }

    @Test
    void spInsideAMessageRoundTrips() {
        MikeyMessage m = MikeyCodec.decode(java.util.HexFormat.of()
                .parseHex(org.kmsconf.mikey.message.MikeyCodecGoldenTestAccess.d3()));
        assertThat(m.first(SecurityPolicy.class).orElseThrow().params()).hasSize(11);
    }
}
