package org.kmsconf.kms.store;

import org.kmsconf.kms.TestStores;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.kmsconf.kms.KmsAdmin;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.Postgres;
import org.kmsconf.kms.ProvisionedKey;

/** The store on PostgreSQL, two nodes sharing one schema. */
@Tag("external")
class PostgresStoreTest {
    final String schema = Postgres.newSchema();
    final String masterKey = "5a".repeat(32);

    @AfterEach
    void drop() throws Exception {
        Postgres.dropSchema(schema);
    }

    @Test
    void twoNodesShareUsersKeysPolicyAndTheReplayGuard() {
        KmsConfig cfg = Postgres.config(schema, masterKey).build();
        assertThat(cfg.effectiveSharedReplay()).isTrue();
        try (KmsStore a = TestStores.open(cfg.toBuilder().nodeName("node-a").build(), false);
                KmsStore b = TestStores.open(cfg.toBuilder().nodeName("node-b").build(), false)) {
            assertThat(a.database().isPostgres()).isTrue();
            ProvisionedKey alice = new KmsAdmin(a).addUser(NewUser.of("alice", "sip:alice@operator"));
            new KmsAdmin(a).deny("sip:alice@operator", "sip:eve@operator");
            assertThat(b.users().activePskByKeyId(alice.keyId()).orElseThrow().key()).containsExactly(alice.psk());
            assertThat(b.policy().list()).hasSize(1);
            assertThat(b.ticketKeys().activeKeyIdHex()).isEqualTo(a.ticketKeys().activeKeyIdHex());

            DbReplayGuard ga = new DbReplayGuard(a.database(), Clock.systemUTC());
            DbReplayGuard gb = new DbReplayGuard(b.database(), Clock.systemUTC());
            java.time.Instant expiry = java.time.Instant.now().plus(Duration.ofSeconds(300));
            assertThat(ga.firstSeen("m1", expiry)).isTrue();
            assertThat(gb.firstSeen("m1", expiry)).isFalse();
            assertThat(ga.firstSeen("m1", expiry)).isFalse();

            a.audit().flush();
            assertThat(b.audit().recent(10)).anySatisfy(r -> assertThat(r.reason()).contains("user added"));
        }
    }
}
