package org.kmsconf.mikey.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.ProtType;
import org.kmsconf.mikey.payload.SecurityPolicy;
import org.kmsconf.mikey.payload.SpParam;
import org.kmsconf.mikey.payload.SrtpParam;

/**
 * docs/profile.md §6, kmsconf extension: a GENERIC-ID map holding CS 1 and 2 (SRTP, Prot type 0), CS 0xB0 (Prot type
 * 241) and CS 0xE0 (Prot type 242), with SP payloads of each Prot type, written out by hand from RFC 6043 §6.1.1 and
 * RFC 3830 §6.10, decodes to the model and re-encodes byte for byte; unknown Prot types are Invalid SP (error 9).
 */
class NonMediaCodecTest {
    private static final byte[] SPI = {1, 2, 3, 4};

    /** HDR (TRANSFER_INIT, next SP, V 0, PRF 0, CSB 0x0a0b0c0d, #CS 4, GENERIC-ID), then SP(0) SP(0xb0) SP(0xe0). */
    static final String GOLDEN = "010e0a00" + "0a0b0c0d" + "04" + "02"
            // CS ID | Prot type | S/#P | Policy_no | Session Data Length | Session Data | SPI Length | SPI
            + "01" + "00" + "01" + "00" + "0004" + "11223344" + "04" + "01020304"
            + "02" + "00" + "01" + "00" + "0000" + "04" + "01020304"
            + "b0" + "f1" + "01" + "b0" + "0000" + "04" + "01020304"
            + "e0" + "f2" + "01" + "e0" + "0000" + "04" + "01020304"
            // next | Policy no | Prot type | Policy param length | params
            + "0a" + "00" + "00" + "0003" + "010110"
            + "0a" + "b0" + "f1" + "0000"
            + "00" + "e0" + "f2" + "0000";

    static MikeyMessage model() {
        GenericIdMap map = new GenericIdMap(List.of(
                GenericIdEntry.srtp(1, 0, Ssrc.of(0x11223344)).withSpi(SPI),
                GenericIdEntry.srtpWithoutSessionData(2, List.of(0)).withSpi(SPI),
                GenericIdEntry.withoutSessionData(0xB0, ProtType.KMSCONF_TLS_PSK, List.of(0xB0)).withSpi(SPI),
                GenericIdEntry.withoutSessionData(0xE0, ProtType.KMSCONF_CMS_KEK, List.of(0xE0)).withSpi(SPI)));
        Header h = new Header(DataType.TRANSFER_INIT, false, PrfFunc.MIKEY_1, 0x0a0b0c0d, map);
        return new MikeyMessage(h, List.<Payload>of(
                new SecurityPolicy(0, 0, List.of(SpParam.of(SrtpParam.SESSION_ENCR_KEY_LENGTH, 16))),
                SecurityPolicy.withoutParams(0xB0, ProtType.KMSCONF_TLS_PSK),
                SecurityPolicy.withoutParams(0xE0, ProtType.KMSCONF_CMS_KEK)));
    }

    private static byte[] golden() {
        return HexFormat.of().parseHex(GOLDEN);
    }

    private static MikeyException fail(byte[] b) {
        return catchThrowableOfType(MikeyException.class, () -> MikeyCodec.decode(b));
    }

    @Test
    void genericIdMapWithSrtpAndBothPrivateUseSessionsRoundTrips() {
        MikeyMessage m = MikeyCodec.decode(golden());
        assertThat(m).isEqualTo(model());
        GenericIdMap map = (GenericIdMap) m.header().csIdMap();
        assertThat(map.entries()).extracting(GenericIdEntry::csId).containsExactly(1, 2, 0xB0, 0xE0);
        assertThat(map.entries()).extracting(GenericIdEntry::protType).containsExactly(0, 0, 241, 242);
        assertThat(map.entry(0xB0).orElseThrow().sessionData()).isEmpty();
        assertThat(map.entry(0xB0).orElseThrow().ssrc()).isEmpty();
        assertThat(m.all(SecurityPolicy.class)).extracting(SecurityPolicy::protType).containsExactly(0, 241, 242);
        assertThat(MikeyCodec.encode(m)).isEqualTo(golden());
        assertThat(MikeyCodec.encode(model())).isEqualTo(golden());
    }

    @Test
    void theTwoConstantsAreThePrivateUseValues() {
        assertThat(ProtType.KMSCONF_TLS_PSK.value()).isEqualTo(241);
        assertThat(ProtType.KMSCONF_CMS_KEK.value()).isEqualTo(242);
        assertThat(ProtType.fromValue(0)).isEqualTo(ProtType.SRTP);
        assertThat(ProtType.fromValue(1)).as("TESLA is not implemented").isNull();
    }

    @Test
    void unknownProtTypeInTheMapIsInvalidSp() {
        for (int prot : new int[] {1, 2, 240, 243, 255}) {
            byte[] b = golden();
            int at = GOLDEN.indexOf("b0f101b0") / 2 + 1;
            b[at] = (byte) prot;
            MikeyException e = fail(b);
            assertThat(e.errorCode()).as("prot %d", prot).isEqualTo(ErrorCode.INVALID_SP);
            assertThat(e.offset()).isEqualTo(at);
        }
    }

    @Test
    void unknownProtTypeInAnSpPayloadIsInvalidSp() {
        byte[] b = golden();
        int at = GOLDEN.lastIndexOf("e0f20000") / 2 + 1;
        b[at] = (byte) 243;
        assertThat(fail(b).errorCode()).isEqualTo(ErrorCode.INVALID_SP);
    }

    @Test
    void aPrivateUsePolicyWithAParameterIsInvalidSppar() {
        byte[] b = HexFormat.of().parseHex(GOLDEN.replace("00e0f20000", "00e0f20003010110"));
        assertThat(fail(b).errorCode()).isEqualTo(ErrorCode.INVALID_SPPAR);
    }

    @Test
    void aPrivateUseSessionWithSessionDataOrTheSFlagIsRefused() {
        byte[] withData = HexFormat.of().parseHex(GOLDEN.replace("b0f101b0000004", "b0f101b00004aabbccdd04"));
        assertThat(fail(withData).errorCode()).isEqualTo(ErrorCode.UNSPECIFIED);
        byte[] withS = HexFormat.of().parseHex(GOLDEN.replace("e0f201e0", "e0f281e0"));
        assertThat(fail(withS).errorCode()).isEqualTo(ErrorCode.UNSPECIFIED);
    }
}
