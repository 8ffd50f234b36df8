package org.kmsconf.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

class SrtpProfileTest {

    @Test
    void emptyPolicyMeansTheRfc3830Defaults() {
        assertThat(SrtpProfile.fromSpParameters(Map.of())).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
    }

    @Test
    void digestTypicalPolicyIsAesCm128HmacSha1_80() {
        // digest §5: 00 01 01 | 01 01 10 | 02 01 01 | 03 01 14 | 04 01 0e | 05 01 00 | 06 01 00 | 07 01 01 | 08 01 01 | 0a 01 01 | 0b 01 0a
        Map<Integer, byte[]> sp = new HashMap<>();
        int[][] tlv = {{0, 1}, {1, 16}, {2, 1}, {3, 20}, {4, 14}, {5, 0}, {6, 0}, {7, 1}, {8, 1}, {10, 1}, {11, 10}};
        for (int[] t : tlv) {
            sp.put(t[0], new byte[] {(byte) t[1]});
        }
        assertThat(SrtpProfile.fromSpParameters(sp)).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void eachProfileRoundTripsThroughItsSpParameters(SrtpProfile profile) {
        assertThat(SrtpProfile.fromSpParameters(profile.toSpParameters())).isEqualTo(profile);
    }

    @Test
    void tagLength4Gives32BitProfileAndKeyLength32GivesAes256() {
        assertThat(SrtpProfile.fromSpParameters(Map.of(11, new byte[] {4})))
                .isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_32);
        assertThat(SrtpProfile.fromSpParameters(Map.of(1, new byte[] {32})))
                .isEqualTo(SrtpProfile.AES_256_CM_HMAC_SHA1_80);
    }

    @Test
    void nonZeroKeyDerivationRateIsRefused() {
        assertThatThrownBy(() -> SrtpProfile.fromSpParameters(Map.of(6, new byte[] {0, 0, 1, 0})))
                .isInstanceOfSatisfying(MikeyException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SPPAR))
                .hasMessageContaining("key derivation rate");
    }

    @Test
    void mkiIsRefused() {
        assertThatThrownBy(() -> SrtpProfile.fromSpParameters(Map.of(), 4))
                .isInstanceOf(MikeyException.class).hasMessageContaining("MKI");
        assertThat(SrtpProfile.fromSpParameters(Map.of(), 0)).isEqualTo(SrtpProfile.DEFAULT);
    }

    @Test
    void otherAlgorithmsAndSwitchesAreRefused() {
        int[][] bad = {{0, 2}, {0, 6}, {0, 0}, {2, 0}, {2, 2}, {3, 32}, {4, 12}, {5, 1}, {7, 0}, {8, 0}, {9, 1},
                {10, 0}, {11, 8}, {12, 4}, {13, 1}, {20, 16}};
        for (int[] b : bad) {
            assertThatThrownBy(() -> SrtpProfile.fromSpParameters(Map.of(b[0], new byte[] {(byte) b[1]})))
                    .as("type %d value %d", b[0], b[1]).isInstanceOf(MikeyException.class);
        }
        assertThatThrownBy(() -> SrtpProfile.fromSpParameters(Map.of(1, new byte[] {32}, 11, new byte[] {4})))
                .isInstanceOf(MikeyException.class).hasMessageContaining("32 / tag length 4");
    }
}
