package org.kmsconf.mikey.payload;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.SrtpPolicy;

/**
 * The SRTP parameters of an SP payload (Prot type 0, RFC 3830 §6.10.1) and the {@link SrtpPolicy} values this
 * implementation runs, both ways. Reading an SP, every parameter is checked against what we implement and anything
 * else is refused with error 10 <i>Invalid SPpar</i> ("SP parameters not supported", RFC 3830 §6.12) naming the
 * parameter; an absent parameter takes its RFC 3830 default. Nothing offered is accepted and then ignored.
 */
final class SrtpPolicyRules {
    // Parameter value code points (RFC 3830 §6.10.1; RFC 4771, RFC 5748, RFC 7714 extend them).
    private static final int ENCR_NULL = 0;
    private static final int ENCR_AES_CM = 1;
    private static final int ENCR_AES_F8 = 2;
    private static final int ENCR_SEED_CTR = 3;
    private static final int ENCR_SEED_CCM = 4;
    private static final int ENCR_SEED_GCM = 5;
    private static final int ENCR_AES_GCM = 6;
    private static final int AUTH_NULL = 0;
    private static final int AUTH_HMAC_SHA1 = 1;
    private static final int AUTH_RCCM3 = 4;
    private static final int PRF_AES_CM = 0;
    private static final int OFF = 0;
    private static final int ON = 1;
    private static final int FEC_THEN_SRTP = 0;

    private SrtpPolicyRules() {
    }

    /**
     * The SP parameters stating {@code p}: every RFC 3830 parameter explicit except the sender's FEC order and the
     * prefix length, which keep their defaults (0).
     */
    static List<SpParam> paramsOf(SrtpPolicy p) {
        return List.of(
                SpParam.of(SrtpParam.ENCRYPTION_ALGORITHM, ENCR_AES_CM),
                SpParam.of(SrtpParam.SESSION_ENCR_KEY_LENGTH, p.masterKeyLength()),
                SpParam.of(SrtpParam.AUTHENTICATION_ALGORITHM, AUTH_HMAC_SHA1),
                SpParam.of(SrtpParam.SESSION_AUTH_KEY_LENGTH, p.sessionAuthKeyLength()),
                SpParam.of(SrtpParam.SESSION_SALT_KEY_LENGTH, p.masterSaltLength()),
                SpParam.of(SrtpParam.SRTP_PSEUDO_RANDOM_FUNCTION, PRF_AES_CM),
                SpParam.of(SrtpParam.KEY_DERIVATION_RATE, (int) p.keyDerivationRate()),
                SpParam.of(SrtpParam.SRTP_ENCRYPTION, p.srtpEncryption() ? ON : OFF),
                SpParam.of(SrtpParam.SRTCP_ENCRYPTION, p.srtcpEncryption() ? ON : OFF),
                SpParam.of(SrtpParam.SRTP_AUTHENTICATION, p.srtpAuthentication() ? ON : OFF),
                SpParam.of(SrtpParam.AUTHENTICATION_TAG_LENGTH, p.srtpTagLength()));
    }

