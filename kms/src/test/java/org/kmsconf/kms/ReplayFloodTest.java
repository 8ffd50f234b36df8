package org.kmsconf.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.TicketPayload;

/**
 * Authenticated senders cannot take the replay state from others: a conference system made to RESOLVE garbage tickets
 * (a SIP flood) records nothing, and a genuine user flooding valid requests fills only her own partition, while
 * another user's REQUEST and the conference system's legitimate RESOLVE are still served, with a replay state of a few
 * dozen entries in all.
 */
class ReplayFloodTest {
    static final String ALICE = "sip:alice@operator";
    static final String BOB = "sip:bob@operator";
    static final String MALLORY = "sip:mallory@operator";
    static final String FACTORY = "sip:factory.conference1@operator";

    @Test
    void floodsOfAuthenticatedSendersNeverRefuseAnotherUser() throws Exception {
        try (KmsServer kms = KmsServer.start(KmsConfig.inMemory().replayCapacity(40).replayPerUser(30).build())) {
            Ua alice = new Ua(kms.admin().addUser(NewUser.of("alice", ALICE).canCreateConferences(true)), ALICE);
            Ua bob = new Ua(kms.admin().addUser(NewUser.of("bob", BOB)), BOB);
            Ua mallory = new Ua(kms.admin().addUser(NewUser.of("mallory", MALLORY)), MALLORY);
            Ua confsys = new Ua(kms.admin().addUser(NewUser.of("confsys", FACTORY)), FACTORY);
            kms.admin().addFactory(FACTORY);
            KmsClient c = KmsClient.builder().address(kms.uri()).build();
            String id = kms.kmsIdentity();

            // the conference system resolves 200 INVITEs' garbage tickets: authenticated, refused, never recorded
            TicketGrant g = alice.requestTicket(c, id, FACTORY);
            byte[] badTi = altered(alice.transferInit(g, FACTORY).message());
            for (int i = 0; i < 200; i++) {
                byte[] resolve = confsys.resolveInit(badTi, "sip:focus" + i + ".conference1@operator", id)
                        .resolveInit();
                assertThat(KmsClient.errorCodeOf(c.exchange(resolve))).contains(ErrorCode.AUTH_FAILURE);
            }
            // mallory floods valid requests until her partition refuses her
            int granted = 0;
            for (int i = 0; i < 200; i++) {
                if (KmsClient.errorCodeOf(c.exchange(mallory.ticketRequest(id, BOB).message())).isEmpty()) {
                    granted++;
                } else {
                    break;
                }
            }
            assertThat(granted).isLessThan(200);
            assertThat(KmsClient.errorCodeOf(c.exchange(mallory.ticketRequest(id, BOB).message())))
                    .contains(ErrorCode.INVALID_TS);
            // everyone else is served: bob's request, alice's creation ticket and the conference system's resolve
            bob.requestTicket(c, id, ALICE);
            TicketGrant create = alice.requestTicket(c, id, FACTORY);
            Ua.Resolving res = confsys.resolveInit(alice.transferInit(create, FACTORY).message(),
                    "sip:focus7.conference1@operator", id);
            res.responder().processResolveResponse(c.exchangeOrThrow(res.resolveInit()));
            assertThat(kms.service().replayState().size()).isLessThanOrEqualTo(40 + 3);
        }
    }

    /** The TRANSFER_INIT with its ticket's last byte (the ticket's V) changed. */
    static byte[] altered(byte[] transferInit) {
        MikeyMessage m = MikeyCodec.decode(transferInit);
        List<Payload> out = new java.util.ArrayList<>();
        for (Payload p : m.payloads()) {
            if (p instanceof TicketPayload t) {
                byte[] d = t.ticketData();
                d[d.length - 1] ^= 1;
                out.add(new TicketPayload(t.policy(), d, t.initiatorData()));
            } else {
                out.add(p);
            }
        }
        return MikeyCodec.encode(new MikeyMessage(m.header(), out));
    }
}
