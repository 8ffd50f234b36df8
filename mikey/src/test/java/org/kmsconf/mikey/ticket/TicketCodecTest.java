package org.kmsconf.mikey.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.payload.Bytes;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.PayloadType;
import org.kmsconf.mikey.payload.Rand;
import org.kmsconf.mikey.payload.TicketFlag;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.payload.WireReader;
import org.kmsconf.mikey.payload.WireWriter;

class TicketCodecTest {

    static TicketPolicy policy() {
        return new TicketPolicy(TicketPolicy.MIKEY_BASE_TICKET, 1, 1, PrfFunc.MIKEY_1,
                EnumSet.of(TicketFlag.D, TicketFlag.E, TicketFlag.F, TicketFlag.G, TicketFlag.H, TicketFlag.I,
                        TicketFlag.J),
                List.of(Idr.uri(IdRole.IDRkms, "sip:kms@example.com"), Idr.uri(IdRole.IDRi, "sip:alice@example.com"),
                        Idr.uri(IdRole.IDRr, "sip:bob@example.com")));
    }

    @Test
    void ticketPolicyFlagBytesAreAtTheirRfcPositions() {
        WireWriter w = new WireWriter();
        new TicketPolicy(1, 1, 1, PrfFunc.HMAC_SHA_256, EnumSet.of(TicketFlag.D, TicketFlag.I, TicketFlag.O),
                List.of()).encodeBody(w);
        // type 0001, subtype 01, version 01, PRF 1 << 1 | D, E..L = 0000 1000 (I), M N O = 001 00000, TP Data len 0
        assertThat(Bytes.hex(w.toByteArray())).isEqualTo("00010101" + "03" + "08" + "20" + "0000");
        w = new WireWriter();
        policy().encodeBody(w);
        byte[] b = w.toByteArray();
        assertThat(b[4]).isEqualTo((byte) 0x01);
        assertThat(b[5]).isEqualTo((byte) 0xfc); // D=1 E F G H I J = 1111 1100, K=0 L=0
        assertThat(b[6]).isEqualTo((byte) 0x00); // M=0
        assertThat(b[9]).isEqualTo((byte) 14); // first payload of TP Data: IDR
        assertThat(PayloadType.TP.decodeBody(new WireReader(b))).isEqualTo(policy());
    }

    @Test
    void tpReservedBitsRefused() {
        byte[] b = {0, 1, 1, 1, 0, 0, 0x01, 0, 0};
        MikeyException e = catchThrowableOfType(MikeyException.class, () -> PayloadType.TP.decodeBody(new WireReader(b)));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TPPAR);
        assertThat(e.offset()).isEqualTo(6);
    }

    @Test
    void baseTicketAndInitiatorDataRoundTrip() {
        BaseTicket bt = new BaseTicket(new byte[] {7, 7}, Timestamp.ntpUtc(Instant.parse("2026-01-01T00:00:00Z")),
                new Rand(new byte[16]), new Kemac(EncrAlg.AES_CM_128, new byte[40], MacAlg.NULL, new byte[0]),
                Optional.of(Idr.byteString(IdRole.IDRpsk, new byte[] {1, 2, 3, 4})),
                Verification.unsigned(MacAlg.HMAC_SHA_1_160));
        byte[] td = bt.encode();
        assertThat(td[0]).isEqualTo((byte) 5); // THDR next payload = T
        assertThat(BaseTicket.decode(td)).isEqualTo(bt);
        InitiatorData id = new InitiatorData(new Verification(MacAlg.HMAC_SHA_1_160, new byte[20]),
                Verification.unsigned(MacAlg.HMAC_SHA_1_160));
        byte[] idBytes = id.encode();
        assertThat(idBytes).hasSize(1 + 22 + 22);
        assertThat(idBytes[0]).isEqualTo((byte) 9);
        assertThat(idBytes[1]).isEqualTo((byte) 9); // Vi's Next payload names Vr
        assertThat(idBytes[23]).isEqualTo((byte) 0);
        assertThat(InitiatorData.decode(idBytes)).isEqualTo(id);
        assertThat(id.vrMacInput()).hasSize(idBytes.length - 20);

        TicketPayload tp = new TicketPayload(policy(), td, idBytes);
        WireWriter w = new WireWriter();
        tp.encodeBody(w);
        byte[] full = w.toByteArray();
        byte[] macInput = tp.ticketMacInput(20);
        // excludes Initiator Data length + data (2 + 45 bytes) and the ticket's MAC (20 bytes)
        assertThat(macInput.length).isEqualTo(full.length - 2 - idBytes.length - 20);
        assertThat(java.util.Arrays.copyOf(full, macInput.length)).isEqualTo(macInput);
    }

    @Test
    void baseTicketWithWrongLayoutIsInvalidTicket() {
        BaseTicket bt = new BaseTicket(new byte[0], Timestamp.counter(1), new Rand(new byte[16]),
                new Kemac(EncrAlg.NULL, new byte[0], MacAlg.NULL, new byte[0]), Optional.empty(),
                Verification.unsigned(MacAlg.NULL));
        byte[] td = bt.encode();
        td[0] = 11; // THDR says RAND comes first
        MikeyException e = catchThrowableOfType(MikeyException.class, () -> BaseTicket.decode(td));
        assertThat(e).isNotNull();
    }
}
