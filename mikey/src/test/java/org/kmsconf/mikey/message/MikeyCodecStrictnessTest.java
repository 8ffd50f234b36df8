package org.kmsconf.mikey.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/** Malformed input is refused with the right error code and offset, never with a runtime error. */
class MikeyCodecStrictnessTest {
    private static final byte[] GOOD = HexFormat.of().parseHex(MikeyCodecGoldenTest.D3_I_MESSAGE);

    private static MikeyException fail(byte[] b) {
        return catchThrowableOfType(MikeyException.class, () -> MikeyCodec.decode(b));
    }

    @Test
    void trailingByteRefused() {
        MikeyException e = fail(Arrays.copyOf(GOOD, GOOD.length + 1));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSPECIFIED);
        assertThat(e.offset()).isEqualTo(GOOD.length);
    }

    @Test
    void everyTruncationRefused() {
        for (int n = 0; n < GOOD.length; n++) {
            assertThat(fail(Arrays.copyOf(GOOD, n))).as("truncated to %d", n).isNotNull();
        }
    }

    @Test
    void unknownDataTypeIsInvalidDt() {
        byte[] b = GOOD.clone();
        b[1] = 19;
        MikeyException e = fail(b);
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_DT);
        assertThat(e.offset()).isEqualTo(1);
    }

    @Test
    void unknownPrfIsInvalidPrf() {
        byte[] b = GOOD.clone();
        b[3] = (byte) 0x85;
        assertThat(fail(b).errorCode()).isEqualTo(ErrorCode.INVALID_PRF);
    }

    @Test
    void unknownMapTypeRefused() {
        byte[] b = GOOD.clone();
        b[9] = 3;
        MikeyException e = fail(b);
        assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSPECIFIED);
        assertThat(e.offset()).isEqualTo(9);
    }

    @Test
    void unknownPayloadTypeRefused() {
        byte[] b = GOOD.clone();
        b[2] = 18; // HDR next payload: 18 is not a payload type
        MikeyException e = fail(b);
        assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSPECIFIED);
        assertThat(e.getMessage()).contains("unknown payload type 18");
        assertThat(e.offset()).isEqualTo(19); // where the first payload starts, after HDR and its SRTP-ID map
    }

    @Test
    void lengthBeyondInputRefusedBeforeAllocation() {
        byte[] b = GOOD.clone();
        // HDR+map 19, T 10, RAND 18 bytes: the first ID payload's length field sits at offset 49..50
        assertThat(b[49]).isEqualTo((byte) 0x00);
        assertThat(b[50]).isEqualTo((byte) 0x15);
        b[49] = (byte) 0xff;
        b[50] = (byte) 0xff;
        MikeyException e = fail(b);
        assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSPECIFIED);
        assertThat(e.offset()).isEqualTo(51);
    }

    @Test
    void unknownEncryptionAlgorithmIsInvalidEa() {
        byte[] b = GOOD.clone();
        int kemacEncrAlg = GOOD.length - 1 - 20 - 20 - 2 - 1;
        assertThat(b[kemacEncrAlg]).isEqualTo((byte) 1);
        b[kemacEncrAlg] = 9;
        MikeyException e = fail(b);
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_EA);
        assertThat(e.offset()).isEqualTo(kemacEncrAlg);
    }

    @Test
    void unknownSrtpParameterIsInvalidSppar() {
        byte[] b = GOOD.clone();
        int firstParam = 100; // SP: next(95) policy prot len(2), params from 100
        assertThat(b[firstParam - 5]).isEqualTo((byte) 0x01);
        b[firstParam] = 21;
        assertThat(fail(b).errorCode()).isEqualTo(ErrorCode.INVALID_SPPAR);
    }

    @Test
    void nullInputRefused() {
        assertThat(fail(null).errorCode()).isEqualTo(ErrorCode.UNSPECIFIED);
    }
}
