package org.kmsconf.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.kms.audit.AuditRecord;
import org.kmsconf.kms.cli.KmsProcess;
import org.kmsconf.kms.crypto.OwnerOnlyFiles;
import org.kmsconf.kms.store.KmsStore;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.exchange.TicketRequest;

/**
 * Several {@code kms serve} processes on one PostgreSQL database, the way an operator runs them: a node killed with
 * SIGKILL under load (clients fail over, no answered operation is lost, none is granted twice, the node rejoins), the
 * database stopped and started again (503 with a MIKEY error meanwhile, recovery without help), and a request
 * replayed to another node (refused).
 */
@Tag("external")
class MultiNodeTest {
    static final String ALICE = DurabilityTest.ALICE;
    static final String BOB = DurabilityTest.BOB;

    @TempDir
    Path dir;

    /** Users alice and bob in a fresh store on {@code url}; the master key in a file the nodes share. */
    private ProvisionedKey[] provision(String url, String schema, Path keyFile) throws Exception {
        byte[] mk = new byte[32];
        new java.security.SecureRandom().nextBytes(mk);
        String mkHex = HexFormat.of().formatHex(mk);
        Files.write(keyFile, mkHex.getBytes(), java.nio.file.StandardOpenOption.CREATE_NEW);
        Files.setPosixFilePermissions(keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        KmsConfig.Builder b = KmsConfig.inMemory().jdbcUrl(url).jdbcUser(Postgres.USER).masterKeyHex(mkHex);
        if (schema != null) {
            b.dbSchema(schema);
        }
        try (KmsStore s = TestStores.open(b.build(), true)) {
            return new ProvisionedKey[] {new KmsAdmin(s).addUser(NewUser.of("alice", ALICE)),
                new KmsAdmin(s).addUser(NewUser.of("bob", BOB))};
        }
    }

    private List<String> node(String url, String schema, Path keyFile, int n, String listen) throws Exception {
        Path data = dir.resolve("node" + n);
        OwnerOnlyFiles.createDirectories(data);
        List<String> a = new ArrayList<>(List.of("--jdbc-url", url, "--jdbc-user", Postgres.USER, "--data-dir",
                data.toString(), "--master-key-file", keyFile.toString(), "--listen", listen));
        if (schema != null) {
            a.addAll(List.of("--db-schema", schema));
        }
        return a;
    }

    @Test
    void sigkillOfOneNodeUnderLoadLosesNothingGrantsNothingTwiceAndTheNodeRejoins() throws Exception {
        String schema = Postgres.newSchema();
        Path keyFile = dir.resolve("master.key");
        List<KmsProcess> nodes = new ArrayList<>();
        try {
            ProvisionedKey[] keys = provision(Postgres.URL, schema, keyFile);
            for (int n = 0; n < 3; n++) {
                nodes.add(KmsProcess.start(List.of("-Xmx256m"), node(Postgres.URL, schema, keyFile, n,
                        "127.0.0.1:0")));
            }
            List<URI> uris = nodes.stream().map(KmsProcess::uri).toList();
            Ua alice = new Ua(keys[0], ALICE);
            KmsClient client = KmsClient.builder().addresses(uris).requestTimeout(Duration.ofSeconds(10)).build();

            // a REQUEST granted by one node is a replay on every other, and so is a RESOLVE
            TicketRequest once = alice.ticketRequest(KmsConfig.DEFAULT_KMS_IDENTITY, BOB);
            byte[] msg = once.message();
            byte[] firstTi = alice.transferInit(once.processResponse(KmsClient.builder().address(uris.get(1)).build()
                    .exchange(msg)), BOB).message();
            byte[] resolve = new Ua(keys[1], BOB).resolveInit(firstTi, BOB, KmsConfig.DEFAULT_KMS_IDENTITY)
                    .resolveInit();
            assertThat(KmsClient.errorCodeOf(KmsClient.builder().address(uris.get(2)).build().exchange(resolve)))
                    .isEmpty();
            for (URI other : List.of(uris.get(0), uris.get(2))) {
                assertThat(KmsClient.errorCodeOf(KmsClient.builder().address(other).build().exchange(msg)))
                        .contains(ErrorCode.INVALID_TS);
            }
            for (URI other : List.of(uris.get(0), uris.get(1))) {
                assertThat(KmsClient.errorCodeOf(KmsClient.builder().address(other).build().exchange(resolve)))
                        .contains(ErrorCode.INVALID_TS);
            }

            List<byte[]> tickets = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger refusedAfterFailover = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> load = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        Ua.Sent sent = alice.send(client, BOB);
                        if (sent.answer() == null) {
                            failures.incrementAndGet();
                            continue;
                        }
                        if (KmsClient.errorCodeOf(sent.answer()).isPresent()) {
                            // the killed node took the message (its replay row is in) but died before answering:
                            // the retry on another node is that very message, refused as a replay
                            refusedAfterFailover.incrementAndGet();
                            continue;
                        }
                        tickets.add(alice.transferInit(sent.request().processResponse(sent.answer()), BOB).message());
                    }
                });
                t.start();
                load.add(t);
            }
            awaitAtLeast(tickets, 50);
            int port0 = nodes.get(0).uri().getPort();
            nodes.get(0).kill();
            int atKill = tickets.size();
            awaitAtLeast(tickets, atKill + 50);
            // the node comes back on its address and serves again
            nodes.set(0, KmsProcess.start(List.of("-Xmx256m"), node(Postgres.URL, schema, keyFile, 0,
                    "127.0.0.1:" + port0)));
            new Ua(keys[0], ALICE).requestTicket(KmsClient.builder().address(nodes.get(0).uri()).build(), KmsConfig.DEFAULT_KMS_IDENTITY, BOB);
            awaitAtLeast(tickets, tickets.size() + 50);
            stop.set(true);
            for (Thread t : load) {
                t.join(30_000);
            }

            assertThat(failures.get()).as("exchanges no node answered").isZero();
            assertThat(refusedAfterFailover.get()).as("messages in flight at the kill").isLessThanOrEqualTo(4);
            Ua bob = new Ua(keys[1], BOB);
            for (byte[] ti : tickets) {
                Ua.Resolving res = bob.resolveInit(ti, BOB, KmsConfig.DEFAULT_KMS_IDENTITY);
                res.responder().processResolveResponse(client.exchange(res.resolveInit()));
            }
            for (KmsProcess p : nodes) {
                p.close();
            }
            try (KmsStore s = TestStores.open(Postgres.config(schema, Files.readString(keyFile)).build(), false)) {
                long issued = s.audit().recent(1_000_000).stream().filter(r -> r.outcome().equals("ISSUED")).count();
                // one per answered REQUEST (the first one above too); at most one more per message in flight
                assertThat(issued).isBetween(tickets.size() + 1L, tickets.size() + 1L + 4);
            }
        } finally {
            for (KmsProcess p : nodes) {
                p.kill();
            }
            Postgres.dropSchema(schema);
        }
    }

    @Test
    void whileTheDatabaseIsDownNodesAnswer503WithAMikeyErrorAndRecoverByThemselves() throws Exception {
        try (ThrowawayPostgres pg = ThrowawayPostgres.start()) {
            Path keyFile = dir.resolve("master.key");
            ProvisionedKey[] keys = provision(pg.url(), null, keyFile);
            List<KmsProcess> nodes = new ArrayList<>();
            try {
                for (int n = 0; n < 2; n++) {
                    nodes.add(KmsProcess.start(List.of("-Xmx256m"), node(pg.url(), null, keyFile, n, "127.0.0.1:0")));
                }
                Ua alice = new Ua(keys[0], ALICE);
                for (KmsProcess p : nodes) {
                    alice.requestTicket(KmsClient.builder().address(p.uri()).build(), KmsConfig.DEFAULT_KMS_IDENTITY, BOB);
                }
                pg.stopServer();
                HttpClient http = HttpClient.newHttpClient();
                for (KmsProcess p : nodes) {
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(p.uri().resolve("/kms"))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/mikey")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(alice.ticketRequest(KmsConfig.DEFAULT_KMS_IDENTITY, BOB).message()))
                            .build(), HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(r.statusCode()).isEqualTo(503);
                    assertThat(r.headers().firstValue("Content-Type")).contains("application/mikey");
                    assertThat(KmsClient.errorCodeOf(r.body())).contains(ErrorCode.UNSPECIFIED);
                    assertThat(http.send(HttpRequest.newBuilder(p.uri().resolve("/health")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
                }
                pg.startServer();
                for (KmsProcess p : nodes) {
                    KmsClient c = KmsClient.builder().address(p.uri()).build();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (true) {
                        try {
                            alice.requestTicket(c, KmsConfig.DEFAULT_KMS_IDENTITY, BOB);
                            break;
                        } catch (RuntimeException e) {
                            assertThat(System.nanoTime()).as("node recovered within 60 s: " + e.getMessage())
                                    .isLessThan(deadline);
                            Thread.sleep(500);
                        }
                    }
                }
            } finally {
                for (KmsProcess p : nodes) {
                    p.kill();
                }
            }
        }
    }

    private static void awaitAtLeast(List<byte[]> tickets, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (tickets.size() < n) {
            assertThat(System.nanoTime()).as("answered requests: " + tickets.size() + " of " + n).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
