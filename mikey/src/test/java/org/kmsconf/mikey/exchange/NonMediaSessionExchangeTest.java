package org.kmsconf.mikey.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.kmsconf.mikey.exchange.Fixture.ALICE;
import static org.kmsconf.mikey.exchange.Fixture.BOB;
import static org.kmsconf.mikey.exchange.Fixture.CAROL;
import static org.kmsconf.mikey.exchange.Fixture.FOCUS7;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyDerivation.Direction;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.message.GenericIdEntry;
import org.kmsconf.mikey.message.GenericIdMap;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.ProtType;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.Randr;
import org.kmsconf.mikey.payload.SecurityPolicy;
import org.kmsconf.mikey.payload.Verification;

/**
 * docs/profile.md §6, kmsconf extension: the leg's TRANSFER exchange keys CS 0xB0 (BFCP TLS PSK) and CS 0xE0 (event
 * package KEK) next to the SRTP sessions; both ends derive the same K(cs) from their own forked TGK', nobody else
 * does, and a responder that answers them wrongly is refused. The malicious-responder cases re-sign TRANSFER_RESP
 * with the MPKr' a genuine responder holds: the MAC is valid, the check under test is what refuses.
 */
class NonMediaSessionExchangeTest {
    private final Fixture f = new Fixture();