    /**
     * The policy an SP payload describes.
     *
     * @throws MikeyException {@link ErrorCode#INVALID_SP} if it is not an SRTP policy, {@link ErrorCode#INVALID_SPPAR}
     *         naming the first parameter (by type number) we do not implement
     */
    static SrtpPolicy policyOf(SecurityPolicy sp) {
        if (sp.protType() != SecurityPolicy.PROT_SRTP) {
            throw new MikeyException(ErrorCode.INVALID_SP, "policy " + sp.policyNo() + " is for security protocol "
                    + sp.protType() + ", not SRTP");
        }
        Map<SrtpParam, Long> v = values(sp);
        check(v, SrtpParam.ENCRYPTION_ALGORITHM, ENCR_AES_CM, x -> switch ((int) x) {
            case ENCR_NULL -> "NULL encryption: media must stay confidential on every leg";
            case ENCR_AES_F8 -> "AES-F8 (RFC 3711 §4.1.2) is not implemented";
            case ENCR_SEED_CTR, ENCR_SEED_CCM, ENCR_SEED_GCM -> "SEED (RFC 5748) is not implemented";
            case ENCR_AES_GCM -> "AES-GCM (RFC 7714) is not implemented";
            default -> "unknown encryption algorithm";
        });
        long keyLen = v.getOrDefault(SrtpParam.SESSION_ENCR_KEY_LENGTH, 16L);
        if (keyLen != 16 && keyLen != 32) {
            throw refuse(SrtpParam.SESSION_ENCR_KEY_LENGTH, keyLen, "AES-CM master keys are 16 or 32 bytes");
        }
        check(v, SrtpParam.AUTHENTICATION_ALGORITHM, AUTH_HMAC_SHA1, x -> x == AUTH_NULL
                ? "NULL authentication: every packet must authenticate (RFC 3711 §9.5)"
                : x > AUTH_NULL && x <= AUTH_RCCM3 ? "RCCm1-3 (RFC 4771) are not implemented"
                : "unknown authentication algorithm");
        check(v, SrtpParam.SESSION_AUTH_KEY_LENGTH, 20, x -> "HMAC-SHA-1 session authentication keys are 20 bytes");
        check(v, SrtpParam.SESSION_SALT_KEY_LENGTH, 14, x -> "the master salt is 14 bytes (RFC 3711 §8.2)");
        check(v, SrtpParam.SRTP_PSEUDO_RANDOM_FUNCTION, PRF_AES_CM, x -> "only the AES-CM PRF is implemented");
        check(v, SrtpParam.KEY_DERIVATION_RATE, 0,
                x -> "session keys are derived once (key derivation rate 0); re-keying is a new MIKEY exchange");
        check(v, SrtpParam.SRTP_ENCRYPTION, ON, x -> x == OFF ? "SRTP encryption off: media must stay confidential"
                : "not 0 (off) or 1 (on)");
        check(v, SrtpParam.SRTCP_ENCRYPTION, ON, x -> x == OFF ? "SRTCP encryption off: reports must stay confidential"
                : "not 0 (off) or 1 (on)");
        check(v, SrtpParam.SENDER_FEC_ORDER, FEC_THEN_SRTP, x -> "only FEC-then-SRTP (0) is implemented");
        check(v, SrtpParam.SRTP_AUTHENTICATION, ON, x -> x == OFF
                ? "SRTP authentication off: every packet must authenticate (RFC 3711 §9.5)" : "not 0 (off) or 1 (on)");
        long tagLen = v.getOrDefault(SrtpParam.AUTHENTICATION_TAG_LENGTH, 10L);
        if (tagLen != 10 && tagLen != 4) {
            throw refuse(SrtpParam.AUTHENTICATION_TAG_LENGTH, tagLen,
                    "HMAC-SHA-1 tags of 10 (80-bit) or 4 (32-bit) bytes are implemented (RFC 4568 §6.2)");
        }
        check(v, SrtpParam.SRTP_PREFIX_LENGTH, 0, x -> "a keystream prefix is not implemented");
        for (SrtpParam p : v.keySet()) {
            if (p.value() > SrtpParam.SRTP_PREFIX_LENGTH.value()) {
                throw refuse(p, v.get(p), p == SrtpParam.AEAD_AUTH_TAG_LENGTH ? "AEAD (RFC 7714) is not implemented"
                        : p == SrtpParam.ROC_TRANSMISSION_RATE ? "ROC transmission (RFC 4771) is not implemented"
                        : "separate SRTP/SRTCP authentication parameters are not implemented");
            }
        }
        return SrtpPolicy.of((int) keyLen, (int) tagLen).orElseThrow();
    }

    /** Parameter values by type; a type given twice, an unknown type, a value of 0 or over 4 bytes is refused. */
    private static Map<SrtpParam, Long> values(SecurityPolicy sp) {
        Map<SrtpParam, Long> v = new EnumMap<>(SrtpParam.class);
        for (SpParam x : sp.params()) {
            SrtpParam p = SrtpParam.fromValue(x.paramType());
            if (p == null) {
                throw new MikeyException(ErrorCode.INVALID_SPPAR, "unknown SRTP policy parameter type "
                        + x.paramType());
            }
            int len = x.value().length;
            if (len == 0 || len > 4) {
                throw new MikeyException(ErrorCode.INVALID_SPPAR, "SRTP policy parameter " + p + " has a value of "
                        + len + " bytes (1 to 4 expected)");
            }
            if (v.put(p, x.numeric()) != null) {
                throw new MikeyException(ErrorCode.INVALID_SPPAR, "SRTP policy parameter " + p + " is given twice");
            }
        }
        return v;
    }

    private interface Why {
        String of(long value);
    }

    private static void check(Map<SrtpParam, Long> v, SrtpParam p, long accepted, Why why) {
        Long x = v.get(p);
        if (x != null && x != accepted) {
            throw refuse(p, x, why.of(x));
        }
    }

    private static MikeyException refuse(SrtpParam p, long value, String why) {
        return new MikeyException(ErrorCode.INVALID_SPPAR, "SRTP policy parameter " + p + " (type " + p.value()
                + ") = " + value + " refused: " + why);
    }
}
