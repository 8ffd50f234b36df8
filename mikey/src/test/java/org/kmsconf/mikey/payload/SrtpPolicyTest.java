package org.kmsconf.mikey.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.SrtpPolicy;

/**
 * SP payload (Prot type 0) to {@link SrtpPolicy} and back: every policy we run round-trips, absent parameters take
 * their RFC 3830 defaults, and every parameter value we do not implement is refused with the right MIKEY error
 * (docs/profile.md, "SRTP policy"). {@link SrtpPolicyProperties} checks the same against an independent oracle.
 */
class SrtpPolicyTest {

    private static SecurityPolicy sp(SpParam... params) {
        return new SecurityPolicy(0, SecurityPolicy.PROT_SRTP, List.of(params));
    }

    private static SpParam p(SrtpParam type, int value) {
        return SpParam.of(type, value);
    }

    private static MikeyException refusal(SecurityPolicy sp) {
        MikeyException e = catchThrowableOfType(sp::srtpPolicy, MikeyException.class);
        assertThat(e).as("%s refused", sp).isNotNull();
        return e;
    }

    @ParameterizedTest
    @EnumSource(SrtpPolicy.class)
    void everyPolicyRoundTripsThroughItsSpPayloadAndItsBytes(SrtpPolicy policy) {
        SecurityPolicy sp = SecurityPolicy.srtp(7, policy);
        assertThat(sp.policyNo()).isEqualTo(7);
        assertThat(sp.srtpPolicy()).isEqualTo(policy);
        WireWriter w = new WireWriter();
        sp.encodeBody(w);
        assertThat(SecurityPolicy.decode(new WireReader(w.toByteArray())).srtpPolicy()).isEqualTo(policy);
        assertThat(sp.value(SrtpParam.SESSION_ENCR_KEY_LENGTH, -1)).isEqualTo(policy.masterKeyLength());
        assertThat(sp.value(SrtpParam.AUTHENTICATION_TAG_LENGTH, -1)).isEqualTo(policy.srtpTagLength());
    }

    @Test
    void theDefaultPolicyIsTheTypicalAesCm128HmacSha1_80SpByteForByte() {
        // The offer every existing transcript pins; changing it would change the wire format.
        WireWriter w = new WireWriter();
        SecurityPolicy.srtp(0, SrtpPolicy.DEFAULT).encodeBody(w);
        assertThat(Bytes.hex(w.toByteArray())).isEqualTo("00000021" + "000101" + "010110" + "020101" + "030114"
                + "04010e" + "050100" + "060100" + "070101" + "080101" + "0a0101" + "0b010a");
    }

