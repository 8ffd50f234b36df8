package org.kmsconf.mikey.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.kmsconf.mikey.exchange.Fixture.ALICE;
import static org.kmsconf.mikey.exchange.Fixture.BOB;
import static org.kmsconf.mikey.exchange.Fixture.CAROL;
import static org.kmsconf.mikey.exchange.Fixture.DAVE;
import static org.kmsconf.mikey.exchange.Fixture.FACTORY;
import static org.kmsconf.mikey.exchange.Fixture.FOCUS7;
import static org.kmsconf.mikey.exchange.Fixture.KMS;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.payload.ErrorPayload;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.SecurityPolicy;
import org.kmsconf.mikey.payload.SpParam;
import org.kmsconf.mikey.payload.SrtpParam;
import org.kmsconf.mikey.payload.TicketFlag;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.ticket.InitiatorData;

/** Every refusal of the profile ends in the right MIKEY error code, authenticated where docs/profile.md §1 row 13 says
 * so. */
class RefusalTest {
    private final Fixture f = new Fixture();

    private static MikeyException refused(ThrowingCallable c) {
        MikeyException e = catchThrowableOfType(MikeyException.class, c);
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    private TicketRequest request(TicketRequest.Spec spec, KeyMaterial psk) {
        return TicketRequest.create(spec, psk, f.context());
    }

    private static TicketRequest.Spec spec(String uri, byte[] pskId, AlgorithmSet set) {
        return TicketRequest.Spec.conferencing(uri, KMS, pskId, List.of(BOB), set);
    }

    /** Replaces payloads of a message (the MAC is left as it was: tampering). */
    private static byte[] tamper(byte[] msg, UnaryOperator<Payload> edit) {
        MikeyMessage m = MikeyCodec.decode(msg);
        List<Payload> ps = new ArrayList<>(m.payloads());
        ps.replaceAll(edit);
        return MikeyCodec.encode(new MikeyMessage(m.header(), ps));
    }

    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void wrongPskIsAuthFailureWithAnUnauthenticatedError(AlgorithmSet set) {
        TicketRequest req = request(spec(ALICE, f.pskIds.get(ALICE), set), KeyMaterial.of(f.bytes(32)));
        KmsResult r = f.kms.handle(req.message());
        MikeyMessage err = MikeyCodec.decode(r.response());
        assertThat(err.dataType()).isEqualTo(DataType.ERROR);
        assertThat(err.first(ErrorPayload.class).orElseThrow().errorCode()).isEqualTo(ErrorCode.AUTH_FAILURE);
        assertThat(err.first(Verification.class)).isEmpty(); // no V after a failed authentication
        assertThat(r.outcome().granted()).isFalse();
        assertThat(r.outcome().user()).isNull();
        assertThat(refused(() -> req.processResponse(r.response())).errorCode()).isEqualTo(ErrorCode.AUTH_FAILURE);
    }

    @Test
    void replayedRequestIsInvalidTs() {
        TicketRequest req = request(spec(ALICE, f.pskIds.get(ALICE), AlgorithmSet.SET_128), f.psks.get(ALICE));
        req.processResponse(f.kms.handle(req.message()).response());
        KmsResult again = f.kms.handle(req.message());
        assertThat(again.outcome().error()).isEqualTo(ErrorCode.INVALID_TS);
        assertThat(again.outcome().reason()).contains("replayed");
    }

    @Test
    void requestOutsideTheClockSkewIsInvalidTs() {
        Fixture.MutableClock late = new Fixture.MutableClock(f.clock.instant().minusSeconds(301));
        TicketRequest req = TicketRequest.create(spec(ALICE, f.pskIds.get(ALICE), AlgorithmSet.SET_128),
                f.psks.get(ALICE), f.context(late));
        assertThat(f.kms.handle(req.message()).outcome().error()).isEqualTo(ErrorCode.INVALID_TS);
        late.advance(Duration.ofSeconds(2)); // 299 s behind: within ±300 s
        TicketRequest ok = TicketRequest.create(spec(ALICE, f.pskIds.get(ALICE), AlgorithmSet.SET_128),
                f.psks.get(ALICE), f.context(late));
        assertThat(f.kms.handle(ok.message()).outcome().granted()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void idriThatIsNotTheRequestersIsInvalidIdWithAnAuthenticatedError(AlgorithmSet set) {
        // Alice authenticates with her own PSK but asks for a ticket as Bob.
        TicketRequest req = request(spec(BOB, f.pskIds.get(ALICE), set), f.psks.get(ALICE));
        KmsResult r = f.kms.handle(req.message());
        assertThat(r.outcome().error()).isEqualTo(ErrorCode.INVALID_ID);
        assertThat(r.outcome().user()).isEqualTo("alice");
        assertThat(MikeyCodec.decode(r.response()).last()).isInstanceOf(Verification.class);
        MikeyException e = refused(() -> req.processResponse(r.response()));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ID);
        assertThat(e.getMessage()).contains("(authenticated)"); // V keyed like REQUEST_INIT (label 0x01)
    }

    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void requestWithoutKeyForkingIsInvalidTppar(AlgorithmSet set) {
        EnumSet<TicketFlag> noFork = EnumSet.copyOf(Profile.FLAGS);
        noFork.remove(TicketFlag.I);
        TicketRequest req = request(new TicketRequest.Spec(ALICE, KMS, f.pskIds.get(ALICE), List.of(BOB), set, null,
                null, noFork), f.psks.get(ALICE));
        MikeyException e = refused(() -> req.processResponse(f.kms.handle(req.message()).response()));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TPPAR);
        assertThat(e.getMessage()).contains("(authenticated)");
    }

    @Test
    void ticketPolicyPrfDifferentFromTheHeaderPrfIsInvalidTppar() {
        TicketRequest req = request(spec(ALICE, f.pskIds.get(ALICE), AlgorithmSet.SET_128), f.psks.get(ALICE));
        MikeyMessage m = MikeyCodec.decode(req.message());
        List<Payload> ps = new ArrayList<>(m.payloads());
        ps.replaceAll(p -> p instanceof TicketPolicy tp ? new TicketPolicy(tp.ticketType(), tp.subtype(),
                tp.version(), PrfFunc.HMAC_SHA_256, tp.flags(), tp.tpData()) : p);
        MikeyMessage unsigned = new MikeyMessage(m.header(), ps);
        byte[] ri = m.randr(RandRole.RANDRi).orElseThrow().rand();
        KeyMaterial auth = KeyDerivation.authKey(PrfFunc.MIKEY_1, f.psks.get(ALICE), KeyDerivation.Direction.INITIAL,
                m.header().csbId(), ri, null, AlgorithmSet.SET_128.macAlg());
        byte[] resigned = MikeyCodec.encode(Exchanges.signed(unsigned, auth, ALICE.getBytes(StandardCharsets.UTF_8),
                KMS.getBytes(StandardCharsets.UTF_8)));
        KmsResult r = f.kms.handle(resigned);
        assertThat(r.outcome().error()).isEqualTo(ErrorCode.INVALID_TPPAR);
        assertThat(r.outcome().reason()).contains("PRF");
    }

    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void resolverThatIsNotARecipientIsAuthFailure(AlgorithmSet set) {
        byte[] ti = f.transferInit(ALICE, BOB, set, BOB);
        MikeyException e = refused(() -> f.resolve(ti, DAVE, DAVE, f.context()));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTH_FAILURE);
        assertThat(e.getMessage()).contains("(authenticated)");
    }