    private static MikeyException refused(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
        MikeyException e = catchThrowableOfType(MikeyException.class, c);
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    private static List<Integer> csIds(byte[] message) {
        return ((GenericIdMap) MikeyCodec.decode(message).header().csIdMap()).entries().stream()
                .map(GenericIdEntry::csId).toList();
    }

    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void aFloorControlledLegToAFocusKeysBothNonMediaSessionsOnBothSides(AlgorithmSet set) {
        TicketGrant grant = f.ticket(ALICE, set, FOCUS7);
        TransferInitiator alice = TransferInitiator.create(grant,
                TransferInitiator.Spec.conferenceLeg(ALICE, FOCUS7, List.of(Ssrc.of(0x11111111)), true), f.context());
        assertThat(csIds(alice.message())).containsExactly(1, 2, 0xB0, 0xE0);
        TransferResponder focus = f.resolve(alice.message(), FOCUS7, Fixture.FACTORY, f.context());
        assertThat(focus.offeredNonMediaSessions()).containsExactlyInAnyOrder(NonMediaSession.values());
        TransferResponse resp = focus.respond(List.of(Ssrc.of(0x22222222)));

        // TRANSFER_RESP: 0xB0 / 0xE0 filled with one policy, the TGK's SPI and no session data (that is valid).
        MikeyMessage tr = MikeyCodec.decode(resp.message());
        GenericIdMap map = (GenericIdMap) tr.header().csIdMap();
        for (NonMediaSession s : NonMediaSession.values()) {
            GenericIdEntry e = map.entry(s.csId()).orElseThrow();
            assertThat(e.protType()).isEqualTo(s.protType().value());
            assertThat(e.sessionData()).isEmpty();
            assertThat(e.policyNos()).containsExactly(s.policyNo());
            assertThat(e.spi()).isEqualTo(grant.tgkSpi());
        }
        assertThat(tr.all(SecurityPolicy.class)).extracting(SecurityPolicy::protType).containsExactly(0, 241, 242);

        TransferResult atAlice = alice.processResponse(resp.message());
        TransferResult atFocus = resp.result();
        assertThat(atAlice.csbId()).isEqualTo(atFocus.csbId()).isEqualTo(alice.csbId());
        assertThat(atAlice.nonMediaSessions()).containsExactlyInAnyOrder(NonMediaSession.values());
        for (NonMediaSession s : NonMediaSession.values()) {
            KeyMaterial k = atAlice.nonMediaKey(s).orElseThrow();
            assertThat(k).as("%s equal on both ends", s).isEqualTo(atFocus.nonMediaKey(s).orElseThrow());
            assertThat(k.length()).as("as long as the TGK").isEqualTo(set.keyBytes());
        }
        KeyMaterial psk = atAlice.nonMediaKey(NonMediaSession.BFCP_TLS_PSK).orElseThrow();
        KeyMaterial kek = atAlice.nonMediaKey(NonMediaSession.EVENT_PACKAGE_KEK).orElseThrow();
        assertThat(psk).isNotEqualTo(kek);
        for (int cs : List.of(1, 2)) {
            assertThat(psk.bytes()).isNotEqualTo(atAlice.keys(cs).masterKey());
            assertThat(kek.bytes()).isNotEqualTo(atAlice.keys(cs).masterKey());
        }
        assertThat(atAlice.toString()).contains("non-media").doesNotContain(java.util.HexFormat.of()
                .formatHex(psk.bytes()).substring(0, 8));

        // Zeroed with the SRTP keys.
        atAlice.destroy();
        assertThat(psk.isDestroyed()).isTrue();
        assertThat(kek.isDestroyed()).isTrue();
        assertThat(atFocus.nonMediaKey(NonMediaSession.EVENT_PACKAGE_KEK).orElseThrow().isDestroyed()).isFalse();
    }

    @Test
    void withoutFloorControlOnlyTheEventPackageKekIsKeyed() {
        TicketGrant grant = f.ticket(ALICE, AlgorithmSet.SET_128, FOCUS7);
        TransferInitiator alice = TransferInitiator.create(grant,
                TransferInitiator.Spec.conferenceLeg(ALICE, FOCUS7, List.of(Ssrc.of(1)), false), f.context());
        assertThat(csIds(alice.message())).containsExactly(1, 2, 0xE0);
        TransferResponse resp = f.resolve(alice.message(), FOCUS7, Fixture.FACTORY, f.context()).respond(List.of(Ssrc.of(2)));
        TransferResult r = alice.processResponse(resp.message());
        assertThat(r.nonMediaSessions()).containsExactly(NonMediaSession.EVENT_PACKAGE_KEK);
        assertThat(r.nonMediaKey(NonMediaSession.BFCP_TLS_PSK)).isEmpty();
        assertThat(resp.result().nonMediaKey(NonMediaSession.EVENT_PACKAGE_KEK).orElseThrow())
                .isEqualTo(r.nonMediaKey(NonMediaSession.EVENT_PACKAGE_KEK).orElseThrow());
    }

    @Test
    void aLegBetweenUsersOffersNoNonMediaSession() {
        TicketGrant grant = f.ticket(ALICE, AlgorithmSet.SET_128, BOB);
        TransferInitiator alice = TransferInitiator.create(grant, new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(1))),
                f.context());
        assertThat(csIds(alice.message())).containsExactly(1, 2);
        TransferResponse resp = f.resolve(alice.message(), BOB, BOB, f.context()).respond(List.of(Ssrc.of(2)));
        assertThat(alice.processResponse(resp.message()).nonMediaSessions()).isEmpty();
        assertThat(resp.result().nonMediaSessions()).isEmpty();
    }

    @Test
    void anotherRecipientOfTheSameTicketDerivesOtherKeys() {
        // Bob and Carol are both named by Alice's ticket; each resolves with its own identity: forked TGK' differ.
        TicketGrant grant = f.ticket(ALICE, AlgorithmSet.SET_128, BOB, CAROL);
        TransferInitiator alice = TransferInitiator.create(grant,
                TransferInitiator.Spec.conferenceLeg(ALICE, BOB, List.of(Ssrc.of(1)), true), f.context());
        TransferResult bob = f.resolve(alice.message(), BOB, BOB, f.context()).respond(List.of(Ssrc.of(2))).result();
        TransferResult carol = f.resolve(alice.message(), CAROL, CAROL, f.context()).respond(List.of(Ssrc.of(3))).result();
        for (NonMediaSession s : NonMediaSession.values()) {
            assertThat(bob.nonMediaKey(s).orElseThrow()).isNotEqualTo(carol.nonMediaKey(s).orElseThrow());
        }
    }

    @Test
    void aNewExchangeOnTheSameLegGivesNewKeys() {
        // Re-keying (re-INVITE with a new TRANSFER_INIT): fresh RANDs, so both non-media keys are replaced.
        TicketGrant grant = f.ticket(ALICE, AlgorithmSet.SET_128, FOCUS7);
        List<TransferResult> results = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            TransferInitiator alice = TransferInitiator.create(grant,
                    TransferInitiator.Spec.conferenceLeg(ALICE, FOCUS7, List.of(Ssrc.of(1)), true), f.context());
            results.add(alice.processResponse(f.resolve(alice.message(), FOCUS7, Fixture.FACTORY, f.context())
                    .respond(List.of(Ssrc.of(2))).message()));
        }
        for (NonMediaSession s : NonMediaSession.values()) {
            assertThat(results.get(0).nonMediaKey(s).orElseThrow())
                    .isNotEqualTo(results.get(1).nonMediaKey(s).orElseThrow());
        }
    }

    // ---------------------------------------------------------------- responder refusals (before the KMS)

    private byte[] focusInit(boolean floorControl) {
        return TransferInitiator.create(f.ticket(ALICE, AlgorithmSet.SET_128, FOCUS7),
                TransferInitiator.Spec.conferenceLeg(ALICE, FOCUS7, List.of(Ssrc.of(1)), floorControl), f.context()).message();
    }

    /** TRANSFER_INIT with its map and SPs edited (the MAC is not: these refusals come before any MAC check). */
    private static byte[] edit(byte[] msg, UnaryOperator<GenericIdEntry> entry, UnaryOperator<Payload> payload) {
        MikeyMessage m = MikeyCodec.decode(msg);
        List<GenericIdEntry> es = new ArrayList<>(((GenericIdMap) m.header().csIdMap()).entries());
        es.replaceAll(entry);
        List<Payload> ps = new ArrayList<>(m.payloads());
        ps.replaceAll(payload);
        return MikeyCodec.encode(new MikeyMessage(m.header().withCsIdMap(new GenericIdMap(es)), ps));
    }

    @Test
    void anUnknownProtTypeIsInvalidSpAtTheResponder() {
        byte[] ti = focusInit(true);
        byte[] b = ti.clone();
        // the Prot type byte of CS 0xB0 in the map, which starts after the 10 fixed bytes of the HDR
        int at = indexOf(b, new byte[] {(byte) 0xB0, (byte) 241, 1, (byte) 0xB0}) + 1;
        b[at] = (byte) 243;
        MikeyException e = refused(() -> TransferResponder.receive(b, f.context()));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SP);
        assertThat(e.getMessage()).contains("243");
    }

    @Test
    void aKnownCsIdWithTheOtherProtTypeIsInvalidSp() {
        byte[] ti = edit(focusInit(true), e -> e.csId() == 0xB0
                ? new GenericIdEntry(0xB0, ProtType.KMSCONF_CMS_KEK.value(), false, e.policyNos(), new byte[0],
                        e.spi()) : e, p -> p);
        assertThat(refused(() -> TransferResponder.receive(ti, f.context())).errorCode())
                .isEqualTo(ErrorCode.INVALID_SP);
    }

    @Test
    void aPrivateUseProtTypeUnderAnotherCsIdIsInvalidSp() {
        byte[] ti = edit(focusInit(false), e -> e.csId() == 0xE0
                ? new GenericIdEntry(0xE1, e.protType(), false, e.policyNos(), new byte[0], e.spi()) : e, p -> p);
        assertThat(refused(() -> TransferResponder.receive(ti, f.context())).errorCode())
                .isEqualTo(ErrorCode.INVALID_SP);
    }

    @Test
    void anSrtpSessionUnderAReservedCsIdIsInvalidSp() {
        byte[] ti = edit(focusInit(false), e -> e.csId() == 0xE0
                ? GenericIdEntry.srtpWithoutSessionData(0xE0, List.of(0)).withSpi(e.spi()) : e, p -> p);
        assertThat(refused(() -> TransferResponder.receive(ti, f.context())).errorCode())
                .isEqualTo(ErrorCode.INVALID_SP);
    }

    @Test
    void aNonMediaSessionNamingAnSrtpPolicyIsInvalidSp() {
        byte[] ti = edit(focusInit(true), e -> e.csId() == 0xB0 ? e.withPolicy(0) : e, p -> p);
        assertThat(refused(() -> TransferResponder.receive(ti, f.context())).errorCode())
                .isEqualTo(ErrorCode.INVALID_SP);
    }

    @Test
    void aNonMediaSessionNamingAMissingPolicyIsInvalidSp() {
        byte[] ti = edit(focusInit(true), e -> e, p -> p instanceof SecurityPolicy sp && sp.policyNo() == 0xB0
                ? SecurityPolicy.withoutParams(0x77, ProtType.KMSCONF_TLS_PSK) : p);
        assertThat(refused(() -> TransferResponder.receive(ti, f.context())).errorCode())
                .isEqualTo(ErrorCode.INVALID_SP);
    }

    // ---------------------------------------------------------------- initiator refusals (valid MAC)

    /** A genuine focus's TRANSFER_RESP, edited and re-signed with the MPKr' that focus holds. */
    private byte[] malicious(TicketGrant grant, TransferInitiator alice, TransferResponse honest,
            UnaryOperator<List<GenericIdEntry>> entries) {
        MikeyMessage m = MikeyCodec.decode(honest.message());
        List<GenericIdEntry> es = new ArrayList<>(((GenericIdMap) m.header().csIdMap()).entries());
        MikeyMessage unsigned = new MikeyMessage(m.header().withCsIdMap(new GenericIdMap(entries.apply(es))),
                m.payloads()).withLast(Verification.unsigned(grant.algorithmSet().macAlg()));
        Idr idrr = m.idr(IdRole.IDRr).orElseThrow();
        byte[] rkms = m.randr(RandRole.RANDRkms).map(Randr::rand).orElseThrow();
        byte[] rr = m.randr(RandRole.RANDRr).map(Randr::rand).orElseThrow();
        byte[] ri = MikeyCodec.decode(alice.message()).randr(RandRole.RANDRi).map(Randr::rand).orElseThrow();
        KeyMaterial mpkrForked = KeyDerivation.forkMpkr(grant.ticket().policy().prfFunc(), grant.mpkr(),
                idrr.data(), rkms);
        KeyMaterial auth = KeyDerivation.authKey(grant.algorithmSet().prf(), mpkrForked, Direction.RESPONSE,
                alice.csbId(), ri, rr, grant.algorithmSet().macAlg());
        return MikeyCodec.encode(Exchanges.signed(unsigned, auth, alice.message()));
    }

    private MikeyException refusedAtInitiator(boolean offerFloorControl,
            UnaryOperator<List<GenericIdEntry>> entries) {
        TicketGrant grant = f.ticket(ALICE, AlgorithmSet.SET_128, FOCUS7);
        TransferInitiator alice = TransferInitiator.create(grant,
                TransferInitiator.Spec.conferenceLeg(ALICE, FOCUS7, List.of(Ssrc.of(1)), offerFloorControl), f.context());
        TransferResponse honest = f.resolve(alice.message(), FOCUS7, Fixture.FACTORY, f.context())
                .respond(List.of(Ssrc.of(2)));
        byte[] forged = malicious(grant, alice, honest, entries);
        return refused(() -> alice.processResponse(forged));
    }

    @Test
    void theResigningHelperItselfProducesAnAcceptedAnswer() {
        TicketGrant grant = f.ticket(ALICE, AlgorithmSet.SET_128, FOCUS7);
        TransferInitiator alice = TransferInitiator.create(grant,
                TransferInitiator.Spec.conferenceLeg(ALICE, FOCUS7, List.of(Ssrc.of(1)), true), f.context());
        TransferResponse honest = f.resolve(alice.message(), FOCUS7, Fixture.FACTORY, f.context())
                .respond(List.of(Ssrc.of(2)));
        byte[] same = malicious(grant, alice, honest, es -> es);
        assertThat(alice.processResponse(same).nonMediaSessions()).hasSize(2);
    }

    @Test
    void anAnswerDroppingTheEventPackageSessionIsRefused() {
        MikeyException e = refusedAtInitiator(true, es -> {
            es.removeIf(x -> x.csId() == 0xE0);
            return es;
        });
        assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSPECIFIED);
        assertThat(e.getMessage()).contains("drops");
    }

    @Test
    void anAnswerAddingTheFloorControlSessionIsRefused() {
        MikeyException e = refusedAtInitiator(false, es -> {
            es.add(GenericIdEntry.withoutSessionData(0xB0, ProtType.KMSCONF_TLS_PSK, List.of(0xB0))
                    .withSpi(es.get(0).spi()));
            return es;
        });
        assertThat(e.getMessage()).contains("adds crypto session 176");
    }

    @Test
    void anAnswerWithAnotherSpiIsRefused() {
        MikeyException e = refusedAtInitiator(true, es -> {
            es.replaceAll(x -> x.csId() == 0xB0 ? x.withSpi(new byte[] {9, 9, 9, 9}) : x);
            return es;
        });
        assertThat(e.getMessage()).contains("SPI is not the TGK's");
    }

    @Test
    void anAnswerNamingAnSrtpPolicyForANonMediaSessionIsInvalidSp() {
        MikeyException e = refusedAtInitiator(true, es -> {
            es.replaceAll(x -> x.csId() == 0xE0 ? x.withPolicy(0) : x);
            return es;
        });
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SP);
    }

    @Test
    void anAnswerSwappingTheProtTypesIsInvalidSp() {
        MikeyException e = refusedAtInitiator(true, es -> {
            es.replaceAll(x -> x.csId() == 0xE0 ? new GenericIdEntry(0xE0, ProtType.KMSCONF_TLS_PSK.value(), false,
                    x.policyNos(), new byte[0], x.spi()) : x);
            return es;
        });
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SP);
    }

    @Test
    void specsAreImmutableAndTheFactoryFollowsTheFloorControlOption() {
        assertThat(TransferInitiator.Spec.conferenceLeg(ALICE, FOCUS7, List.of(Ssrc.of(1)), true).nonMediaSessions())
                .isEqualTo(EnumSet.allOf(NonMediaSession.class));
        assertThat(TransferInitiator.Spec.conferenceLeg(ALICE, FOCUS7, List.of(Ssrc.of(1)), false).nonMediaSessions())
                .isEqualTo(Set.of(NonMediaSession.EVENT_PACKAGE_KEK));
        assertThat(new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(1))).nonMediaSessions()).isEmpty();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 10; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
