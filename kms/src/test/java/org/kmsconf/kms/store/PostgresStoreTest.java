package org.kmsconf.kms.store;

import org.kmsconf.kms.TestStores;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
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
            Instant expiry = Instant.now().plus(Duration.ofSeconds(300));
            assertThat(ga.firstSeen("m1", expiry)).isTrue();
            assertThat(gb.firstSeen("m1", expiry)).isFalse();
            assertThat(ga.firstSeen("m1", expiry)).isFalse();

            a.audit().flush();
            assertThat(b.audit().recent(10)).anySatisfy(r -> assertThat(r.reason()).contains("user added"));
        }
    }

    /**
     * A change made through one node, or in SQL by a session whose search_path does not name the KMS's schema,
     * raises the directory version of that schema (the trigger of migration V4), which every node's cache reads.
     */
    @Test
    void everyChangeMovesTheDirectoryVersionOfItsSchemaWhoeverMakesIt() throws Exception {
        KmsConfig cfg = Postgres.config(schema, masterKey).build();
        try (KmsStore a = TestStores.open(cfg.toBuilder().nodeName("node-a").build(), false);
                KmsStore b = TestStores.open(cfg.toBuilder().nodeName("node-b").build(), false)) {
            new KmsAdmin(a).addUser(NewUser.of("alice", "sip:alice@operator"));
            long before = directoryVersion(b);
            new KmsAdmin(b).disableUser("alice");
            long afterB = directoryVersion(a);
            assertThat(afterB).isGreaterThan(before);
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(Postgres.URL, Postgres.USER, null);
                    java.sql.Statement s = c.createStatement()) {
                assertThat(c.getAutoCommit()).isTrue();
                s.execute("SET search_path TO public");
                s.executeUpdate("UPDATE " + schema + ".kms_user SET enabled = TRUE WHERE user_id = 'alice'");
                s.executeUpdate("DELETE FROM " + schema + ".policy_rule");
            }
            assertThat(directoryVersion(a)).isEqualTo(afterB + 2);
        }
    }

    private static long directoryVersion(KmsStore store) throws Exception {
        try (java.sql.Connection c = store.database().connection(); java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT version FROM directory_version WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Concurrent requests share one insert (group commit), and each key is new exactly once: every key is sent by two
     * threads at once, on two nodes, and exactly one of its four requests is told it is new.
     */
    @Test
    void concurrentRequestsShareInsertsAndEachKeyIsNewExactlyOnce() throws Exception {
        KmsConfig cfg = Postgres.config(schema, masterKey).build();
        try (KmsStore a = TestStores.open(cfg.toBuilder().nodeName("node-a").build(), false);
                KmsStore b = TestStores.open(cfg.toBuilder().nodeName("node-b").build(), false)) {
            DbReplayGuard ga = new DbReplayGuard(a.database(), Clock.systemUTC());
            DbReplayGuard gb = new DbReplayGuard(b.database(), Clock.systemUTC());
            Instant expiry = Instant.now().plus(Duration.ofSeconds(300));
            int keys = 400;
            int threads = 8;
            AtomicIntegerArray firsts = new AtomicIntegerArray(keys);
            CyclicBarrier together = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    DbReplayGuard g = t % 4 < 2 ? ga : gb; // threads 0, 1 on node a; 2, 3 on node b; and so on
                    int offset = (t / 4) * (keys / 2);
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < keys / 2; i++) {
                            int k = offset + i;
                            together.await(10, TimeUnit.SECONDS); // eight requests at once
                            if (g.firstSeen("key-" + k, expiry)) {
                                firsts.incrementAndGet(k);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            for (int k = 0; k < keys; k++) {
                assertThat(firsts.get(k)).as("requests told key-" + k + " is new").isEqualTo(1);
            }
            // 1600 requests, eight at a time: fewer statements than requests, concurrent ones were inserted together
            assertThat(ga.batches() + gb.batches()).isLessThan(2L * keys * 2);
            // and one batch holding the same key twice: new for the first request only
            assertThat(ga.firstSeen("key-0", expiry)).isFalse();
        }
    }
}
