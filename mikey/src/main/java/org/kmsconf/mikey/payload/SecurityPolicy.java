package org.kmsconf.mikey.payload;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/**
 * SP payload (RFC 3830 §6.10): {@code next | Policy no(8) | Prot type(8) | Policy param length(16) | params}.
 * Only Prot type 0 (SRTP) exists; its parameter types are {@link SrtpParam}. Unknown parameter types are refused
 * with Invalid SPpar, an unknown protocol with Invalid SP.
 */
public record SecurityPolicy(int policyNo, int protType, List<SpParam> params) implements Payload {

    public static final int PROT_SRTP = 0;

    public SecurityPolicy {
        if (policyNo < 0 || policyNo > 0xff || protType < 0 || protType > 0xff) {
            throw new IllegalArgumentException("policy no / prot type out of range");
        }
        params = List.copyOf(params);
    }

    /**
     * The SRTP policy AES_CM_128_HMAC_SHA1_80 with every parameter explicit (digest §5): AES-CM, 16-byte key,
     * HMAC-SHA-1, 20-byte auth key, 14-byte salt, AES-CM PRF, kdr 0, SRTP/SRTCP encryption and SRTP
     * authentication on, 10-byte tag.
     */
    public static SecurityPolicy aesCm128HmacSha1_80(int policyNo) {
        return srtp(policyNo, 16);
    }

    /** As {@link #aesCm128HmacSha1_80} with a 32-byte AES-CM key (the 256-bit set). */
    public static SecurityPolicy aesCm256HmacSha1_80(int policyNo) {
        return srtp(policyNo, 32);
    }

    private static SecurityPolicy srtp(int policyNo, int keyBytes) {
        return new SecurityPolicy(policyNo, PROT_SRTP, List.of(
                SpParam.of(SrtpParam.ENCRYPTION_ALGORITHM, 1),
                SpParam.of(SrtpParam.SESSION_ENCR_KEY_LENGTH, keyBytes),
                SpParam.of(SrtpParam.AUTHENTICATION_ALGORITHM, 1),
                SpParam.of(SrtpParam.SESSION_AUTH_KEY_LENGTH, 20),
                SpParam.of(SrtpParam.SESSION_SALT_KEY_LENGTH, 14),
                SpParam.of(SrtpParam.SRTP_PSEUDO_RANDOM_FUNCTION, 0),
                SpParam.of(SrtpParam.KEY_DERIVATION_RATE, 0),
                SpParam.of(SrtpParam.SRTP_ENCRYPTION, 1),
                SpParam.of(SrtpParam.SRTCP_ENCRYPTION, 1),
                SpParam.of(SrtpParam.SRTP_AUTHENTICATION, 1),
                SpParam.of(SrtpParam.AUTHENTICATION_TAG_LENGTH, 10)));
    }

    /** The first parameter of the given type, if present. */
    public Optional<SpParam> param(SrtpParam p) {
        return params.stream().filter(x -> x.paramType() == p.value()).findFirst();
    }

    /** The numeric value of a parameter, or {@code defaultValue} when it is absent (SRTP defaults apply). */
    public long value(SrtpParam p, long defaultValue) {
        return param(p).map(SpParam::numeric).orElse(defaultValue);
    }

    @Override
    public PayloadType type() {
        return PayloadType.SP;
    }

    @Override
    public void encodeBody(WireWriter w) {
        WireWriter p = new WireWriter();
        for (SpParam x : params) {
            p.u8(x.paramType()).lenBytes8(x.value());
        }
        w.u8(policyNo).u8(protType).lenBytes16(p.toByteArray());
    }

    static SecurityPolicy decode(WireReader r) {
        int no = r.u8("policy no");
        int protAt = r.offset();
        int prot = r.u8("prot type");
        if (prot != PROT_SRTP) {
            throw new MikeyException(ErrorCode.INVALID_SP, "unknown security protocol " + prot, protAt);
        }
        WireReader p = r.slice(r.u16("policy param length"), "policy params");
        List<SpParam> params = new ArrayList<>();
        while (!p.atEnd()) {
            int at = p.offset();
            int t = p.u8("param type");
            if (SrtpParam.fromValue(t) == null) {
                throw new MikeyException(ErrorCode.INVALID_SPPAR, "unknown SRTP parameter type " + t, at);
            }
            int len = p.u8("param length");
            params.add(new SpParam(t, p.bytes(len, "param value")));
        }
        return new SecurityPolicy(no, prot, params);
    }

    @Override
    public String toString() {
        return "SP[policy " + policyNo + ", prot " + protType + ", " + params + "]";
    }
}
