package org.kmsconf.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.kms.store.KmsStore;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketRequest;

/**
 * RFC 3830 §5.4 across a crash: a REQUEST_INIT and a RESOLVE_INIT answered by a KMS process that is then killed with
 * SIGKILL right after the answer are refused as replays (Invalid TS) by the restarted KMS, within the skew window,
 * on the embedded H2 store (replay journal) and on PostgreSQL (replay_guard rows committed before the answer).
 */
class ReplayAfterRestartTest {
    static final String ALICE = "sip:alice@operator";
    static final String BOB = "sip:bob@operator";
    static final String KMS = KmsConfig.DEFAULT_KMS_IDENTITY;

    @TempDir
    Path dir;

    @Test
    void messagesAnsweredBeforeSigkillAreReplaysAfterTheRestartOnH2() throws Exception {
        ProvisionedKey a;
        ProvisionedKey b;
        try (KmsStore s = TestStores.open(KmsConfig.builder().dataDir(dir).build(), true)) {
            a = new KmsAdmin(s).addUser(NewUser.of("alice", ALICE));
            b = new KmsAdmin(s).addUser(NewUser.of("bob", BOB));
        }
        replayAcrossSigkill(a, b, List.of("--data-dir", dir.toString()));
    }

    @Test
    @Tag("external")
    void messagesAnsweredBeforeSigkillAreReplaysAfterTheRestartOnPostgres() throws Exception {
        onPostgres(List.of());
    }

    /** One PostgreSQL node without the shared guard: the journal in the data directory remembers. */
    @Test
    @Tag("external")
    void messagesAnsweredBeforeSigkillAreReplaysAfterTheRestartOnPostgresWithoutTheSharedGuard() throws Exception {
        onPostgres(List.of("--shared-replay=false"));
    }

    private void onPostgres(List<String> extra) throws Exception {
        String schema = Postgres.newSchema();
        byte[] mk = new byte[32];
        new java.security.SecureRandom().nextBytes(mk);
        String mkHex = HexFormat.of().formatHex(mk);
        try {
            ProvisionedKey a;
            ProvisionedKey b;
            try (KmsStore s = TestStores.open(Postgres.config(schema, mkHex).build(), true)) {
                a = new KmsAdmin(s).addUser(NewUser.of("alice", ALICE));
                b = new KmsAdmin(s).addUser(NewUser.of("bob", BOB));
            }
            java.nio.file.Files.writeString(dir.resolve("master.key"), mkHex + "\n");
            List<String> opts = new ArrayList<>(List.of("--data-dir", dir.toString(), "--jdbc-url", Postgres.URL,
                    "--jdbc-user", Postgres.USER, "--db-schema", schema));
            opts.addAll(extra);
            replayAcrossSigkill(a, b, opts);
        } finally {
            Postgres.dropSchema(schema);
        }
    }

    private void replayAcrossSigkill(ProvisionedKey aliceKey, ProvisionedKey bobKey, List<String> store)
            throws Exception {
        Ua alice = new Ua(aliceKey, ALICE);
        Ua bob = new Ua(bobKey, BOB);
        byte[] request;
        byte[] resolve;
        Process kms = start(store);
        try {
            KmsClient client = KmsClient.builder().address(DurabilityTest.awaitUri(kms)).build();
            TicketGrant g = alice.requestTicket(client, KMS, BOB);
            byte[] ti = alice.transferInit(g, BOB).message();
            resolve = bob.resolveInit(ti, BOB, KMS).resolveInit();
            request = alice.ticketRequest(KMS, BOB).message();
            assertThat(KmsClient.errorCodeOf(client.exchange(resolve))).isEmpty();
            // the last answer, then SIGKILL at once: nothing orderly happens after it
            assertThat(KmsClient.errorCodeOf(client.exchange(request))).isEmpty();
            kms.destroyForcibly();
            kms.waitFor(10, TimeUnit.SECONDS);
        } finally {
            kms.destroyForcibly();
        }
        Process again = start(store);
        try {
            KmsClient client = KmsClient.builder().address(DurabilityTest.awaitUri(again)).build();
            assertThat(KmsClient.errorCodeOf(client.exchange(request))).as("REQUEST_INIT replayed after restart")
                    .contains(ErrorCode.INVALID_TS);
            assertThat(KmsClient.errorCodeOf(client.exchange(resolve))).as("RESOLVE_INIT replayed after restart")
                    .contains(ErrorCode.INVALID_TS);
            // and fresh messages of the same users still work
            TicketRequest fresh = alice.ticketRequest(KMS, BOB);
            assertThat(KmsClient.errorCodeOf(client.exchange(fresh.message()))).isEmpty();
        } finally {
            again.destroyForcibly();
            again.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process start(List<String> store) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                org.kmsconf.kms.cli.KmsMain.class.getName(), "serve", "--listen", "127.0.0.1:0"));
        cmd.addAll(store);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        return pb.start();
    }
}
