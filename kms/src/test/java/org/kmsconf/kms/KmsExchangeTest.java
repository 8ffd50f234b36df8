package org.kmsconf.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconf.kms.audit.AuditRecord;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.kmsclient.KmsException;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketRequest;
import org.kmsconf.mikey.exchange.TransferInitiator;
import org.kmsconf.mikey.exchange.TransferResponse;
import org.kmsconf.mikey.exchange.TransferResult;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.TicketPayload;

/**
 * The KMS through its real HTTP interface on loopback: REQUEST and RESOLVE with the mikey module's initiator and
 * responder, and every refusal the issue lists, each answered with the right MIKEY error and leaving nothing in the
 * store but its audit record.
 */
class KmsExchangeTest {
    static final String ALICE = "sip:alice@operator";
    static final String BOB = "sip:bob@operator";
    static final String CAROL = "sip:carol@operator";
    static final String FACTORY = "sip:factory.conference1@operator";
    static final String FOCUS7 = "sip:focus7.conference1@operator";

    static final MutableClock clock = new MutableClock();
    static KmsServer kms;
    static KmsClient client;
    static String kmsUri;
    static ProvisionedKey aliceKey;
    static ProvisionedKey bobKey;
    static Ua alice;
    static Ua bob;
    static Ua carol;
    static Ua confsys;
    static Ua dave;