    @Test
    void absentParametersTakeTheRfc3830Defaults() {
        assertThat(sp().srtpPolicy()).isEqualTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_80);
        assertThat(sp(p(SrtpParam.AUTHENTICATION_TAG_LENGTH, 4)).srtpPolicy())
                .isEqualTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_32);
        assertThat(sp(p(SrtpParam.SESSION_ENCR_KEY_LENGTH, 32)).srtpPolicy())
                .isEqualTo(SrtpPolicy.AES_256_CM_HMAC_SHA1_80);
        assertThat(sp(p(SrtpParam.SESSION_ENCR_KEY_LENGTH, 32), p(SrtpParam.AUTHENTICATION_TAG_LENGTH, 4))
                .srtpPolicy()).isEqualTo(SrtpPolicy.AES_256_CM_HMAC_SHA1_32);
        // explicit defaults the canonical form leaves out, in any order, multi-byte values
        assertThat(sp(p(SrtpParam.SRTP_PREFIX_LENGTH, 0), p(SrtpParam.SENDER_FEC_ORDER, 0),
                new SpParam(SrtpParam.KEY_DERIVATION_RATE.value(), new byte[4]),
                new SpParam(SrtpParam.SESSION_ENCR_KEY_LENGTH.value(), new byte[] {0, 0x10})).srtpPolicy())
                .isEqualTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_80);
    }

    @Test
    void theShortTagPoliciesKeepAnEightyBitSrtcpTag() {
        // RFC 3711 §7.5, RFC 4568 §6.2; libsrtp: its _32 policies are "intended for use in SRTP, but not in SRTCP"
        assertThat(SrtpPolicy.AES_CM_128_HMAC_SHA1_32.srtpTagLength()).isEqualTo(4);
        assertThat(SrtpPolicy.AES_CM_128_HMAC_SHA1_32.srtcpTagLength()).isEqualTo(10);
        assertThat(SrtpPolicy.AES_256_CM_HMAC_SHA1_32.srtcpTagLength()).isEqualTo(10);
        for (SrtpPolicy x : SrtpPolicy.values()) {
            assertThat(x.masterSaltLength()).isEqualTo(14);
            assertThat(x.sessionAuthKeyLength()).isEqualTo(20);
            assertThat(x.keyDerivationRate()).isZero();
            assertThat(x.mkiLength()).isZero();
            assertThat(x.srtpEncryption() && x.srtcpEncryption() && x.srtpAuthentication()).isTrue();
            assertThat(x.suiteName()).isEqualTo(x.name());
            assertThat(SrtpPolicy.of(x.masterKeyLength(), x.srtpTagLength())).contains(x);
        }
    }

    /** Every refusal: the parameter, a value we do not implement, and what the refusal must name. */
    static Stream<Arguments> refusedParameters() {
        List<Arguments> a = new ArrayList<>();
        a.add(Arguments.of(SrtpParam.ENCRYPTION_ALGORITHM, 0, "NULL encryption"));
        a.add(Arguments.of(SrtpParam.ENCRYPTION_ALGORITHM, 2, "AES-F8"));
        a.add(Arguments.of(SrtpParam.ENCRYPTION_ALGORITHM, 3, "SEED"));
        a.add(Arguments.of(SrtpParam.ENCRYPTION_ALGORITHM, 4, "SEED"));
        a.add(Arguments.of(SrtpParam.ENCRYPTION_ALGORITHM, 5, "SEED"));
        a.add(Arguments.of(SrtpParam.ENCRYPTION_ALGORITHM, 6, "AES-GCM"));
        a.add(Arguments.of(SrtpParam.ENCRYPTION_ALGORITHM, 7, "unknown"));
        a.add(Arguments.of(SrtpParam.SESSION_ENCR_KEY_LENGTH, 24, "16 or 32"));
        a.add(Arguments.of(SrtpParam.SESSION_ENCR_KEY_LENGTH, 0, "16 or 32"));
        a.add(Arguments.of(SrtpParam.AUTHENTICATION_ALGORITHM, 0, "NULL authentication"));
        a.add(Arguments.of(SrtpParam.AUTHENTICATION_ALGORITHM, 2, "RCCm"));
        a.add(Arguments.of(SrtpParam.AUTHENTICATION_ALGORITHM, 4, "RCCm"));
        a.add(Arguments.of(SrtpParam.AUTHENTICATION_ALGORITHM, 9, "unknown"));
        a.add(Arguments.of(SrtpParam.SESSION_AUTH_KEY_LENGTH, 16, "20 bytes"));
        a.add(Arguments.of(SrtpParam.SESSION_SALT_KEY_LENGTH, 12, "14 bytes"));
        a.add(Arguments.of(SrtpParam.SRTP_PSEUDO_RANDOM_FUNCTION, 1, "AES-CM PRF"));
        a.add(Arguments.of(SrtpParam.KEY_DERIVATION_RATE, 1, "derived once"));
        a.add(Arguments.of(SrtpParam.KEY_DERIVATION_RATE, 0x18, "derived once"));
        a.add(Arguments.of(SrtpParam.SRTP_ENCRYPTION, 0, "SRTP encryption off"));
        a.add(Arguments.of(SrtpParam.SRTP_ENCRYPTION, 2, "0 (off) or 1 (on)"));
        a.add(Arguments.of(SrtpParam.SRTCP_ENCRYPTION, 0, "SRTCP encryption off"));
        a.add(Arguments.of(SrtpParam.SENDER_FEC_ORDER, 1, "FEC-then-SRTP"));
        a.add(Arguments.of(SrtpParam.SRTP_AUTHENTICATION, 0, "SRTP authentication off"));
        a.add(Arguments.of(SrtpParam.AUTHENTICATION_TAG_LENGTH, 0, "10 (80-bit) or 4 (32-bit)"));
        a.add(Arguments.of(SrtpParam.AUTHENTICATION_TAG_LENGTH, 8, "10 (80-bit) or 4 (32-bit)"));
        a.add(Arguments.of(SrtpParam.AUTHENTICATION_TAG_LENGTH, 20, "10 (80-bit) or 4 (32-bit)"));
        a.add(Arguments.of(SrtpParam.SRTP_PREFIX_LENGTH, 4, "prefix"));
        a.add(Arguments.of(SrtpParam.ROC_TRANSMISSION_RATE, 1, "RFC 4771"));
        for (int t = 14; t <= 19; t++) {
            a.add(Arguments.of(SrtpParam.fromValue(t), 10, "separate SRTP/SRTCP"));
        }
        a.add(Arguments.of(SrtpParam.AEAD_AUTH_TAG_LENGTH, 16, "AEAD"));
        return a.stream();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("refusedParameters")
    void everyParameterWeDoNotImplementIsInvalidSpparNamingIt(SrtpParam type, int value, String why) {
        // alone (the other parameters at their defaults) and inside an otherwise complete policy
        for (SecurityPolicy sp : List.of(sp(p(type, value)), withParam(SecurityPolicy.srtp(0, SrtpPolicy.DEFAULT),
                p(type, value)))) {
            MikeyException e = refusal(sp);
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SPPAR);
            assertThat(e.getMessage()).contains(type.name()).contains("= " + value).contains(why);
        }
    }

    /** {@code sp} with {@code x} replacing the parameter of its type, or added. */
    static SecurityPolicy withParam(SecurityPolicy sp, SpParam x) {
        List<SpParam> ps = new ArrayList<>(sp.params());
        ps.removeIf(y -> y.paramType() == x.paramType());
        ps.add(x);
        return new SecurityPolicy(sp.policyNo(), sp.protType(), ps);
    }

    @Test
    void aParameterGivenTwiceOrWithABadLengthIsInvalidSppar() {
        // ambiguous: which tag length would the peer use?
        MikeyException twice = refusal(sp(p(SrtpParam.AUTHENTICATION_TAG_LENGTH, 10),
                p(SrtpParam.AUTHENTICATION_TAG_LENGTH, 4)));
        assertThat(twice.errorCode()).isEqualTo(ErrorCode.INVALID_SPPAR);
        assertThat(twice.getMessage()).contains("given twice");
        for (byte[] v : List.of(new byte[0], new byte[5])) {
            MikeyException e = refusal(sp(new SpParam(SrtpParam.SESSION_ENCR_KEY_LENGTH.value(), v)));
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SPPAR);
            assertThat(e.getMessage()).contains(v.length + " bytes");
        }
        MikeyException unknown = refusal(sp(new SpParam(21, new byte[] {1})));
        assertThat(unknown.errorCode()).isEqualTo(ErrorCode.INVALID_SPPAR);
    }

    @Test
    void aPolicyForAnotherSecurityProtocolIsInvalidSp() {
        MikeyException e = refusal(new SecurityPolicy(0, 1, List.of()));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SP);
    }

    @Test
    void theFirstRefusedParameterByTypeNumberIsNamed() {
        MikeyException e = refusal(sp(p(SrtpParam.SRTP_PREFIX_LENGTH, 4), p(SrtpParam.ENCRYPTION_ALGORITHM, 2)));
        assertThat(e.getMessage()).contains("ENCRYPTION_ALGORITHM");
    }
}
