package org.kmsconf.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.kms.audit.AuditRecord;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketRequest;
import org.kmsconf.mikey.exchange.TransferInitiator;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.payload.Verification;

/**
 * Two KMS nodes on one database: a message answered by one node and replayed to the other is refused (Invalid TS,
 * no V, as a local replay) by the database replay guard, although the second node's in-memory cache never saw it;
 * the protocol asks the guard before granting, so the refused copy leaves only its audit record behind. H2 (shared in-memory
 * database) in every run; PostgreSQL in the external run.
 */
class SharedReplayTest {
    static final String ALICE = "sip:alice@operator";
    static final String BOB = "sip:bob@operator";

    @TempDir
    Path dir;

    @Test
    void replayAcrossTwoNodesOnH2IsRefused() {
        String url = "jdbc:h2:mem:shared-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        KmsConfig cfg = KmsConfig.inMemory().jdbcUrl(url).sharedReplay(true).build();
        replayAcrossTwoNodes(cfg, dir);
    }

    @Test
    void withoutTheSharedGuardTheOtherNodeWouldAcceptTheCopy() {
        String url = "jdbc:h2:mem:shared-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        KmsConfig cfg = KmsConfig.inMemory().jdbcUrl(url).sharedReplay(false).build();
        try (KmsServer a = KmsServer.start(cfg.toBuilder().nodeName("a").build());
                KmsServer b = KmsServer.start(cfg.toBuilder().nodeName("b").build())) {
            Ua alice = new Ua(a.admin().addUser(NewUser.of("alice", ALICE)), ALICE);
            a.admin().addUser(NewUser.of("bob", BOB));
            TicketRequest tr = alice.ticketRequest(a.kmsIdentity(), BOB);
            byte[] first = KmsClient.builder().address(a.uri()).build().exchange(tr.message());
            byte[] copy = KmsClient.builder().address(b.uri()).build().exchange(tr.message());
            assertThat(KmsClient.errorCodeOf(first)).isEmpty();
            assertThat(KmsClient.errorCodeOf(copy)).isEmpty(); // the gap the shared guard closes
        }
    }

    @Test
    @Tag("external")
    void replayAcrossTwoNodesOnPostgresIsRefused() throws Exception {
        String schema = Postgres.newSchema();
        try {
            replayAcrossTwoNodes(Postgres.config(schema, "3c".repeat(32)).build(), dir);
        } finally {
            Postgres.dropSchema(schema);
        }
    }

    /** Two nodes on the store {@code cfg} names, each with a data directory of its own under {@code dir}. */
    static void replayAcrossTwoNodes(KmsConfig cfg, Path dir) {
        assertThat(cfg.effectiveSharedReplay()).isTrue();
        try (KmsServer a = KmsServer.start(cfg.toBuilder().nodeName("node-a").dataDir(dir.resolve("a")).build());
                KmsServer b = KmsServer.start(cfg.toBuilder().nodeName("node-b").dataDir(dir.resolve("b")).build())) {
            KmsClient toA = KmsClient.builder().address(a.uri()).build();
            KmsClient toB = KmsClient.builder().address(b.uri()).build();
            Ua alice = new Ua(a.admin().addUser(NewUser.of("alice", ALICE)), ALICE);
            Ua bob = new Ua(b.admin().addUser(NewUser.of("bob", BOB)), BOB);

            // REQUEST_INIT answered by node A, replayed to node B
            TicketRequest tr = alice.ticketRequest(a.kmsIdentity(), BOB);
            TicketGrant grant = tr.processResponse(toA.exchange(tr.message()));
            a.store().audit().flush(); // node A's ISSUED record is written before the refusal's
            assertThat(rows(b, "replay_guard")).isEqualTo(1);
            byte[] refusal = toB.exchange(tr.message());
            assertThat(KmsClient.errorCodeOf(refusal)).contains(ErrorCode.INVALID_TS);
            assertThat(MikeyCodec.decode(refusal).first(Verification.class)).isEmpty();
            b.store().audit().flush();
            AuditRecord r = b.store().audit().recent(1).get(0);
            assertThat(r.event()).isEqualTo("REQUEST");
            assertThat(r.outcome()).isEqualTo("REFUSED");
            assertThat(r.reason()).contains("replayed");
            // nothing else stored: one guard row, one ticket issued in all
            assertThat(rows(b, "replay_guard")).isEqualTo(1);
            assertThat(b.store().audit().recent(50)).filteredOn(x -> x.outcome().equals("ISSUED")).hasSize(1);

            // RESOLVE_INIT answered by node B (the ticket from node A resolves there), replayed to node A
            TransferInitiator ti = alice.transferInit(grant, BOB);
            Ua.Resolving res = bob.resolveInit(ti.message(), BOB, b.kmsIdentity());
            res.responder().processResolveResponse(toB.exchange(res.resolveInit()));
            b.store().audit().flush(); // node B's RESOLVED record is written before the refusal's
            assertThat(KmsClient.errorCodeOf(toA.exchange(res.resolveInit()))).contains(ErrorCode.INVALID_TS);
            a.store().audit().flush();
            AuditRecord rr = a.store().audit().recent(1).get(0);
            assertThat(rr.event()).isEqualTo("RESOLVE");
            assertThat(rr.outcome()).isEqualTo("REFUSED");
            assertThat(rr.reason()).contains("replayed");
            assertThat(rows(a, "replay_guard")).isEqualTo(2);
            assertThat(a.store().audit().recent(50)).filteredOn(x -> x.outcome().equals("RESOLVED")).hasSize(1);
        }
    }

    private static int rows(KmsServer node, String table) {
        try (Connection c = node.store().database().connection();
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
