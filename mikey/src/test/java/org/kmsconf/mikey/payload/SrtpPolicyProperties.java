package org.kmsconf.mikey.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.SrtpPolicy;

/**
 * Properties of the SP payload to {@link SrtpPolicy} mapping against an oracle written here from RFC 3830
 * §6.10.1 and the table of docs/profile.md alone: every acceptable SP payload (any subset of parameters, any order,
 * values in 1 to 4 bytes) maps to the policy the oracle expects and survives encode/decode; every other one is
 * refused with error 10.
 */
class SrtpPolicyProperties {

    /** The RFC 3830 default and the values we accept, per parameter type 0-12; types 13-20 accept nothing. */
    private static final Map<Integer, Set<Long>> ACCEPTED = new HashMap<>();
    private static final Map<Integer, Long> DEFAULTS = new HashMap<>();

    static {
        accept(0, 1, 1);        // encryption: AES-CM
        accept(1, 16, 16, 32);  // session encryption key length
        accept(2, 1, 1);        // authentication: HMAC-SHA-1
        accept(3, 20, 20);      // session auth key length
        accept(4, 14, 14);      // session salt length
        accept(5, 0, 0);        // PRF: AES-CM
        accept(6, 0, 0);        // key derivation rate
        accept(7, 1, 1);        // SRTP encryption on
        accept(8, 1, 1);        // SRTCP encryption on
        accept(9, 0, 0);        // FEC then SRTP
        accept(10, 1, 1);       // SRTP authentication on
        accept(11, 10, 10, 4);  // tag length
        accept(12, 0, 0);       // prefix length
    }

    private static void accept(int type, long dflt, long... values) {
        DEFAULTS.put(type, dflt);
        Set<Long> s = new HashSet<>();
        for (long v : values) {
            s.add(v);
        }
        ACCEPTED.put(type, s);
    }

    /** What the oracle expects: the policy, or empty for a refusal. */
    private static Optional<SrtpPolicy> oracle(List<SpParam> params) {
        Map<Integer, Long> seen = new HashMap<>();
        for (SpParam p : params) {
            int len = p.value().length;
            if (!ACCEPTED.containsKey(p.paramType()) || len < 1 || len > 4
                    || !ACCEPTED.get(p.paramType()).contains(p.numeric())
                    || seen.put(p.paramType(), p.numeric()) != null) {
                return Optional.empty();
            }
        }
        long key = seen.getOrDefault(1, DEFAULTS.get(1));
        long tag = seen.getOrDefault(11, DEFAULTS.get(11));
        SrtpPolicy expected = key == 16 ? (tag == 10 ? SrtpPolicy.AES_CM_128_HMAC_SHA1_80
                : SrtpPolicy.AES_CM_128_HMAC_SHA1_32)
                : tag == 10 ? SrtpPolicy.AES_256_CM_HMAC_SHA1_80 : SrtpPolicy.AES_256_CM_HMAC_SHA1_32;
        return Optional.of(expected);
    }

    private static byte[] bigEndian(long v, int len) {
        byte[] b = new byte[len];
        for (int i = len - 1; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    /** Acceptable SP payloads: each type 0-12 absent or present with an accepted value in 1-4 bytes, shuffled. */
    @Provide
    Arbitrary<List<SpParam>> acceptable() {
        return Arbitraries.randoms().map(r -> {
            List<SpParam> ps = new ArrayList<>();
            for (int type = 0; type <= 12; type++) {
                if (r.nextBoolean()) {
                    List<Long> values = new ArrayList<>(ACCEPTED.get(type));
                    Collections.sort(values);
                    long v = values.get(r.nextInt(values.size()));
                    ps.add(new SpParam(type, bigEndian(v, 1 + r.nextInt(4))));
                }
            }
            Collections.shuffle(ps, r);
            return ps;
        });
    }

    @Property(tries = 500)
    void everyAcceptableSpPayloadMapsToTheOraclesPolicyAndRoundTrips(@ForAll("acceptable") List<SpParam> params,
            @ForAll Random random) {
        SecurityPolicy sp = new SecurityPolicy(random.nextInt(256), SecurityPolicy.PROT_SRTP, params);
        SrtpPolicy expected = oracle(params).orElseThrow();
        assertThat(sp.srtpPolicy()).isEqualTo(expected);
        WireWriter w = new WireWriter();
        sp.encodeBody(w);
        assertThat(SecurityPolicy.decode(new WireReader(w.toByteArray())).srtpPolicy()).isEqualTo(expected);
        // and the canonical SP of that policy says the same
        assertThat(SecurityPolicy.srtp(sp.policyNo(), expected).srtpPolicy()).isEqualTo(expected);
    }

    /** Any SP payload over types 0-20: random values and lengths, sometimes a type twice. */
    @Provide
    Arbitrary<List<SpParam>> anything() {
        return Arbitraries.randoms().map(r -> {
            List<SpParam> ps = new ArrayList<>();
            int n = r.nextInt(8);
            for (int i = 0; i < n; i++) {
                int type = r.nextInt(4) == 0 ? 13 + r.nextInt(8) : r.nextInt(13);
                List<Long> good = new ArrayList<>(ACCEPTED.getOrDefault(type, Set.of(0L)));
                Collections.sort(good);
                long v = r.nextBoolean() ? good.get(r.nextInt(good.size())) : r.nextInt(r.nextBoolean() ? 40 : 256);
                int len = r.nextInt(10) == 0 ? (r.nextBoolean() ? 0 : 5) : 1 + r.nextInt(4);
                ps.add(new SpParam(type, len == 0 ? new byte[0] : bigEndian(v, len)));
            }
            return ps;
        });
    }

    @Property(tries = 2000)
    void everySpPayloadIsEitherTheOraclesPolicyOrInvalidSppar(@ForAll("anything") List<SpParam> params) {
        SecurityPolicy sp = new SecurityPolicy(0, SecurityPolicy.PROT_SRTP, params);
        Optional<SrtpPolicy> expected = oracle(params);
        if (expected.isPresent()) {
            assertThat(sp.srtpPolicy()).isEqualTo(expected.get());
        } else {
            MikeyException e = catchThrowableOfType(sp::srtpPolicy, MikeyException.class);
            assertThat(e).as("refused: %s", params).isNotNull();
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SPPAR);
        }
    }

    @Property(tries = 100)
    void anyOtherSecurityProtocolIsInvalidSp(@ForAll("acceptable") List<SpParam> params, @ForAll Random random) {
        SecurityPolicy sp = new SecurityPolicy(0, 1 + random.nextInt(255), params);
        MikeyException e = catchThrowableOfType(sp::srtpPolicy, MikeyException.class);
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SP);
    }
}
