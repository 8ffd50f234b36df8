package org.kmsconf.mikey.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kmsconf.mikey.exchange.Fixture.ALICE;
import static org.kmsconf.mikey.exchange.Fixture.BOB;
import static org.kmsconf.mikey.exchange.Fixture.CAROL;
import static org.kmsconf.mikey.exchange.Fixture.FACTORY;
import static org.kmsconf.mikey.exchange.Fixture.FOCUS7;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.GenericIdMap;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.TicketFlag;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.ticket.InitiatorData;

/** The whole mode-1 exchange with forking in memory: REQUEST -> TRANSFER_INIT -> RESOLVE -> TRANSFER_RESP. */
class TicketExchangeTest {

    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void initiatorAndResolvingResponderDeriveIdenticalKeysWhileAnotherResolverGetsOthers(AlgorithmSet set) {
        Fixture f = new Fixture();
        TicketGrant grant = f.ticket(ALICE, set, BOB, CAROL);
        assertThat(grant.ticket().policy().flags()).isEqualTo(Profile.FLAGS);
        assertThat(grant.responders()).containsExactly(BOB, CAROL);

        TransferInitiator alice = TransferInitiator.create(grant,
                new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(0x11111111))), f.context());
        byte[] transferInit = alice.message();
        MikeyMessage ti = MikeyCodec.decode(transferInit);
        assertThat(ti.dataType()).isEqualTo(DataType.TRANSFER_INIT);
        assertThat(ti.header().vFlag()).isTrue(); // V = F
        assertThat(((GenericIdMap) ti.header().csIdMap()).entries()).hasSize(2);
        for (var e : ((GenericIdMap) ti.header().csIdMap()).entries()) {
            assertThat(e.spi()).isEqualTo(grant.tgkSpi()); // CS SPI = SPI of the TGK key data
        }
        InitiatorData id = InitiatorData.decode(ti.first(TicketPayload.class).orElseThrow().initiatorData());
        assertThat(id.vi()).isEqualTo(ti.last()); // Vi = copy of the TRANSFER_INIT V

        TransferResponder bob = f.resolve(transferInit, BOB, BOB, f.context());
        assertThat(bob.initiator()).isEqualTo(ALICE);
        assertThat(bob.ticketResponders()).containsExactly(BOB, CAROL);
        TransferResponse resp = bob.respond(List.of(Ssrc.of(0x22222222)));
        MikeyMessage tr = MikeyCodec.decode(resp.message());
        assertThat(tr.header().vFlag()).isFalse(); // responses: V = 0
        assertThat(tr.header().csbId()).isEqualTo(ti.header().csbId());
        for (var e : ((GenericIdMap) tr.header().csIdMap()).entries()) {
            assertThat(e.policyNos()).hasSize(1);
            assertThat(e.spi()).isEqualTo(grant.tgkSpi());
        }
        TransferResult atAlice = alice.processResponse(resp.message());
        TransferResult atBob = resp.result();

        assertThat(atAlice.responderUri()).isEqualTo(BOB);
        assertThat(atAlice.responderNamedInTicket()).isTrue();
        for (int cs : List.of(1, 2)) {
            assertThat(atAlice.keys(cs).sameKeysAs(atBob.keys(cs))).as("CS %d", cs).isTrue();
            assertThat(atAlice.keys(cs).masterKey()).hasSize(set.keyBytes());
            assertThat(atAlice.keys(cs).masterSalt()).hasSize(14);
        }
        assertThat(atAlice.keys(1).sameKeysAs(atAlice.keys(2))).isFalse();
        assertThat(atAlice.ssrc(1)).isEqualTo(Ssrc.of(0x11111111));
        assertThat(atAlice.keys(1).policy()).isEqualTo(set.defaultSrtpPolicy());
        assertThat(atAlice.ssrc(2)).isEqualTo(Ssrc.of(0x22222222));

        // Carol, also a recipient of the ticket, resolves the same TRANSFER_INIT: her forked keys differ.
        TransferResponder carol = f.resolve(transferInit, CAROL, CAROL, f.context());
        TransferResult atCarol = carol.respond(List.of(Ssrc.of(0x22222222))).result();
        for (int cs : List.of(1, 2)) {
            assertThat(atCarol.keys(cs).sameKeysAs(atAlice.keys(cs))).as("CS %d", cs).isFalse();
        }
        assertThat(atAlice.toString()).doesNotContain(
                java.util.HexFormat.of().formatHex(atAlice.keys(1).masterKey()));
    }

    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void factoryResolvesAsTheFocusUriItAllocated(AlgorithmSet set) {
        Fixture f = new Fixture();
        TicketGrant grant = f.ticket(ALICE, set, FACTORY, BOB);
        TransferInitiator alice = TransferInitiator.create(grant,
                new TransferInitiator.Spec(ALICE, FACTORY, List.of(Ssrc.of(0x0a0a0a0a))), f.context());
        TransferResponder factory = f.resolve(alice.message(), FOCUS7, FACTORY, f.context());
        assertThat(factory.addressedResponder()).isEqualTo(FACTORY);
        TransferResponse resp = factory.respond(List.of(Ssrc.of(0x0b0b0b0b)));
        TransferResult atAlice = alice.processResponse(resp.message());
        assertThat(atAlice.responderUri()).isEqualTo(FOCUS7);
        assertThat(atAlice.responderNamedInTicket()).isFalse();
        assertThat(atAlice.keys(1).sameKeysAs(resp.result().keys(1))).isTrue();
        assertThat(atAlice.keys(2).sameKeysAs(resp.result().keys(2))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void anAllowedParticipantCannotComputeTheCreatorFocusMediaKeys(AlgorithmSet set) {
        // TR 33.829 §5.3.3.1.2 editor's note: the creator's ticket names the factory and the allowed participants.
        // With forking, a participant who resolves that ticket gets TGK' bound to its own identity, not the focus's.
        Fixture f = new Fixture();
        TicketGrant grant = f.ticket(ALICE, set, FACTORY, BOB);
        TransferInitiator alice = TransferInitiator.create(grant,
                new TransferInitiator.Spec(ALICE, FACTORY, List.of(Ssrc.of(1))), f.context());
        byte[] transferInit = alice.message();
        TransferResponse focus = f.resolve(transferInit, FOCUS7, FACTORY, f.context()).respond(List.of(Ssrc.of(2)));
        TransferResult creatorFocus = alice.processResponse(focus.message());

        TransferResponder bob = f.resolve(transferInit, BOB, BOB, f.context());
        TransferResponse bobsView = bob.respond(List.of(Ssrc.of(2)));
        for (int cs : List.of(1, 2)) {
            SrtpKeys bobs = bobsView.result().keys(cs);
            assertThat(bobs.sameKeysAs(creatorFocus.keys(cs))).as("CS %d", cs).isFalse();
        }
        // Nor can Bob answer as the focus: his TRANSFER_RESP with the focus URI as IDRr fails at the creator,
        // since its MAC key MPKr' is forked for Bob's identity.
        MikeyMessage bobs = MikeyCodec.decode(bobsView.message());
        List<Payload> ps = new ArrayList<>(bobs.payloads());
        ps.replaceAll(p -> p instanceof Idr i && i.role() == IdRole.IDRr ? Idr.uri(IdRole.IDRr, FOCUS7) : p);
        byte[] forged = MikeyCodec.encode(new MikeyMessage(bobs.header(), ps));
        MikeyException e = catchThrowableOfType(MikeyException.class, () -> alice.processResponse(forged));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTH_FAILURE);
        // Bob's own answer, as Bob, is accepted: he is an allowed recipient, and is identified as Bob.
        assertThat(alice.processResponse(bobsView.message()).responderUri()).isEqualTo(BOB);
    }

    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void ticketFlagsAreTheProfiles(AlgorithmSet set) {
        Fixture f = new Fixture();
        TicketGrant grant = f.ticket(ALICE, set, BOB);
        var tp = grant.ticket().policy();
        assertThat(tp.prfFunc()).isEqualTo(set.prf());
        assertThat(tp.flags()).contains(TicketFlag.D, TicketFlag.E, TicketFlag.F, TicketFlag.G, TicketFlag.H,
                TicketFlag.I, TicketFlag.J).doesNotContain(TicketFlag.K, TicketFlag.L, TicketFlag.M);
    }
}