    @BeforeAll
    static void start() {
        // every refusal audited in full here (the sampling of unauthenticated refusals has tests of its own)
        kms = KmsServer.start(KmsConfig.inMemory().ticketValidity(Duration.ofHours(1))
                .auditSamplePerSource(1_000_000).auditSamplePerUser(1_000_000).build(), clock);
        kmsUri = kms.kmsIdentity();
        client = KmsClient.builder().address(kms.uri()).build();
        KmsAdmin admin = kms.admin();
        aliceKey = admin.addUser(NewUser.of("alice", ALICE).canCreateConferences(true));
        bobKey = admin.addUser(NewUser.of("bob", BOB));
        ProvisionedKey carolKey = admin.addUser(NewUser.of("carol", CAROL));
        ProvisionedKey confKey = admin.addUser(NewUser.of("confsys", FACTORY).pskBits(256));
        ProvisionedKey daveKey = admin.addUser(NewUser.of("dave", "sip:dave@operator"));
        admin.addFactory(FACTORY);
        alice = new Ua(aliceKey, ALICE, clock);
        bob = new Ua(bobKey, BOB, clock);
        carol = new Ua(carolKey, CAROL, clock);
        confsys = new Ua(confKey, FACTORY, clock);
        dave = new Ua(daveKey, "sip:dave@operator", clock);
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    // ---- the real path ------------------------------------------------------------------------------------------

    @Test
    void ticketIssuedThenResolvedByTheRecipientAndBothEndsDeriveTheSameSrtpKeys() throws Exception {
        TicketGrant grant = alice.requestTicket(client, kmsUri, BOB);
        TransferInitiator ti = alice.transferInit(grant, BOB);
        Ua.Resolving res = bob.resolveInit(ti.message(), BOB, kmsUri);
        res.responder().processResolveResponse(client.exchange(res.resolveInit()));
        TransferResponse answer = res.responder().respond(List.of(Ssrc.of(0x2222)));
        TransferResult mine = ti.processResponse(answer.message());
        assertThat(mine.keys(1).masterKey()).isEqualTo(answer.result().keys(1).masterKey());
        assertThat(mine.keys(2).masterSalt()).isEqualTo(answer.result().keys(2).masterSalt());
        assertThat(mine.responderUri()).isEqualTo(BOB);

        List<AuditRecord> audit = kms.store().audit().recent(5);
        assertThat(audit).anySatisfy(r -> {
            assertThat(r.event()).isEqualTo("RESOLVE");
            assertThat(r.outcome()).isEqualTo("RESOLVED");
            assertThat(r.userId()).isEqualTo("bob");
            assertThat(r.initiator()).isEqualTo(ALICE);
        });
        assertThat(audit).anySatisfy(r -> {
            assertThat(r.event()).isEqualTo("REQUEST");
            assertThat(r.outcome()).isEqualTo("ISSUED");
            assertThat(r.subject()).contains(BOB);
        });
        assertThat(kms.metrics().count("RESOLVE", "RESOLVED")).isPositive();
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(kms.uri().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("kms_requests_total{exchange=\"REQUEST\",outcome=\"ISSUED\"}")
                .contains("kms_requests_total{exchange=\"RESOLVE\",outcome=\"RESOLVED\"}")
                .contains("kms_request_duration_seconds_bucket{exchange=\"RESOLVE\"");
    }

    @Test
    void factoryResolvesTheCreatorsTicketAsTheFocusUriItAllocated() {
        TicketGrant grant = alice.requestTicket(client, kmsUri, FACTORY, BOB);
        TransferInitiator ti = alice.transferInit(grant, FACTORY);
        Ua.Resolving res = confsys.resolveInit(ti.message(), FOCUS7, kmsUri);
        res.responder().processResolveResponse(client.exchange(res.resolveInit()));
        TransferResult mine = ti.processResponse(res.responder().respond(List.of(Ssrc.of(0x3333))).message());
        assertThat(mine.responderUri()).isEqualTo(FOCUS7);
        assertThat(kms.store().audit().recent(3)).anySatisfy(r -> assertThat(r.subject())
                .contains("resolver=" + FOCUS7).contains("via-factory=" + FACTORY));
    }

    @Test
    void participantGetsATicketForTheFocusAndTheFocusResolvesIt() {
        TicketGrant grant = bob.requestTicket(client, kmsUri, FOCUS7);
        TransferInitiator ti = bob.transferInit(grant, FOCUS7);
        Ua.Resolving res = confsys.resolveInit(ti.message(), FOCUS7, kmsUri);
        res.responder().processResolveResponse(client.exchange(res.resolveInit()));
        assertThat(ti.processResponse(res.responder().respond(List.of(Ssrc.of(0x4444))).message()).responderUri())
                .isEqualTo(FOCUS7);
    }

    // ---- refusals -----------------------------------------------------------------------------------------------

    /** Sends {@code message}; expects a MIKEY error with {@code code}, one new REFUSED audit record, nothing else. */
    static AuditRecord expectRefusal(byte[] message, ErrorCode code) throws Exception {
        Map<String, Long> before = snapshot();
        int auditBefore = auditCount();
        byte[] answer = client.exchange(message);
        assertThat(KmsClient.errorCodeOf(answer)).contains(code);
        assertThatThrownBy(() -> client.exchangeOrThrow(message)).isInstanceOfSatisfying(KmsException.class,
                e -> assertThat(e.kind()).isEqualTo(KmsException.Kind.MIKEY_ERROR));
        assertThat(snapshot()).isEqualTo(before);
        assertThat(auditCount()).isEqualTo(auditBefore + 2);
        List<AuditRecord> two = kms.store().audit().recent(2);
        assertThat(two).allSatisfy(x -> assertThat(x.outcome()).isEqualTo("REFUSED"));
        AuditRecord r = two.get(1); // the first of the two sends (the second is refused as a replay or again)
        assertThat(r.errorCode()).isEqualTo(code.value());
        return r;
    }

    @Test
    void wrongPskIsRefusedWithAuthFailure() throws Exception {
        ProvisionedKey forged = new ProvisionedKey("alice", List.of(ALICE), aliceKey.keyId(), new byte[16]);
        TicketRequest tr = new Ua(forged, ALICE, clock).ticketRequest(kmsUri, BOB);
        AuditRecord r = expectRefusal(tr.message(), ErrorCode.AUTH_FAILURE);
        assertThat(r.errorCode()).isEqualTo(ErrorCode.AUTH_FAILURE.value());
        assertThatThrownBy(() -> tr.processResponse(client.exchange(tr.message())))
                .isInstanceOfSatisfying(MikeyException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTH_FAILURE));
    }

    @Test
    void replayedRequestInitIsRefusedWithInvalidTs() throws Exception {
        TicketRequest tr = alice.ticketRequest(kmsUri, BOB);
        tr.processResponse(client.exchange(tr.message()));
        expectRefusal(tr.message(), ErrorCode.INVALID_TS);
    }

    @Test
    void timestampOutsideTheClockSkewIsRefusedWithInvalidTs() throws Exception {
        Clock late = Clock.offset(clock, Duration.ofMinutes(-10));
        TicketRequest tr = alice.withClock(aliceKey, late).ticketRequest(kmsUri, BOB);
        expectRefusal(tr.message(), ErrorCode.INVALID_TS);
    }

    @Test
    void idriThatIsNotTheRequestersIsRefusedWithInvalidId() throws Exception {
        TicketRequest tr = new Ua(bobKey, ALICE, clock).ticketRequest(kmsUri, CAROL);
        AuditRecord r = expectRefusal(tr.message(), ErrorCode.INVALID_ID);
        assertThat(r.userId()).isEqualTo("bob");
        assertThat(r.reason()).contains("not an identity of user bob");
    }

    @Test
    void resolverThatIsNotARecipientIsRefused() throws Exception {
        TicketGrant grant = alice.requestTicket(client, kmsUri, BOB);
        TransferInitiator ti = alice.transferInit(grant, BOB);
        Ua.Resolving res = carol.resolveInit(ti.message(), CAROL, kmsUri);
        AuditRecord r = expectRefusal(res.resolveInit(), ErrorCode.AUTH_FAILURE);
        assertThat(r.reason()).contains("not a recipient");
    }

    @Test
    void expiredTicketIsRefusedWithInvalidTicket() throws Exception {
        // Its own KMS and parties on a clock the test moves forward (replay caches never let a clock go back).
        MutableClock time = new MutableClock();
        try (KmsServer k = KmsServer.start(KmsConfig.inMemory().ticketValidity(Duration.ofHours(1)).build(), time)) {
            ProvisionedKey a = k.admin().addUser(NewUser.of("alice", ALICE));
            ProvisionedKey b = k.admin().addUser(NewUser.of("bob", BOB));
            Ua al = new Ua(a, ALICE, time);
            Ua bo = new Ua(b, BOB, time);
            KmsClient c = KmsClient.builder().address(k.uri()).build();
            TicketGrant grant = al.requestTicket(c, k.kmsIdentity(), BOB); // valid one hour (configuration)
            time.advance(Duration.ofMinutes(61));
            TransferInitiator ti = al.transferInit(grant, BOB); // a fresh TRANSFER_INIT with the old ticket
            byte[] answer = c.exchange(bo.resolveInit(ti.message(), BOB, k.kmsIdentity()).resolveInit());
            assertThat(KmsClient.errorCodeOf(answer)).contains(ErrorCode.INVALID_TICKET);
            AuditRecord r = k.store().audit().recent(1).get(0);
            assertThat(r.outcome()).isEqualTo("REFUSED");
            assertThat(r.reason()).contains("expired");
        }
    }

    @Test
    void ticketWithATamperedMacOrKemacIsRefused() throws Exception {
        TicketGrant grant = alice.requestTicket(client, kmsUri, BOB);
        byte[] ti = alice.transferInit(grant, BOB).message();
        byte[] tampered = withTicket(ti, t -> {
            byte[] data = t.ticketData();
            data[data.length - 1] ^= 0x01; // last byte of the base ticket's V MAC
            return new TicketPayload(t.policy(), data, t.initiatorData());
        });
        AuditRecord r = expectRefusal(bob.resolveInit(tampered, BOB, kmsUri).resolveInit(), ErrorCode.AUTH_FAILURE);
        assertThat(r.reason()).contains("ticket MAC");
        byte[] kemacFlipped = withTicket(ti, t -> {
            byte[] data = t.ticketData();
            data[data.length / 2] ^= 0x40; // inside the encrypted keys
            return new TicketPayload(t.policy(), data, t.initiatorData());
        });
        expectRefusal(bob.resolveInit(kemacFlipped, BOB, kmsUri).resolveInit(), ErrorCode.AUTH_FAILURE);
    }

    @Test
    void ticketFromAnotherKmsIsRefusedWithInvalidTicket() throws Exception {
        // Another KMS with the same identity and the same users, but its own ticket protection key.
        try (KmsServer other = KmsServer.start(KmsConfig.inMemory().build(), clock)) {
            other.admin().addUser(NewUser.of("alice", ALICE).importedPsk(aliceKey.psk()).keyId(aliceKey.keyId()));
            other.admin().addUser(NewUser.of("bob", BOB).importedPsk(bobKey.psk()).keyId(bobKey.keyId()));
            KmsClient otherClient = KmsClient.builder().address(other.uri()).build();
            TicketGrant foreign = alice.requestTicket(otherClient, kmsUri, BOB);
            TransferInitiator ti = alice.transferInit(foreign, BOB);
            AuditRecord r = expectRefusal(bob.resolveInit(ti.message(), BOB, kmsUri).resolveInit(),
                    ErrorCode.INVALID_TICKET);
            assertThat(r.reason()).contains("key this KMS does not hold");
        }
    }

    @Test
    void tamperedInitiatorDataIsRefused() throws Exception {
        TicketGrant grant = alice.requestTicket(client, kmsUri, BOB);
        byte[] ti = alice.transferInit(grant, BOB).message();
        byte[] tampered = withTicket(ti, t -> {
            byte[] id = t.initiatorData();
            id[id.length - 1] ^= 0x01; // Vr MAC
            return t.withInitiatorData(id);
        });
        AuditRecord r = expectRefusal(bob.resolveInit(tampered, BOB, kmsUri).resolveInit(), ErrorCode.AUTH_FAILURE);
        assertThat(r.reason()).contains("Initiator Data");
        byte[] viChanged = withTicket(ti, t -> {
            byte[] id = t.initiatorData();
            id[4] ^= 0x01; // inside Vi: the KMS detects it through Vr
            return t.withInitiatorData(id);
        });
        expectRefusal(bob.resolveInit(viChanged, BOB, kmsUri).resolveInit(), ErrorCode.AUTH_FAILURE);
    }

    @Test
    void focusUriOutsideTheFactoryRuleIsRefused() throws Exception {
        TicketGrant grant = alice.requestTicket(client, kmsUri, FACTORY);
        TransferInitiator ti = alice.transferInit(grant, FACTORY);
        AuditRecord r = expectRefusal(confsys.resolveInit(ti.message(), "sip:focus7.conference2@operator", kmsUri)
                .resolveInit(), ErrorCode.INVALID_ID);
        assertThat(r.userId()).isEqualTo("confsys");
        expectRefusal(confsys.resolveInit(ti.message(), "sip:room7.conference1@operator", kmsUri).resolveInit(),
                ErrorCode.INVALID_ID);
    }

    @Test
    void creatorWithoutTheRightToCreateConferencesIsRefused() throws Exception {
        AuditRecord r = expectRefusal(dave.ticketRequest(kmsUri, FACTORY).message(), ErrorCode.AUTH_FAILURE);
        assertThat(r.reason()).contains("may not create conferences");
        // the right revoked between REQUEST and RESOLVE: the factory's resolve is refused
        ProvisionedKey k = kms.admin().addUser(NewUser.of("erin", "sip:erin@operator").canCreateConferences(true));
        Ua erin = new Ua(k, "sip:erin@operator", clock);
        TransferInitiator ti = erin.transferInit(erin.requestTicket(client, kmsUri, FACTORY), FACTORY);
        kms.admin().setCanCreateConferences("erin", false);
        r = expectRefusal(confsys.resolveInit(ti.message(), FOCUS7, kmsUri).resolveInit(), ErrorCode.AUTH_FAILURE);
        assertThat(r.reason()).contains("may not create conferences");
    }

    @Test
    void sessionDeniedByPolicyAndDisabledUsersAreRefused() throws Exception {
        var rule = kms.admin().deny(CAROL, BOB);
        try {
            expectRefusal(carol.ticketRequest(kmsUri, BOB).message(), ErrorCode.AUTH_FAILURE);
        } finally {
            kms.admin().removeRule(rule.id());
        }
        kms.admin().disableUser("dave");
        try {
            expectRefusal(dave.ticketRequest(kmsUri, BOB).message(), ErrorCode.AUTH_FAILURE);
        } finally {
            kms.admin().enableUser("dave");
        }
    }

    @Test
    void garbageIs400WhenNotMikeyAndAMikeyErrorWhenTheHeaderParses() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = kms.uri().resolve("/kms");
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/mikey")
                .POST(HttpRequest.BodyPublishers.ofByteArray("GET / HTTP/1.0\r\n".getBytes())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(400);
        // a valid REQUEST_INIT cut short: the header parses, the payloads do not
        byte[] cut = java.util.Arrays.copyOf(alice.ticketRequest(kmsUri, BOB).message(), 30);
        Map<String, Long> before = snapshot();
        r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/mikey")
                .POST(HttpRequest.BodyPublishers.ofByteArray(cut)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/mikey");
        assertThat(KmsClient.errorCodeOf(r.body())).isPresent();
        assertThat(snapshot()).isEqualTo(before);
        assertThat(kms.store().audit().recent(1).get(0).event()).isEqualTo("MALFORMED");
        assertThatThrownBy(() -> client.exchange(new byte[70 * 1024])).isInstanceOfSatisfying(KmsException.class,
                e -> assertThat(e.httpStatus()).isEqualTo(413));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** TRANSFER_INIT with its TICKET payload replaced (its own MAC is then wrong too, which only the responder sees). */
    static byte[] withTicket(byte[] transferInit, UnaryOperator<TicketPayload> change) {
        MikeyMessage m = MikeyCodec.decode(transferInit);
        List<Payload> ps = new ArrayList<>();
        for (Payload p : m.payloads()) {
            ps.add(p instanceof TicketPayload t ? change.apply(t) : p);
        }
        return MikeyCodec.encode(new MikeyMessage(m.header(), ps));
    }

    /** Row counts of every table but the audit trail. */
    static Map<String, Long> snapshot() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = kms.store().database().connection(); Statement s = c.createStatement()) {
            for (String t : List.of("kms_setting", "kms_user", "public_identity", "user_psk", "ticket_key",
                    "conference_factory", "factory_focus", "policy_rule", "replay_guard")) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + t)) {
                    rs.next();
                    out.put(t, rs.getLong(1));
                }
            }
        }
        return out;
    }

    static int auditCount() throws Exception {
        kms.store().audit().flush();
        try (Connection c = kms.store().database().connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_record")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
