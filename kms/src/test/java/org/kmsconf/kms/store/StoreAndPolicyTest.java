package org.kmsconf.kms.store;

import org.kmsconf.kms.TestStores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmsconf.kms.KmsAdmin;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kms.policy.Decision;
import org.kmsconf.kms.KmsPolicy;
import org.kmsconf.mikey.ErrorCode;

class StoreAndPolicyTest {
    static final String ALICE = "sip:alice@operator";
    static final String BOB = "sip:bob@operator";
    static final String FACTORY = "sip:factory.conference1@operator";
    static final String FOCUS7 = "sip:focus7.conference1@operator";

    KmsStore store;
    KmsAdmin admin;
    KmsPolicy policy;

    @BeforeEach
    void open() {
        store = TestStores.open(KmsConfig.inMemory().build(), false);
        admin = new KmsAdmin(store);
        policy = KmsPolicy.of(store, true);
        admin.addUser(NewUser.of("alice", ALICE).canCreateConferences(true));
        admin.addUser(NewUser.of("bob", BOB));
        admin.addUser(NewUser.of("confsys", FACTORY));
        admin.addFactory(FACTORY);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void keysAreStoredSealedNeverInClear() throws Exception {
        ProvisionedKey carol = admin.addUser(NewUser.of("carol", "sip:carol@operator").pskBits(256));
        assertThat(carol.psk()).hasSize(32);
        try (Connection c = store.database().connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sealed_key FROM user_psk WHERE user_id = 'carol'")) {
            rs.next();
            String sealed = rs.getString(1);
            assertThat(sealed).doesNotContainIgnoringCase(carol.pskHex());
            assertThat(java.util.Base64.getDecoder().decode(sealed)).hasSize(12 + 32 + 16);
        }
        UserPsk opened = store.users().activePskByKeyId(carol.keyId()).orElseThrow();
        assertThat(opened.key()).containsExactly(carol.psk());
        assertThat(opened.toString()).doesNotContain(carol.pskHex());
        assertThat(carol.toString()).doesNotContain(carol.pskHex());
    }

    @Test
    void importedKeyAndKeyIdAreKeptAndRotationRetiresTheOldKey() {
        byte[] psk = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] keyId = {(byte) 0xca, (byte) 0xfe};
        ProvisionedKey d = admin.addUser(NewUser.of("dave", "sip:dave@operator").importedPsk(psk).keyId(keyId));
        assertThat(store.users().activePskByKeyId(keyId).orElseThrow().key()).containsExactly(psk);
        ProvisionedKey rotated = admin.rotateKey("dave", 256, null);
        assertThat(store.users().activePskByKeyId(keyId)).isEmpty();
        assertThat(store.users().activePskByKeyId(rotated.keyId()).orElseThrow().key()).containsExactly(rotated.psk());
        assertThat(store.users().activePskOfUser("dave").orElseThrow().keyIdHex()).isEqualTo(rotated.keyIdHex());
        assertThat(d.keyIdHex()).isEqualTo("cafe");
    }

