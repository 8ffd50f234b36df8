package org.kmsconf.kms.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketRequest;
import org.kmsconf.mikey.exchange.TransferInitiator;
import org.kmsconf.mikey.exchange.TransferResponder;
import org.kmsconf.mikey.exchange.TransferResponse;
import org.kmsconf.mikey.exchange.TransferResult;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.KeyValidity;

/**
 * The KMS against a client written from RFC 6043 alone ({@link Rfc6043Client}), over HTTP: requests and resolves
 * without IDRpsk (the key found from IDRi / IDRr, the current one after a rotation), and ticket requests whose TP
 * carries KEMAC key-data templates (AES-128 TGK; AES-256 TGK with a salt), each answer verified byte for byte
 * (V over answer and request, KEMAC decrypted, forked TGK' recomputed); templates the KMS cannot honour get the RFC's
 * error 15. And our own user agents still work end to end with a ticket whose keys came from a template.
 */
class Rfc6043InteropTest {
    static final String ALICE = "sip:alice@operator";
    static final String BOB = "sip:bob@operator";
    static KmsServer kms;
    static KmsClient client;
    static String kmsId;

    @BeforeAll
    static void start() {
        kms = KmsServer.start(KmsConfig.inMemory().build());
        client = KmsClient.builder().address(kms.uri()).build();
        kmsId = kms.kmsIdentity();
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    static ProvisionedKey user(String name, String uri, int bits) {
        return kms.admin().addUser(NewUser.of(name, uri).pskBits(bits));
    }

    @Test
    void requestWithoutIdrpskIsServedWithTheCurrentKeyOfIdri() {
        ProvisionedKey old = user("carol", "sip:carol@operator", 128);
        user("dave", "sip:dave@operator", 128);
        ProvisionedKey current = kms.admin().rotateKey("carol", 128, null); // two keys now; the old one inactive
        Rfc6043Client withCurrent = new Rfc6043Client(0, current.psk());
        Rfc6043Client.Sent s = withCurrent.requestInit("sip:carol@operator", kmsId, "sip:dave@operator", List.of());
        Rfc6043Client.Answer a = withCurrent.check(s, client.exchange(s.bytes()), Rfc6043Client.REQUEST_RESP);
        // default keys without templates: MPKi, MPKr, one 128-bit TGK
        assertThat(a.keys()).extracting(Rfc6043Client.Key::type)
                .containsExactly(Rfc6043Client.MPK, Rfc6043Client.MPK, Rfc6043Client.TGK);
        assertThat(a.keys().get(2).key()).hasSize(16);

        Rfc6043Client withOld = new Rfc6043Client(0, old.psk());
        Rfc6043Client.Sent stale = withOld.requestInit("sip:carol@operator", kmsId, "sip:dave@operator", List.of());
        assertThat(Rfc6043Client.errorNumber(client.exchange(stale.bytes()))).isEqualTo(0); // Auth failure
        // an identity nobody owns: Auth failure, like an unknown IDRpsk
        Rfc6043Client.Sent nobody = withCurrent.requestInit("sip:nobody@operator", kmsId, "sip:dave@operator",
                List.of());
        assertThat(Rfc6043Client.errorNumber(client.exchange(nobody.bytes()))).isEqualTo(0);
    }

    @Test
    void aes128TgkTemplateIsFilledAndResolvedWithoutIdrpsk() {
        ProvisionedKey e = user("erin", "sip:erin@operator", 128);
        ProvisionedKey f = user("frank", "sip:frank@operator", 128);
        Rfc6043Client erin = new Rfc6043Client(0, e.psk());
        byte[] spi = {0x0a, 0x0b, 0x0c, 0x0d};
        Rfc6043Client.Sent s = erin.requestInit("sip:erin@operator", kmsId, "sip:frank@operator",
                List.of(new Rfc6043Client.Template(Rfc6043Client.TGK, 16, 0, spi)));
        Rfc6043Client.Answer a = erin.check(s, client.exchange(s.bytes()), Rfc6043Client.REQUEST_RESP);
        Rfc6043Client.Key tgk = a.keys().get(2);
        assertThat(tgk.type()).isEqualTo(Rfc6043Client.TGK);
        assertThat(tgk.key()).hasSize(16).isNotEqualTo(new byte[16]);
        assertThat(tgk.spi()).isEqualTo(spi); // the requester's SPI is kept
        assertThat(grantedPolicyHasNoKemac(a.body(Rfc6043Client.P_TICKET))).isTrue();

        resolveIndependently(new Rfc6043Client(0, f.psk()), erin, a, "sip:frank@operator", tgk);
    }

    @Test
    void aes256TgkWithSaltTemplateIsFilledAndResolvedWithoutIdrpsk() {
        ProvisionedKey g = user("grace", "sip:grace@operator", 256);
        ProvisionedKey h = user("heidi", "sip:heidi@operator", 256);
        Rfc6043Client grace = new Rfc6043Client(1, g.psk());
        Rfc6043Client.Sent s = grace.requestInit("sip:grace@operator", kmsId, "sip:heidi@operator",
                List.of(new Rfc6043Client.Template(Rfc6043Client.TGK_SALT, 32, 14, null)));
        Rfc6043Client.Answer a = grace.check(s, client.exchange(s.bytes()), Rfc6043Client.REQUEST_RESP);
        assertThat(a.keys()).hasSize(3);
        assertThat(a.keys().get(0).key()).hasSize(32); // MPKi of the 256-bit set
        Rfc6043Client.Key tgk = a.keys().get(2);
        assertThat(tgk.type()).isEqualTo(Rfc6043Client.TGK_SALT);
        assertThat(tgk.key()).hasSize(32);
        assertThat(tgk.salt()).hasSize(14).isNotEqualTo(new byte[14]);
        assertThat(tgk.spi()).hasSize(4); // KV Null in the template: the KMS names the key

        Rfc6043Client.Key forked = resolveIndependently(new Rfc6043Client(1, h.psk()), grace, a,
                "sip:heidi@operator", tgk);
        assertThat(forked.salt()).isEqualTo(tgk.salt()); // the salt is carried, not forked
    }

    /**
     * RESOLVE_INIT_PSK without IDRpsk, the ticket completed with Initiator Data as RFC 6043 §6.10 says; the answer's
     * MPKi must equal the initiator's and MPKr' / TGK' must be the forks of MPKr / TGK with (IDRr, RANDRkms).
     */
    private static Rfc6043Client.Key resolveIndependently(Rfc6043Client resolver, Rfc6043Client initiator,
            Rfc6043Client.Answer issued, String resolverUri, Rfc6043Client.Key tgk) {
        byte[] ticket = initiator.withInitiatorData(issued.body(Rfc6043Client.P_TICKET), issued.keys().get(1).key());
        Rfc6043Client.Sent r = resolver.resolveInit(resolverUri, kmsId, Arrays.copyOfRange(ticket, 1, ticket.length));
        Rfc6043Client.Answer ra = resolver.check(r, client.exchange(r.bytes()), Rfc6043Client.RESOLVE_RESP);
        byte[] randRkms = null;
        for (Object[] p : ra.payloads()) {
            byte[] b = (byte[]) p[1];
            if ((int) p[0] == Rfc6043Client.P_RANDR && b[1] == 3) {
                randRkms = Arrays.copyOfRange(b, 3, b.length);
            }
        }
        assertThat(randRkms).isNotNull();
        byte[] id = Rfc6043Client.utf8(resolverUri);
        assertThat(ra.keys().get(0).key()).isEqualTo(issued.keys().get(0).key()); // MPKi
        assertThat(ra.keys().get(1).key()).isEqualTo(
                resolver.fork(Rfc6043Client.C_FORK_MPKR, issued.keys().get(1).key(), id, randRkms));
        Rfc6043Client.Key forked = ra.keys().get(2);
        assertThat(forked.type()).isEqualTo(tgk.type());
        assertThat(forked.key()).isEqualTo(resolver.fork(Rfc6043Client.C_FORK_TGK, tgk.key(), id, randRkms));
        assertThat(forked.spi()).isEqualTo(tgk.spi());
        return forked;
    }

    @Test
    void templatesTheKmsCannotHonourAreInvalidTppar() {
        ProvisionedKey i = user("ivan", "sip:ivan@operator", 128);
        user("judy", "sip:judy@operator", 128);
        Rfc6043Client ivan = new Rfc6043Client(0, i.psk());
        for (List<Rfc6043Client.Template> t : List.of(
                List.of(new Rfc6043Client.Template(Rfc6043Client.TEK, 16, 0, null)),              // a group key
                List.of(new Rfc6043Client.Template(Rfc6043Client.TGK, 32, 0, null)),              // 256 bit, 128 set
                List.of(new Rfc6043Client.Template(Rfc6043Client.TGK, 16, 0, null),
                        new Rfc6043Client.Template(Rfc6043Client.TGK, 16, 0, null)),              // two TGKs
                List.of(new Rfc6043Client.Template(Rfc6043Client.TGK, 8, 0, null)))) {            // 64-bit key
            Rfc6043Client.Sent s = ivan.requestInit("sip:ivan@operator", kmsId, "sip:judy@operator", t);
            assertThat(Rfc6043Client.errorNumber(client.exchange(s.bytes()))).as(t.toString()).isEqualTo(15);
        }
    }

    /** Our own UE (TicketRequest with a TGK+SALT template) and responder still derive equal SRTP keys. */
    @Test
    void ourUserAgentsWorkWithATicketWhoseKeysCameFromATemplate() {
        ProvisionedKey k = user("ken", "sip:ken@operator", 256);
        ProvisionedKey l = user("lea", "sip:lea@operator", 256);
        PartyContext ken = PartyContext.system();
        PartyContext lea = PartyContext.system();
        KeyMaterial kenPsk = KeyMaterial.of(k.psk());
        KeyMaterial leaPsk = KeyMaterial.of(l.psk());
        TicketRequest tr = TicketRequest.create(TicketRequest.Spec.conferencing("sip:ken@operator", kmsId, k.keyId(),
                List.of("sip:lea@operator"), AlgorithmSet.SET_256),
                List.of(new KeyData(KeyDataType.TGK_SALT, new byte[32], new byte[14], new KeyValidity.Null())),
                kenPsk, ken);
        TicketGrant grant = tr.processResponse(client.exchangeOrThrow(tr.message()));
        assertThat(grant.tgk().length()).isEqualTo(32);
        TransferInitiator ti = TransferInitiator.create(grant,
                new TransferInitiator.Spec("sip:ken@operator", "sip:lea@operator", List.of(Ssrc.of(0x2222))), ken);
        TransferResponder resp = TransferResponder.receive(ti.message(), lea);
        resp.processResolveResponse(client.exchangeOrThrow(resp.resolveInit("sip:lea@operator", kmsId, l.keyId(),
                leaPsk)));
        TransferResponse answer = resp.respond(List.of(Ssrc.of(0x3333)));
        TransferResult atKen = ti.processResponse(answer.message());
        TransferResult atLea = answer.result();
        assertThat(atKen.allKeys().keySet()).isEqualTo(atLea.allKeys().keySet()).isNotEmpty();
        atKen.allKeys().forEach((cs, keys) -> assertThat(keys.sameKeysAs(atLea.keys(cs))).as("CS " + cs).isTrue());
    }

    /** The granted TP (inside the TICKET) carries no KEMAC: RFC 6043 §6.10, templates are for requests only. */
    private static boolean grantedPolicyHasNoKemac(byte[] ticketBody) {
        int tpLen = Rfc6043Client.u16(ticketBody, 8);
        byte[] tpData = Arrays.copyOfRange(ticketBody, 10, 10 + tpLen);
        int next = tpData[0] & 0xff;
        int at = 1;
        while (next != 0) {
            if (next == Rfc6043Client.P_KEMAC) {
                return false;
            }
            int type = next;
            next = tpData[at] & 0xff;
            at += switch (type) {
                case Rfc6043Client.P_IDR -> 5 + Rfc6043Client.u16(tpData, at + 3);
                case 13 -> 3 + (tpData[at + 2] == 2 ? 4 : 8); // TR: next, role, TS type, value
                default -> throw new AssertionError("unexpected TP payload " + type);
            };
        }
        return true;
    }
}
