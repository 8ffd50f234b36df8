package org.kmsconf.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.kms.store.KmsStore;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.ErrorCode;

/**
 * The read cache keeps its entries while the store's directory version stays, and a change made beside this process
 * (SQL on the store, as another node or the kms CLI would make it) moves the version and is seen within the TTL, over
 * the real HTTP path.
 */
class DirectoryVersionTest {
    static final String ALICE = "sip:alice@operator";
    static final String BOB = "sip:bob@operator";

    @Test
    void aChangeMadeBesideThisProcessIsSeenWithinTheTtlAndNothingIsReReadWithoutOne() throws Exception {
        Duration ttl = Duration.ofMillis(200);
        try (KmsServer kms = KmsServer.start(KmsConfig.inMemory().cacheTtl(ttl).build())) {
            ProvisionedKey aliceKey = kms.admin().addUser(NewUser.of("alice", ALICE));
            kms.admin().addUser(NewUser.of("bob", BOB));
            Ua alice = new Ua(aliceKey, ALICE);
            KmsClient c = KmsClient.builder().address(kms.uri()).build();
            String id = kms.kmsIdentity();
            assertThat(KmsClient.errorCodeOf(c.exchange(alice.ticketRequest(id, BOB).message()))).isEmpty();

            // five TTLs of requests, no change: the cache reads the version, not what it holds
            long loadsBefore = kms.store().cache().loads();
            long indexLoadsBefore = kms.store().identities().loads();
            long versionReadsBefore = kms.store().cache().versionReads();
            long end = System.nanoTime() + 5 * ttl.toNanos();
            int requests = 0;
            while (System.nanoTime() < end) {
                assertThat(KmsClient.errorCodeOf(c.exchange(alice.ticketRequest(id, BOB).message()))).isEmpty();
                requests++;
                Thread.sleep(20);
            }
            assertThat(requests).isGreaterThan(10);
            assertThat(kms.store().cache().loads() - loadsBefore).isZero();
            assertThat(kms.store().identities().loads() - indexLoadsBefore).isZero();
            assertThat(kms.store().cache().versionReads() - versionReadsBefore).isBetween(3L, 7L);

            // alice is disabled beside the KMS's admin interface: no in-process invalidation, only the version moves
            long version = version(kms.store());
            sql(kms.store(), "UPDATE kms_user SET enabled = FALSE WHERE user_id = 'alice'");
            assertThat(version(kms.store())).isEqualTo(version + 1);
            Thread.sleep(ttl.toMillis() + 50);
            assertThat(KmsClient.errorCodeOf(c.exchange(alice.ticketRequest(id, BOB).message())))
                    .contains(ErrorCode.AUTH_FAILURE);
        }
    }

    /** Every statement changing a table the KMS caches raises the version, in its own transaction. */
    @Test
    void everyChangeToACachedTableRaisesTheVersion() throws Exception {
        try (KmsServer kms = KmsServer.start(KmsConfig.inMemory().build())) {
            kms.admin().addUser(NewUser.of("confsys", "sip:factory@operator"));
            kms.admin().addFactory("sip:factory@operator", null, List.of("sip:focus1@operator"));
            kms.admin().allow("sip:*@operator", "sip:*@operator");
            KmsStore store = kms.store();
            for (String statement : List.of(
                    "UPDATE kms_user SET enabled = enabled",
                    "UPDATE public_identity SET uri = uri",
                    "UPDATE user_psk SET active = active",
                    "UPDATE conference_factory SET focus_rule = focus_rule",
                    "UPDATE factory_focus SET focus_uri = focus_uri",
                    "UPDATE policy_rule SET action = action",
                    "INSERT INTO public_identity (uri, user_id) VALUES ('sip:other@operator', 'confsys')",
                    "DELETE FROM public_identity WHERE uri = 'sip:other@operator'",
                    "DELETE FROM policy_rule")) {
                long before = version(store);
                sql(store, statement);
                assertThat(version(store)).as(statement).isEqualTo(before + 1);
            }
            // in autocommit mode H2 cannot move the version with the change: the change is refused, and says why
            try (Connection c = store.database().connection(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("UPDATE kms_user SET enabled = FALSE"))
                        .hasMessageContaining("inside a transaction");
            }
            assertThat(kms.admin().user("confsys").orElseThrow().enabled()).isTrue();
            // a rolled-back change leaves the version where it was
            long before = version(store);
            try (Connection c = store.database().connection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE kms_user SET enabled = FALSE");
                }
                c.rollback();
            }
            assertThat(version(store)).isEqualTo(before);
        }
    }

    static long version(KmsStore store) throws SQLException {
        try (Connection c = store.database().connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM directory_version WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs {@code statement} in a transaction of its own (H2 refuses these changes in autocommit mode). */
    static void sql(KmsStore store, String statement) throws SQLException {
        try (Connection c = store.database().connection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate(statement);
            }
            c.commit();
        }
    }
}
