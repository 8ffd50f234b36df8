package org.kmsconf.mikey.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.kmsconf.mikey.exchange.Fixture.ALICE;
import static org.kmsconf.mikey.exchange.Fixture.BOB;

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
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.GenericIdEntry;
import org.kmsconf.mikey.message.GenericIdMap;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.payload.ErrorPayload;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.SecurityPolicy;
import org.kmsconf.mikey.payload.SpParam;
import org.kmsconf.mikey.payload.SrtpParam;
import org.kmsconf.mikey.payload.Verification;

/**
 * The SRTP policy through the Ticket Transfer exchange: the Initiator offers policies in order of preference, the
 * Responder takes the first it runs, and both sides' keys carry that policy. An offer with nothing acceptable is
 * refused before the KMS is contacted, with error 10 <i>Invalid SPpar</i> (or 9 <i>Invalid SP</i> for a malformed
 * offer), and the Responder's error message carries that code back to the Initiator. The Initiators here hold
 * genuine tickets: the offers are authenticated, only their content is refused.
 */
class SrtpPolicyNegotiationTest {
    private final Fixture f = new Fixture();

    private TransferInitiator offer(AlgorithmSet set, List<SecurityPolicy> sps) {
        return TransferInitiator.offering(f.ticket(ALICE, set, BOB),
                new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(0x1111))), sps, f.context());
    }

    private static MikeyException refused(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
        MikeyException e = catchThrowableOfType(c, MikeyException.class);
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    static Stream<Arguments> policiesPerSet() {
        List<Arguments> a = new ArrayList<>();
        for (AlgorithmSet set : AlgorithmSet.values()) {
            for (SrtpPolicy p : SrtpPolicy.values()) {
                if (set.allows(p)) {
                    a.add(Arguments.of(set, p));
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("policiesPerSet")
    void theOfferedPolicyIsNegotiatedAndTravelsWithTheKeysOnBothSides(AlgorithmSet set, SrtpPolicy policy) {
        TransferInitiator alice = TransferInitiator.create(f.ticket(ALICE, set, BOB),
                new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(0x1111))).offering(policy), f.context());
        TransferResponse resp = f.resolve(alice.message(), BOB, BOB, f.context()).respond(List.of(Ssrc.of(0x2222)));
        TransferResult atAlice = alice.processResponse(resp.message());
        for (int cs : List.of(1, 2)) {
            assertThat(atAlice.keys(cs).policy()).isEqualTo(policy);
            assertThat(resp.result().keys(cs).policy()).isEqualTo(policy);
            assertThat(atAlice.keys(cs).masterKey()).hasSize(policy.masterKeyLength());
            assertThat(atAlice.keys(cs).sameKeysAs(resp.result().keys(cs))).isTrue();
        }
        MikeyMessage tr = MikeyCodec.decode(resp.message());
        assertThat(tr.all(SecurityPolicy.class)).singleElement()
                .satisfies(sp -> assertThat(sp.srtpPolicy()).isEqualTo(policy));
    }

    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void theDefaultOfferIsTheSetsDefaultPolicyAsOneSpPayload(AlgorithmSet set) {
        TransferInitiator alice = TransferInitiator.create(f.ticket(ALICE, set, BOB),
                new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(1))), f.context());
        MikeyMessage m = MikeyCodec.decode(alice.message());
        assertThat(m.all(SecurityPolicy.class)).containsExactly(SecurityPolicy.srtp(0, set.defaultSrtpPolicy()));
        assertThat(((GenericIdMap) m.header().csIdMap()).entries()).allSatisfy(e ->
                assertThat(e.policyNos()).containsExactly(0));
    }

    @Test
    void theResponderTakesTheFirstAlternativeItRuns() {
        // Alice prefers AES-F8 (which we do not run), then the 32-bit tag, then the default.
        SecurityPolicy f8 = with(SecurityPolicy.srtp(0, SrtpPolicy.DEFAULT),
                SpParam.of(SrtpParam.ENCRYPTION_ALGORITHM, 2));
        TransferInitiator alice = offer(AlgorithmSet.SET_128, List.of(f8,
                SecurityPolicy.srtp(1, SrtpPolicy.AES_CM_128_HMAC_SHA1_32),
                SecurityPolicy.srtp(2, SrtpPolicy.AES_CM_128_HMAC_SHA1_80)));
        TransferResponse resp = f.resolve(alice.message(), BOB, BOB, f.context()).respond(List.of(Ssrc.of(2)));
        MikeyMessage tr = MikeyCodec.decode(resp.message());
        assertThat(((GenericIdMap) tr.header().csIdMap()).entries()).allSatisfy(e ->
                assertThat(e.policyNos()).containsExactly(1));
        assertThat(tr.all(SecurityPolicy.class)).containsExactly(SecurityPolicy.srtp(1,
                SrtpPolicy.AES_CM_128_HMAC_SHA1_32));
        TransferResult atAlice = alice.processResponse(resp.message());
        assertThat(atAlice.keys(1).policy()).isEqualTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_32);
        assertThat(resp.result().keys(2).policy()).isEqualTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_32);
    }

    /** {@code sp} with {@code x} replacing the parameter of its type, or added. */
    private static SecurityPolicy with(SecurityPolicy sp, SpParam x) {
        List<SpParam> ps = new ArrayList<>(sp.params());
        ps.removeIf(y -> y.paramType() == x.paramType());
        ps.add(x);
        return new SecurityPolicy(sp.policyNo(), sp.protType(), ps);
    }

    /** Offers this implementation does not run, each alone in the offer: error 10 at receipt (RFC 6043 §5.2). */
    static Stream<Arguments> refusedOffers() {
        SecurityPolicy base = SecurityPolicy.srtp(0, SrtpPolicy.DEFAULT);
        List<Arguments> a = new ArrayList<>();
        Object[][] cases = {
            {"AES-F8", SrtpParam.ENCRYPTION_ALGORITHM, 2}, {"SEED-CTR", SrtpParam.ENCRYPTION_ALGORITHM, 3},
            {"AES-GCM", SrtpParam.ENCRYPTION_ALGORITHM, 6}, {"NULL encryption", SrtpParam.ENCRYPTION_ALGORITHM, 0},
            {"NULL authentication", SrtpParam.AUTHENTICATION_ALGORITHM, 0},
            {"RCCm3", SrtpParam.AUTHENTICATION_ALGORITHM, 4}, {"KDR 2^16", SrtpParam.KEY_DERIVATION_RATE, 16},
            {"SRTP encryption off", SrtpParam.SRTP_ENCRYPTION, 0},
            {"SRTCP encryption off", SrtpParam.SRTCP_ENCRYPTION, 0},
            {"SRTP authentication off", SrtpParam.SRTP_AUTHENTICATION, 0},
            {"FEC order 1", SrtpParam.SENDER_FEC_ORDER, 1}, {"prefix 4", SrtpParam.SRTP_PREFIX_LENGTH, 4},
            {"tag 12", SrtpParam.AUTHENTICATION_TAG_LENGTH, 12}, {"tag 0", SrtpParam.AUTHENTICATION_TAG_LENGTH, 0},
            {"salt 12", SrtpParam.SESSION_SALT_KEY_LENGTH, 12}, {"key 24", SrtpParam.SESSION_ENCR_KEY_LENGTH, 24},
            {"auth key 32", SrtpParam.SESSION_AUTH_KEY_LENGTH, 32},
            {"SEED PRF", SrtpParam.SRTP_PSEUDO_RANDOM_FUNCTION, 1},
            {"ROC transmission", SrtpParam.ROC_TRANSMISSION_RATE, 1},
            {"SRTCP tag (type 19)", SrtpParam.SRTCP_AUTH_TAG_LENGTH, 4},
            {"AEAD tag", SrtpParam.AEAD_AUTH_TAG_LENGTH, 16}};
        for (Object[] c : cases) {
            a.add(Arguments.of(c[0], with(base, SpParam.of((SrtpParam) c[1], (Integer) c[2]))));
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedOffers")
    void anOfferWeDoNotRunIsInvalidSpparAndTheErrorReachesTheInitiator(String what, SecurityPolicy sp) {
        TransferInitiator alice = offer(AlgorithmSet.SET_128, List.of(sp));
        byte[] ti = alice.message();
        MikeyException e = refused(() -> TransferResponder.receive(ti, f.context()));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SPPAR);
        expectErrorAtInitiator(alice, TransferResponder.refusal(ti, e.errorCode(), f.context()),
                ErrorCode.INVALID_SPPAR);
    }

    private static void expectErrorAtInitiator(TransferInitiator alice, byte[] error, ErrorCode code) {
        MikeyMessage m = MikeyCodec.decode(error);
        assertThat(m.dataType()).isEqualTo(DataType.ERROR);
        assertThat(m.header().csbId()).isEqualTo(alice.csbId());
        assertThat(m.first(ErrorPayload.class).orElseThrow().errorCode()).isEqualTo(code);
        assertThat(m.first(Verification.class)).isEmpty(); // no key yet: unauthenticated (a hint)
        MikeyException atAlice = refused(() -> alice.processResponse(error));
        assertThat(atAlice.errorCode()).isEqualTo(code);
        assertThat(atAlice.getMessage()).contains("(unauthenticated)");
    }

    @Test
    void everyAlternativeRefusedIsInvalidSpparNamingEachReason() {
        SecurityPolicy base = SecurityPolicy.srtp(0, SrtpPolicy.DEFAULT);
        SecurityPolicy gcm = with(base, SpParam.of(SrtpParam.ENCRYPTION_ALGORITHM, 6));
        SecurityPolicy kdr = with(SecurityPolicy.srtp(1, SrtpPolicy.DEFAULT),
                SpParam.of(SrtpParam.KEY_DERIVATION_RATE, 1));
        MikeyException e = refused(() -> TransferResponder.receive(offer(AlgorithmSet.SET_128, List.of(gcm, kdr))
                .message(), f.context()));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SPPAR);
        assertThat(e.getMessage()).contains("AES-GCM").contains("KEY_DERIVATION_RATE");
    }

    @Test
    void anAes256PolicyUnderThe128BitSetIsInvalidSppar() {
        // RFC 6043 §6.2: 256-bit session keys are not keyed with the 128-bit algorithms.
        MikeyException e = refused(() -> TransferResponder.receive(offer(AlgorithmSet.SET_128,
                List.of(SecurityPolicy.srtp(0, SrtpPolicy.AES_256_CM_HMAC_SHA1_80))).message(), f.context()));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SPPAR);
        // and our own Initiator does not offer it
        assertThatThrownBy(() -> TransferInitiator.create(f.ticket(ALICE, AlgorithmSet.SET_128, BOB),
                new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(1)))
                        .offering(SrtpPolicy.AES_256_CM_HMAC_SHA1_32), f.context()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMalformedOfferIsInvalidSp() {
        // a crypto session naming a policy number no SP payload carries
        TransferInitiator missing = offer(AlgorithmSet.SET_128, List.of(SecurityPolicy.srtp(5, SrtpPolicy.DEFAULT)));
        MikeyException e = refused(() -> TransferResponder.receive(missing.message(), f.context()));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SP);
        expectErrorAtInitiator(missing, TransferResponder.refusal(missing.message(), e.errorCode(), f.context()),
                ErrorCode.INVALID_SP);
        // no policy at all
        assertThat(refused(() -> TransferResponder.receive(offer(AlgorithmSet.SET_128, List.of()).message(),
                f.context())).errorCode()).isEqualTo(ErrorCode.INVALID_SP);
        // two SP payloads with one number: which one did the Initiator mean?
        assertThat(refused(() -> TransferResponder.receive(offer(AlgorithmSet.SET_128, List.of(
                SecurityPolicy.srtp(0, SrtpPolicy.DEFAULT), SecurityPolicy.srtp(0, SrtpPolicy.AES_CM_128_HMAC_SHA1_32)))
                .message(), f.context())).errorCode()).isEqualTo(ErrorCode.INVALID_SP);
    }

    @Test
    void anUnknownParameterTypeIsRefusedByTheDecoderAndStillAnsweredWithItsCsbId() {
        // Type 33 is in no registry: the message does not decode (error 10), but its header does.
        TransferInitiator alice = offer(AlgorithmSet.SET_128, List.of(new SecurityPolicy(0, SecurityPolicy.PROT_SRTP,
                List.of(new SpParam(33, new byte[] {1})))));
        MikeyException e = refused(() -> TransferResponder.receive(alice.message(), f.context()));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SPPAR);
        expectErrorAtInitiator(alice, TransferResponder.refusal(alice.message(), e.errorCode(), f.context()),
                ErrorCode.INVALID_SPPAR);
        // garbage gets a bare error header
        MikeyMessage bare = MikeyCodec.decode(TransferResponder.refusal(new byte[] {1, 2}, ErrorCode.UNSPECIFIED,
                f.context()));
        assertThat(bare.dataType()).isEqualTo(DataType.ERROR);
    }

    @Test
    void theInitiatorAcceptsOnlyAPolicyItOffered() {
        List<SecurityPolicy> offered = List.of(SecurityPolicy.srtp(0, SrtpPolicy.DEFAULT),
                SecurityPolicy.srtp(1, SrtpPolicy.AES_CM_128_HMAC_SHA1_32));
        GenericIdEntry picksOne = GenericIdEntry.srtp(1, 1, Ssrc.of(1));
        assertThat(Sessions.answered(picksOne, offered, List.of(), AlgorithmSet.SET_128))
                .isEqualTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_32);
        assertThat(Sessions.answered(picksOne, offered, List.of(offered.get(1)), AlgorithmSet.SET_128))
                .isEqualTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_32);
        // a number that was not offered, two numbers, or the offered number with other parameters: Invalid SP
        for (Runnable r : List.<Runnable>of(
                () -> Sessions.answered(GenericIdEntry.srtp(1, 2, Ssrc.of(1)), offered, List.of(),
                        AlgorithmSet.SET_128),
                () -> Sessions.answered(picksOne.withPolicy(0), offered,
                        List.of(SecurityPolicy.srtp(0, SrtpPolicy.AES_CM_128_HMAC_SHA1_32)), AlgorithmSet.SET_128),
                () -> Sessions.answered(new GenericIdEntry(1, 0, false, List.of(0, 1), new byte[0], new byte[0]),
                        offered, List.of(), AlgorithmSet.SET_128))) {
            assertThat(refused(r::run).errorCode()).isEqualTo(ErrorCode.INVALID_SP);
        }
    }

    /** A tampered SP no longer matches the MAC: still refused, early (SP first, RFC 6043 §5.2) or at the MAC. */
    @Test
    void aPolicyEditedInTransitNeverReachesTheKeys() {
        byte[] ti = TransferInitiator.create(f.ticket(ALICE, AlgorithmSet.SET_128, BOB),
                new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(1))), f.context()).message();
        MikeyMessage m = MikeyCodec.decode(ti);
        List<Payload> ps = new ArrayList<>(m.payloads());
        ps.replaceAll(p -> p instanceof SecurityPolicy ? SecurityPolicy.srtp(0, SrtpPolicy.AES_CM_128_HMAC_SHA1_32)
                : p);
        byte[] tampered = MikeyCodec.encode(new MikeyMessage(m.header(), ps));
        assertThat(refused(() -> f.resolve(tampered, BOB, BOB, f.context())).errorCode())
                .isEqualTo(ErrorCode.AUTH_FAILURE);
    }
}