    @Test
    void resolverClaimingAnIdentityThatIsNotItsOwnIsInvalidId() {
        byte[] ti = f.transferInit(ALICE, BOB, AlgorithmSet.SET_128, BOB);
        assertThat(refused(() -> f.resolve(ti, BOB, DAVE, f.context())).errorCode()).isEqualTo(ErrorCode.INVALID_ID);
    }

    @Test
    void expiredTicketIsInvalidTicket() {
        TicketGrant grant = f.ticket(ALICE, AlgorithmSet.SET_128, BOB);
        f.clock.advance(f.kmsSettings.defaultTicketLifetime().plusSeconds(1));
        byte[] ti = TransferInitiator.create(grant, new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(1))),
                f.context()).message();
        MikeyException e = refused(() -> f.resolve(ti, BOB, BOB, f.context()));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TICKET);
        assertThat(e.getMessage()).contains("(authenticated)");
    }

    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void ticketWhosePolicyWasEditedFailsItsMac(AlgorithmSet set) {
        // Dave adds himself to the ticket's IDRr list: the ticket's V (keyed from the TPK) no longer verifies.
        byte[] ti = tamper(f.transferInit(ALICE, BOB, set, BOB), p -> {
            if (p instanceof TicketPayload t) {
                List<Payload> data = new ArrayList<>(t.policy().tpData());
                data.add(Idr.uri(IdRole.IDRr, DAVE));
                TicketPolicy tp = t.policy();
                return new TicketPayload(new TicketPolicy(tp.ticketType(), tp.subtype(), tp.version(), tp.prfFunc(),
                        tp.flags(), data), t.ticketData(), t.initiatorData());
            }
            return p;
        });
        MikeyException e = refused(() -> f.resolve(ti, DAVE, DAVE, f.context()));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTH_FAILURE);
        assertThat(e.getMessage()).contains("authenticated");
    }

    @Test
    void ticketFromAnotherKmsIsInvalidTicket() {
        String kms2 = "sip:kms2@operator";
        KmsProtocol other = new KmsProtocol(KmsSettings.of(kms2, new TicketProtectionKeys(List.of(
                new TicketProtectionKeys.Tpk("tpk-other".getBytes(StandardCharsets.UTF_8),
                        KeyMaterial.of(f.bytes(32)))))), f.directory, f.context());
        TicketGrant foreign = f.ticket(other, kms2, ALICE, AlgorithmSet.SET_128, BOB);
        byte[] ti = TransferInitiator.create(foreign, new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(1))),
                f.context()).message();
        MikeyException e = refused(() -> f.resolve(ti, BOB, BOB, f.context()));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TICKET);
        TransferResponder r = TransferResponder.receive(ti, f.context());
        KmsOutcome audit = f.kms.handle(r.resolveInit(BOB, KMS, f.pskIds.get(BOB), f.psks.get(BOB))).outcome();
        assertThat(audit.reason()).contains("not issued by this KMS");
        assertThat(audit.user()).isEqualTo("bob");

        // Same KMS name, but a TPK this KMS does not hold (e.g. another deployment): also refused.
        KmsProtocol twin = new KmsProtocol(KmsSettings.of(KMS, new TicketProtectionKeys(List.of(
                new TicketProtectionKeys.Tpk("tpk-twin".getBytes(StandardCharsets.UTF_8),
                        KeyMaterial.of(f.bytes(32)))))), f.directory, f.context());
        TicketGrant twinTicket = f.ticket(twin, KMS, ALICE, AlgorithmSet.SET_128, BOB);
        byte[] ti2 = TransferInitiator.create(twinTicket, new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(1))),
                f.context()).message();
        MikeyException e2 = refused(() -> f.resolve(ti2, BOB, BOB, f.context()));
        assertThat(e2.errorCode()).isEqualTo(ErrorCode.INVALID_TICKET);
    }

    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void tamperedInitiatorDataIsAuthFailure(AlgorithmSet set) {
        byte[] ti = f.transferInit(ALICE, BOB, set, BOB);
        for (boolean vr : new boolean[] {true, false}) {
            byte[] bad = tamper(ti, p -> {
                if (p instanceof TicketPayload t) {
                    InitiatorData id = InitiatorData.decode(t.initiatorData());
                    Verification target = vr ? id.vr() : id.vi();
                    byte[] mac = target.mac();
                    mac[0] ^= 1;
                    Verification flipped = new Verification(target.authAlg(), mac);
                    InitiatorData bent = vr ? id.withVr(flipped) : new InitiatorData(flipped, id.vr());
                    return t.withInitiatorData(bent.encode());
                }
                return p;
            });
            MikeyException e = refused(() -> f.resolve(bad, BOB, BOB, f.context()));
            assertThat(e.errorCode()).as(vr ? "Vr" : "Vi").isEqualTo(ErrorCode.AUTH_FAILURE);
            assertThat(e.getMessage()).contains("authenticated");
        }
    }

    @Test
    void focusUriOutsideTheFactoryRuleIsAuthFailure() {
        String room = "sip:room9.conference1@operator"; // the conference system's identity, but not a focusN name
        f.directory.userOf.put(room, "conference-system");
        byte[] ti = f.transferInit(ALICE, FACTORY, AlgorithmSet.SET_128, FACTORY, BOB);
        assertThat(refused(() -> f.resolve(ti, room, FACTORY, f.context())).errorCode())
                .isEqualTo(ErrorCode.AUTH_FAILURE);
        // A focus URI of the rule, but resolved by another KMS user than the factory's: not that user's identity.
        assertThat(refused(() -> f.resolve(ti, FOCUS7, BOB, f.context())).errorCode())
                .isEqualTo(ErrorCode.INVALID_ID);
        // And the rule itself admits focus7 for the factory's own user.
        assertThat(f.resolve(ti, FOCUS7, FACTORY, f.context()).respond(List.of(Ssrc.of(5))).result().responderUri())
                .isEqualTo(FOCUS7);
    }

    @Test
    void kmsPolicyRefusalIsCarriedWithItsCode() {
        f.directory.resolve = PolicyDecision.deny("conference policy: creator may not call this factory");
        byte[] ti = f.transferInit(ALICE, BOB, AlgorithmSet.SET_128, BOB);
        MikeyException e = refused(() -> f.resolve(ti, BOB, BOB, f.context()));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTH_FAILURE);
        f.directory.request = PolicyDecision.deny(KmsRefusal.RECIPIENT_NOT_PROVISIONED, "no tickets for you");
        assertThat(refused(() -> f.ticket(ALICE, AlgorithmSet.SET_128, BOB)).errorCode())
                .isEqualTo(ErrorCode.INVALID_ID);
    }

    @Test
    void replayedTransferInitIsRefusedByTheResponder() {
        byte[] ti = f.transferInit(ALICE, BOB, AlgorithmSet.SET_128, BOB);
        PartyContext bob = f.context();
        f.resolve(ti, BOB, BOB, bob).respond(List.of(Ssrc.of(7)));
        assertThat(refused(() -> TransferResponder.receive(ti, bob)).errorCode()).isEqualTo(ErrorCode.INVALID_TS);
    }

    @Test
    void transferInitWithASpoofedInitiatorIsRefusedByTheResponder() {
        // Carol relabels Alice's TRANSFER_INIT as hers: the ticket names Alice (and the MAC covers IDRi).
        byte[] ti = tamper(f.transferInit(ALICE, BOB, AlgorithmSet.SET_128, BOB),
                p -> p instanceof Idr i && i.role() == IdRole.IDRi ? Idr.uri(IdRole.IDRi, CAROL) : p);
        assertThat(refused(() -> f.resolve(ti, BOB, BOB, f.context())).errorCode()).isEqualTo(ErrorCode.INVALID_ID);
    }

    @Test
    void srtpPolicyDowngradeInTransitIsAuthFailure() {
        // An attacker shortens the SRTP authentication tag to 4 bytes: the TRANSFER_INIT MAC covers every SP.
        byte[] ti = tamper(f.transferInit(ALICE, BOB, AlgorithmSet.SET_128, BOB), p -> {
            if (p instanceof SecurityPolicy sp) {
                List<SpParam> params = new ArrayList<>(sp.params());
                params.replaceAll(x -> x.paramType() == SrtpParam.AUTHENTICATION_TAG_LENGTH.value()
                        ? SpParam.of(SrtpParam.AUTHENTICATION_TAG_LENGTH, 4) : x);
                return new SecurityPolicy(sp.policyNo(), sp.protType(), params);
            }
            return p;
        });
        assertThat(refused(() -> f.resolve(ti, BOB, BOB, f.context())).errorCode()).isEqualTo(ErrorCode.AUTH_FAILURE);
    }

    @Test
    void transferInitNamingAnotherInitiatorThanTheTicketIsInvalidId() {
        // Alice holds a valid ticket and MPKi/MPKr but claims to be Carol in TRANSFER_INIT: the MAC is hers and
        // valid, yet the ticket (vouched for by the KMS) names Alice as IDRi.
        TicketGrant grant = f.ticket(ALICE, AlgorithmSet.SET_128, BOB);
        byte[] ti = TransferInitiator.create(grant, new TransferInitiator.Spec(CAROL, BOB, List.of(Ssrc.of(1))),
                f.context()).message();
        assertThat(refused(() -> TransferResponder.receive(ti, f.context())).errorCode())
                .isEqualTo(ErrorCode.INVALID_ID);
    }

    @Test
    void pkVariantsAreUnsupportedMessageTypes() {
        TicketRequest req = request(spec(ALICE, f.pskIds.get(ALICE), AlgorithmSet.SET_128), f.psks.get(ALICE));
        MikeyMessage m = MikeyCodec.decode(req.message());
        byte[] pk = MikeyCodec.encode(new MikeyMessage(m.header().withDataType(DataType.REQUEST_INIT_PK),
                m.payloads()));
        KmsResult r = f.kms.handle(pk);
        assertThat(r.outcome().error()).isEqualTo(ErrorCode.UNSUPPORTED_MESSAGE_TYPE);
        assertThat(f.kms.handle(new byte[] {1, 2, 3}).outcome().error()).isEqualTo(ErrorCode.UNSPECIFIED);
    }

    @Test
    void ticketTypeOtherThanTheBaseTicketIsInvalidTicketBeforeAnyKmsContact() {
        byte[] ti = tamper(f.transferInit(ALICE, BOB, AlgorithmSet.SET_128, BOB), p -> {
            if (p instanceof TicketPayload t) {
                TicketPolicy tp = t.policy();
                return new TicketPayload(new TicketPolicy(TicketPolicy.THREE_GPP_BASE_TICKET, tp.subtype(),
                        tp.version(), tp.prfFunc(), tp.flags(), tp.tpData()), t.ticketData(), t.initiatorData());
            }
            return p;
        });
        assertThat(refused(() -> TransferResponder.receive(ti, f.context())).errorCode())
                .isEqualTo(ErrorCode.INVALID_TICKET);
    }

    @Test
    void responseTimestampsAreFreshEvenWithAFrozenClock() {
        // The fixture clock does not move: the responder must still not echo the initiator's T.
        TicketGrant grant = f.ticket(ALICE, AlgorithmSet.SET_128, BOB);
        TransferInitiator alice = TransferInitiator.create(grant,
                new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(1))), f.context());
        TransferResponse resp = f.resolve(alice.message(), BOB, BOB, f.context()).respond(List.of(Ssrc.of(2)));
        Timestamp ti = MikeyCodec.decode(alice.message()).first(Timestamp.class).orElseThrow();
        Timestamp tr = MikeyCodec.decode(resp.message()).first(Timestamp.class).orElseThrow();
        assertThat(tr).isNotEqualTo(ti);
        assertThat(alice.processResponse(resp.message()).responderUri()).isEqualTo(BOB);
    }

    @Test
    void responderErrorAfterResolveIsAuthenticatedForTheInitiator() {
        TicketGrant grant = f.ticket(ALICE, AlgorithmSet.SET_128, BOB);
        TransferInitiator alice = TransferInitiator.create(grant,
                new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(1))), f.context());
        TransferResponder bob = f.resolve(alice.message(), BOB, BOB, f.context());
        MikeyException e = refused(() -> alice.processResponse(bob.errorMessage(ErrorCode.INVALID_SP)));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SP);
        assertThat(e.getMessage()).contains("(authenticated)");
    }
}
