package org.kmsconf.mikey.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kmsconf.mikey.exchange.Fixture.ALICE;
import static org.kmsconf.mikey.exchange.Fixture.BOB;
import static org.kmsconf.mikey.exchange.Fixture.KMS;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.EmptyMap;
import org.kmsconf.mikey.message.GenericIdMap;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.Randr;

/** Each message of the profile has the payload order of RFC 6043 §5 with every optional IDR present. */
class MessageShapeTest {
    private final Fixture f = new Fixture();

    private static List<String> shape(byte[] bytes) {
        MikeyMessage m = MikeyCodec.decode(bytes);
        return m.payloads().stream().map(MessageShapeTest::name).toList();
    }

    private static String name(Payload p) {
        if (p instanceof Idr i) {
            return i.role().name();
        }
        if (p instanceof Randr r) {
            return r.role().name();
        }
        return p.type().name();
    }

    @Test
    void everyMessageHasTheRfc6043PayloadOrderAndHeaderRules() {
        TicketRequest req = TicketRequest.create(TicketRequest.Spec.conferencing(ALICE, KMS, f.pskIds.get(ALICE),
                List.of(BOB), AlgorithmSet.SET_128), f.psks.get(ALICE), f.context());
        MikeyMessage ri = MikeyCodec.decode(req.message());
        assertThat(ri.dataType()).isEqualTo(DataType.REQUEST_INIT_PSK);
        assertThat(ri.header().vFlag()).isTrue();
        assertThat(ri.header().csIdMap()).isEqualTo(EmptyMap.NONE);
        assertThat(shape(req.message())).containsExactly("T", "RANDRi", "IDRi", "IDRkms", "TP", "IDRpsk", "V");

        byte[] rr = f.kms.handle(req.message()).response();
        assertThat(MikeyCodec.decode(rr).dataType()).isEqualTo(DataType.REQUEST_RESP);
        assertThat(MikeyCodec.decode(rr).header().vFlag()).isFalse();
        assertThat(shape(rr)).containsExactly("T", "IDRkms", "TICKET", "KEMAC", "V");
        TicketGrant grant = req.processResponse(rr);

        TransferInitiator ti = TransferInitiator.create(grant, new TransferInitiator.Spec(ALICE, BOB,
                List.of(Ssrc.of(1), Ssrc.of(3))), f.context());
        assertThat(shape(ti.message())).containsExactly("T", "RANDRi", "IDRi", "IDRr", "SP", "TICKET", "V");
        GenericIdMap map = (GenericIdMap) MikeyCodec.decode(ti.message()).header().csIdMap();
        assertThat(map.entries()).extracting(e -> e.csId()).containsExactly(1, 2, 3, 4); // two per audio m-line
        assertThat(map.entries().get(0).ssrc()).contains(Ssrc.of(1));
        assertThat(map.entries().get(2).ssrc()).contains(Ssrc.of(3));

        TransferResponder bob = TransferResponder.receive(ti.message(), f.context());
        byte[] resInit = bob.resolveInit(BOB, KMS, f.pskIds.get(BOB), f.psks.get(BOB));
        MikeyMessage rsi = MikeyCodec.decode(resInit);
        assertThat(rsi.dataType()).isEqualTo(DataType.RESOLVE_INIT_PSK);
        assertThat(rsi.header().vFlag()).isTrue();
        assertThat(rsi.header().csIdMap()).isEqualTo(EmptyMap.NONE);
        assertThat(shape(resInit)).containsExactly("T", "RANDRr", "IDRr", "IDRkms", "TICKET", "IDRpsk", "V");

        byte[] resResp = f.kms.handle(resInit).response();
        assertThat(shape(resResp)).containsExactly("T", "IDRkms", "KEMAC", "IDRr", "RANDRkms", "V");
        bob.processResolveResponse(resResp);

        byte[] tr = bob.respond(List.of(Ssrc.of(2), Ssrc.of(4))).message();
        assertThat(shape(tr)).containsExactly("T", "RANDRr", "IDRr", "RANDRkms", "SP", "V");
        MikeyMessage trm = MikeyCodec.decode(tr);
        // RFC 6043 §5.2: IDRr and RANDRkms exactly as received in RESOLVE_RESP.
        MikeyMessage rsr = MikeyCodec.decode(resResp);
        assertThat(trm.idr(IdRole.IDRr)).isEqualTo(rsr.idr(IdRole.IDRr));
        assertThat(trm.randr(RandRole.RANDRkms)).isEqualTo(rsr.randr(RandRole.RANDRkms));
        // RANDRr of TRANSFER_RESP is fresh, not the one sent to the KMS.
        assertThat(trm.randr(RandRole.RANDRr)).isNotEqualTo(rsi.randr(RandRole.RANDRr));
        assertThat(ti.processResponse(tr).ssrc(4)).isEqualTo(Ssrc.of(4));
    }
}