    @Test
    void badProvisioningInputIsRefusedWithAClearMessageAndLeavesNothingBehind() {
        assertThatThrownBy(() -> admin.addUser(NewUser.of("eve", BOB))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("public identity " + BOB + " already belongs to user bob");
        assertThat(store.users().find("eve")).isEmpty();
        assertThatThrownBy(() -> admin.addUser(NewUser.of("alice", "sip:other@operator")))
                .hasMessage("user alice already exists");
        assertThatThrownBy(() -> admin.addUser(NewUser.of("x y", "sip:x@operator"))).hasMessageContaining("invalid user id");
        assertThatThrownBy(() -> admin.addUser(NewUser.of("x", "not a uri"))).hasMessageContaining("invalid public identity");
        assertThatThrownBy(() -> admin.addUser(NewUser.of("x", "sip:x@o").importedPsk(new byte[20])))
                .hasMessageContaining("128 or 256 bits");
        assertThatThrownBy(() -> admin.addFactory("sip:factory.nobody@operator"))
                .hasMessageContaining("is not a public identity of any user");
    }

    @Test
    void focusUrisOfAFactoryBelongToTheConferenceSystemUser() {
        assertThat(policy.ownerOf(FOCUS7)).contains("confsys");
        assertThat(policy.ownerOf("sip:focus7.conference2@operator")).isEmpty();
        admin.addFactory(FACTORY, null, List.of("sip:room-a@operator"));
        assertThat(policy.ownerOf("sip:room-a@operator")).contains("confsys");
        assertThat(policy.ownerOf(FOCUS7)).isEmpty(); // the explicit list replaced the default rule
    }

    @Test
    void requestPolicy() {
        assertThat(policy.mayRequest("alice", ALICE, List.of(FACTORY, BOB)).allowed()).isTrue();
        assertThat(policy.mayRequest("bob", BOB, List.of(FOCUS7)).allowed()).isTrue();
        expect(policy.mayRequest("bob", ALICE, List.of(FOCUS7)), ErrorCode.INVALID_ID, "IDRi sip:alice@operator is not an identity of user bob");
        expect(policy.mayRequest("bob", BOB, List.of(FACTORY)), ErrorCode.AUTH_FAILURE, "may not create conferences");
        expect(policy.mayRequest("alice", ALICE, List.of("sip:nobody@operator")), ErrorCode.INVALID_ID, "not a provisioned identity");
        admin.deny("sip:alice@*", BOB);
        expect(policy.mayRequest("alice", ALICE, List.of(FACTORY, BOB)), ErrorCode.AUTH_FAILURE, "policy denies");
        admin.disableUser("bob");
        expect(policy.mayRequest("bob", BOB, List.of(FOCUS7)), ErrorCode.AUTH_FAILURE, "disabled");
    }

    @Test
    void resolvePolicy() {
        List<String> ticket = List.of(FACTORY, BOB);
        assertThat(policy.mayResolve("confsys", FOCUS7, ALICE, ticket).allowed()).isTrue();
        assertThat(policy.mayResolve("bob", BOB, ALICE, ticket).allowed()).isTrue();
        expect(policy.mayResolve("confsys", "sip:focus7.conference2@operator", ALICE, ticket), ErrorCode.INVALID_ID,
                "not an identity of user confsys");
        expect(policy.mayResolve("bob", BOB, ALICE, List.of(FOCUS7)), ErrorCode.AUTH_FAILURE, "not a recipient");
        expect(policy.mayResolve("bob", ALICE, ALICE, ticket), ErrorCode.INVALID_ID, "not an identity of user bob");
        admin.setCanCreateConferences("alice", false);
        expect(policy.mayResolve("confsys", FOCUS7, ALICE, ticket), ErrorCode.AUTH_FAILURE, "may not create conferences");
    }

    @Test
    void namingTheFocusUriBesideItsFactoryDoesNotSkipTheCreateRight() {
        // bob may not create conferences; his ticket names the factory and (having guessed it) the focus URI too
        List<String> ticket = List.of(FACTORY, FOCUS7, ALICE);
        expect(policy.mayResolve("confsys", FOCUS7, BOB, ticket), ErrorCode.AUTH_FAILURE, "may not create conferences");
        // naming only the focus URI (a join ticket) is a plain recipient: the conference system decides there
        assertThat(policy.mayResolve("confsys", FOCUS7, BOB, List.of(FOCUS7)).allowed()).isTrue();
        // 64-bit conference numbers (20 digits) are focus URIs of the default rule
        String big = "sip:focus18446744073709551615.conference1@operator";
        assertThat(policy.mayResolve("confsys", big, ALICE, List.of(FACTORY)).allowed()).isTrue();
    }

    @Test
    void firstMatchingRuleWinsAndDefaultAppliesOtherwise() {
        admin.allow(ALICE, BOB);
        admin.deny("*", BOB);
        assertThat(policy.sessionAllowed(ALICE, BOB)).isTrue();
        assertThat(policy.sessionAllowed("sip:carol@operator", BOB)).isFalse();
        assertThat(policy.sessionAllowed("sip:carol@operator", ALICE)).isTrue();
        assertThat(KmsPolicy.of(store, false).sessionAllowed("sip:carol@operator", ALICE)).isFalse();
        assertThat(admin.rules()).extracting(r -> r.action().name()).containsExactly("ALLOW", "DENY");
    }

    @Test
    void replayGuardRefusesTheSecondInsertOfAKey() {
        DbReplayGuard g = new DbReplayGuard(store.database(), java.time.Clock.systemUTC());
        java.time.Instant expiry = java.time.Instant.now().plusSeconds(300);
        assertThat(g.firstSeen("k1", expiry)).isTrue();
        assertThat(g.firstSeen("k1", expiry)).isFalse();
        assertThat(g.firstSeen("k2", expiry)).isTrue();
    }

    @Test
    void adminChangesAreAuditedWithoutKeys() {
        ProvisionedKey k = admin.addUser(NewUser.of("zed", "sip:zed@operator"));
        var recent = store.audit().recent(20);
        assertThat(recent).anySatisfy(r -> {
            assertThat(r.event()).isEqualTo("ADMIN");
            assertThat(r.userId()).isEqualTo("zed");
        });
        assertThat(recent).allSatisfy(r -> assertThat(r.toLogLine()).doesNotContain(k.pskHex()));
    }

    @Test
    void wrongMasterKeyIsRefusedAtOpen() {
        KmsConfig cfg = KmsConfig.inMemory().build();
        TestStores.open(cfg, false).close();
        // in-memory DB with DB_CLOSE_DELAY=-1 survives; open it again under another key
        KmsConfig other = cfg.toBuilder().masterKeyHex("11".repeat(32)).build();
        assertThatThrownBy(() -> TestStores.open(other, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("master key does not match");
    }

    static void expect(Decision d, ErrorCode code, String reasonPart) {
        assertThat(d.allowed()).isFalse();
        assertThat(d.errorCode()).isEqualTo(code);
        assertThat(d.reason()).contains(reasonPart);
    }
}
