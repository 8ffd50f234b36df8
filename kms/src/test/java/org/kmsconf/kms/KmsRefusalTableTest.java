package org.kmsconf.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.KmsRefusal;
import org.kmsconf.mikey.exchange.Profile;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketRequest;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.KeyValidity;
import org.kmsconf.mikey.payload.TicketFlag;

/**
 * The table of KMS refusals in docs/kms.md is the code's: every {@link KmsRefusal} constant has exactly one row, with
 * its MIKEY error number, and no row names anything else; docs/profile.md agrees on the factory → focus case. Then
 * refusals are driven through a real KMS over HTTP: each answer carries the table's error number, and the KMS counts it
 * under that refusal's name (so the name in the audit and the metrics is the one the table documents).
 */
class KmsRefusalTableTest {
    static final Path KMS_MD = Path.of("..", "docs", "kms.md");
    static final Path PROFILE_MD = Path.of("..", "docs", "profile.md");
    static final String ALICE = "sip:alice@operator";
    static final String BOB = "sip:bob@operator";
    static final String CAROL = "sip:carol@operator";
    static final String FACTORY = "sip:factory.conference1@operator";

    @Test
    void theDocumentedTableIsTheCodesList() throws Exception {
        String doc = Files.readString(KMS_MD, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\| ([^|]+) \\|").matcher(doc);
        Map<String, String> rows = new LinkedHashMap<>();
        while (m.find()) {
            assertThat(rows.put(m.group(1), m.group(2).strip())).as("one row per refusal: " + m.group(1)).isNull();
        }
        assertThat(rows.keySet()).containsExactly(java.util.Arrays.stream(KmsRefusal.values()).map(Enum::name)
                .toArray(String[]::new));
        for (KmsRefusal r : KmsRefusal.values()) {
            String code = rows.get(r.name());
            if (r.code() == null) {
                assertThat(code).as(r.name()).contains("decoder");
            } else {
                assertThat(code).as(r.name()).startsWith(r.code().value() + " ");
            }
        }
        // docs/profile.md: a focus URI outside the factory's rule is no identity of the conference system: 7
        String profile = Files.readString(PROFILE_MD, StandardCharsets.UTF_8);
        Matcher focus = Pattern.compile("(?m)^\\| factory → focus: resolver URI not matching the factory's rule[^|]*\\|"
                + " ([0-9]+) ").matcher(profile);
        assertThat(focus.find()).isTrue();
        assertThat(Integer.parseInt(focus.group(1))).isEqualTo(KmsRefusal.IDENTITY_NOT_USERS.code().value());
    }

    @Test
    void refusalsThroughARealKms() throws Exception {
        try (KmsServer kms = KmsServer.start(KmsConfig.inMemory().replayPerUser(8).build())) {
            KmsAdmin admin = kms.admin();
            ProvisionedKey aliceKey = admin.addUser(NewUser.of("alice", ALICE).canCreateConferences(true));
            Ua alice = new Ua(aliceKey, ALICE);
            ProvisionedKey bobKey = admin.addUser(NewUser.of("bob", BOB));
            Ua bob = new Ua(bobKey, BOB);
            Ua carol = new Ua(admin.addUser(NewUser.of("carol", CAROL)), CAROL);
            ProvisionedKey confsys = admin.addUser(NewUser.of("confsys", FACTORY));
            admin.addFactory(FACTORY);
            admin.addUser(NewUser.of("dave", "sip:dave@operator"));
            Ua erin = new Ua(admin.addUser(NewUser.of("erin", "sip:erin@operator")), "sip:erin@operator");
            admin.deny(CAROL, "sip:dave@operator");
            admin.addUser(NewUser.of("mallory", "sip:mallory@operator"));
            admin.disableUser("mallory");
            KmsClient c = KmsClient.builder().address(kms.uri()).build();
            String id = kms.kmsIdentity();
            Drive d = new Drive(kms, c);

            d.expect(KmsRefusal.MALFORMED, false, () -> new byte[] {1, 11, 0, 0});
            TicketGrant forBob = alice.requestTicket(c, id, BOB);
            byte[] transferInit = alice.transferInit(forBob, BOB).message();
            d.expect(KmsRefusal.NOT_FOR_KMS, false, () -> transferInit);
            d.expect(KmsRefusal.OTHER_KMS, false, () -> alice.ticketRequest("sip:other.kms", BOB).message());
            Ua lateAlice = alice.withClock(aliceKey, Clock.offset(Clock.systemUTC(),
                    Duration.ofSeconds(-400)));
            d.expect(KmsRefusal.OUTSIDE_SKEW, false, () -> lateAlice.ticketRequest(id, BOB).message());
            byte[] once = alice.ticketRequest(id, BOB).message();
            assertThat(KmsClient.errorCodeOf(c.exchange(once))).isEmpty();
            d.expect(KmsRefusal.REPLAYED, false, () -> once);
            Ua unknown = new Ua(new ProvisionedKey("x", List.of(ALICE), random(8), random(16)), ALICE);
            d.expect(KmsRefusal.UNKNOWN_KEY, false, () -> unknown.ticketRequest(id, BOB).message());
            Ua wrongKey = new Ua(new ProvisionedKey("x", List.of(BOB), bobKey.keyId(), random(16)), BOB);
            d.expect(KmsRefusal.MAC_FAILED, false, () -> wrongKey.ticketRequest(id, ALICE).message());
            Ua bobAsAlice = new Ua(bobKey, ALICE);
            d.expect(KmsRefusal.IDENTITY_NOT_USERS, true, () -> bobAsAlice.ticketRequest(id, CAROL).message());
            // a focus URI outside the factory's rule, resolved by the conference system: not its identity (7)
            TicketGrant create = alice.requestTicket(c, id, FACTORY, BOB);
            Ua conf = new Ua(confsys, FACTORY);
            d.expect(KmsRefusal.IDENTITY_NOT_USERS, true, () -> conf.resolveInit(
                    alice.transferInit(create, FACTORY).message(), "sip:room9.conference1@operator", id).resolveInit());
            d.expect(KmsRefusal.NO_KEY_FORKING, true, () -> TicketRequest.create(new TicketRequest.Spec(ALICE, id,
                    alice.keyId, List.of(BOB), AlgorithmSet.SET_128, null, null, without(TicketFlag.I)),
                    alice.psk, alice.ctx).message());
            d.expect(KmsRefusal.TEMPLATE_UNSUPPORTED, true, () -> TicketRequest.create(
                    TicketRequest.Spec.conferencing(ALICE, id, alice.keyId, List.of(BOB), AlgorithmSet.SET_128),
                    List.of(new KeyData(KeyDataType.TEK, new byte[16], null, new KeyValidity.Null())), alice.psk,
                    alice.ctx).message());
            d.expect(KmsRefusal.RECIPIENT_NOT_PROVISIONED, true,
                    () -> alice.ticketRequest(id, "sip:nobody@operator").message());
            d.expect(KmsRefusal.SESSION_DENIED, true, () -> carol.ticketRequest(id, "sip:dave@operator").message());
            d.expect(KmsRefusal.RECIPIENT_DISABLED, true, () -> alice.ticketRequest(id, "sip:mallory@operator")
                    .message());
            d.expect(KmsRefusal.NO_CONFERENCE_RIGHT, true, () -> bob.ticketRequest(id, FACTORY).message());
            d.expect(KmsRefusal.RESOLVER_NOT_RECIPIENT, true, () -> erin.resolveInit(transferInit,
                    "sip:erin@operator", id).resolveInit());
            admin.disableUser("carol");
            d.expect(KmsRefusal.USER_DISABLED, true, () -> carol.ticketRequest(id, BOB).message());
            // alice's partition holds 8 messages at most: once full she is refused, bob is still served
            for (int i = 0; i < 8 && KmsClient.errorCodeOf(c.exchange(alice.ticketRequest(id, BOB).message()))
                    .isEmpty(); i++) {
                // fills alice's partition
            }
            d.expect(KmsRefusal.REPLAY_STATE_FULL, true, () -> alice.ticketRequest(id, BOB).message());
            assertThat(KmsClient.errorCodeOf(c.exchange(bob.ticketRequest(id, ALICE).message()))).isEmpty();
            assertThat(d.driven).hasSizeGreaterThanOrEqualTo(17);
        }
    }

    private static Set<TicketFlag> without(TicketFlag f) {
        Set<TicketFlag> s = EnumSet.copyOf(Profile.FLAGS);
        s.remove(f);
        return s;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** Sends a message and checks the refusal's error number and that the KMS counted it under its name. */
    private static final class Drive {
        final KmsServer kms;
        final KmsClient client;
        final Set<KmsRefusal> driven = EnumSet.noneOf(KmsRefusal.class);

        Drive(KmsServer kms, KmsClient client) {
            this.kms = kms;
            this.client = client;
        }

        void expect(KmsRefusal r, boolean authenticated, Supplier<byte[]> message) {
            double before = kms.metrics().refusals(r.name(), authenticated);
            byte[] answer = client.exchange(message.get());
            ErrorCode code = KmsClient.errorCodeOf(answer).orElseThrow(
                    () -> new AssertionError(r + ": expected a refusal, the KMS answered"));
            if (r.code() != null) {
                assertThat(code).as(r.name()).isEqualTo(r.code());
            }
            assertThat(kms.metrics().refusals(r.name(), authenticated)).as(r.name() + " counted").isEqualTo(before + 1);
            driven.add(r);
        }
    }
}
