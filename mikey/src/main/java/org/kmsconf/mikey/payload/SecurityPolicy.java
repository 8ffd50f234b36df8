package org.kmsconf.mikey.payload;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.SrtpPolicy;

/**
 * SP payload (RFC 3830 §6.10): {@code next | Policy no(8) | Prot type(8) | Policy param length(16) | params}.
 * The protocols are the {@link ProtType}s: SRTP, whose parameter types are {@link SrtpParam}, and our two private-use
 * types, which have no parameters. Unknown parameter types are refused with Invalid SPpar, an unknown protocol with
 * Invalid SP.
 */
public record SecurityPolicy(int policyNo, int protType, List<SpParam> params) implements Payload {

    /** {@link ProtType#SRTP}'s wire value. */
    public static final int PROT_SRTP = 0;

    public SecurityPolicy {
        if (policyNo < 0 || policyNo > 0xff || protType < 0 || protType > 0xff) {
            throw new IllegalArgumentException("policy no / prot type out of range");
        }
        params = List.copyOf(params);
    }

    /**
     * The SP payload stating an SRTP policy with every parameter explicit except FEC order and prefix length; for
     * AES_CM_128_HMAC_SHA1_80 the parameters are {@code 00 01 01 | 01 01 10 | 02 01 01 | 03 01 14 |
     * 04 01 0e | 05 01 00 | 06 01 00 | 07 01 01 | 08 01 01 | 0a 01 01 | 0b 01 0a}.
     */
    public static SecurityPolicy srtp(int policyNo, SrtpPolicy policy) {
        return new SecurityPolicy(policyNo, PROT_SRTP, SrtpPolicyRules.paramsOf(policy));
    }

    /**
     * The SRTP policy this SP payload describes, absent parameters taking their RFC 3830 defaults.
     *
     * @throws MikeyException error 9 <i>Invalid SP</i> if this is not an SRTP policy, error 10 <i>Invalid SPpar</i>
     *         naming the first parameter this implementation does not honour (see docs/profile.md, "SRTP policy")
     */
    public SrtpPolicy srtpPolicy() {
        return SrtpPolicyRules.policyOf(this);
    }

    /**
     * A policy of one of our private-use protocols ({@link ProtType#KMSCONF_TLS_PSK}, {@link ProtType#KMSCONF_CMS_KEK}):
     * zero-length parameters (docs/profile.md §6, "kmsconf extension").
     */
    public static SecurityPolicy withoutParams(int policyNo, ProtType prot) {
        return new SecurityPolicy(policyNo, prot.value(), List.of());
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
        ProtType known = ProtType.fromValue(prot);
        if (known == null) {
            throw new MikeyException(ErrorCode.INVALID_SP, "unknown security protocol " + prot, protAt);
        }
        WireReader p = r.slice(r.u16("policy param length"), "policy params");
        List<SpParam> params = new ArrayList<>();
        while (!p.atEnd()) {
            int at = p.offset();
            int t = p.u8("param type");
            if (known != ProtType.SRTP) {
                throw new MikeyException(ErrorCode.INVALID_SPPAR, known + " policies have no parameters", at);
            }
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
