package org.kmsconf.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.kms.audit.AuditRecord;
import org.kmsconf.kms.cli.KmsProcess;
import org.kmsconf.kms.store.KmsStore;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.exchange.TicketGrant;

/**
 * SIGKILL of a separate {@code kms serve} on the default store (embedded H2 file) while clients are sending: every
 * REQUEST answered before the kill is a ticket that RESOLVEs after the restart, and every answered operation (REQUEST,
 * RESOLVE, policy refusal) has its audit record in the table after the restart: nothing the KMS answered is lost.
 */
class CrashDurabilityTest {
    static final String ALICE = DurabilityTest.ALICE;
    static final String BOB = DurabilityTest.BOB;
    static final String CAROL = DurabilityTest.CAROL;

    @TempDir
    Path dir;

    @Test
    void answeredRequestsResolveAndEveryAnsweredOperationIsAuditedAfterSigkill() throws Exception {
        List<String> serve = List.of("--data-dir", dir.toString(), "--listen", "127.0.0.1:0");
        List<byte[]> tickets = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger resolvedBefore = new AtomicInteger();
        AtomicInteger refusedBefore = new AtomicInteger();
        ProvisionedKey aliceKey;
        ProvisionedKey bobKey;
        KmsProcess kms = KmsProcess.start(List.of("-Xmx256m"), serve);
        try {
            Path socket = dir.resolve("admin.sock");
            aliceKey = AdminSocket.addUser(socket, "alice", ALICE);
            bobKey = AdminSocket.addUser(socket, "bob", BOB);
            // a user whom policy refuses everything: refusals are answered operations too
            Ua carol = new Ua(AdminSocket.addUser(socket, "carol", CAROL), CAROL);
            AdminSocket.run(socket, "policy", "deny", "--from", CAROL, "--to", "*");
            Ua alice = new Ua(aliceKey, ALICE);
            Ua bob = new Ua(bobKey, BOB);
            KmsClient client = KmsClient.builder().address(kms.uri()).build();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> load = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(() -> {
                    int n = 0;
                    while (!stop.get()) {
                        Ua.Sent sent = alice.send(client, BOB);
                        if (sent.answer() == null) {
                            return; // killed
                        }
                        TicketGrant g = sent.request().processResponse(sent.answer());
                        byte[] ti = alice.transferInit(g, BOB).message();
                        tickets.add(ti);
                        // carol's refusals: a few dozen, within what the audit trail records one by one per user
                        if (n % 16 == 5 && refusedBefore.get() < 60) {
                            Ua.Sent refused = carol.send(client, BOB);
                            if (refused.answer() == null) {
                                return;
                            }
                            assertThat(KmsClient.errorCodeOf(refused.answer())).isPresent();
                            refusedBefore.incrementAndGet();
                        }
                        if (n++ % 4 == 0) {
                            Ua.Resolving res = bob.resolveInit(ti, BOB, KmsConfig.DEFAULT_KMS_IDENTITY);
                            try {
                                res.responder().processResolveResponse(client.exchange(res.resolveInit()));
                            } catch (RuntimeException e) {
                                return; // killed
                            }
                            resolvedBefore.incrementAndGet();
                        }
                    }
                });
                t.start();
                load.add(t);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Thread.sleep(1_500);
            while (tickets.size() < 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            kms.kill(); // SIGKILL while the clients are still sending
            stop.set(true);
            for (Thread t : load) {
                t.join(30_000);
            }
        } finally {
            kms.kill();
        }
        assertThat(tickets).hasSizeGreaterThanOrEqualTo(200);

        KmsProcess again = KmsProcess.start(List.of("-Xmx256m"), serve);
        try {
            KmsClient client = KmsClient.builder().address(again.uri()).build();
            Ua bob = new Ua(bobKey, BOB); // a fresh responder: it has not seen these TRANSFER_INITs
            for (byte[] ti : tickets) {
                Ua.Resolving res = bob.resolveInit(ti, BOB, KmsConfig.DEFAULT_KMS_IDENTITY);
                res.responder().processResolveResponse(client.exchange(res.resolveInit()));
            }
        } finally {
            again.close(); // orderly: its own records reach the table
        }
        try (KmsStore s = TestStores.open(KmsConfig.builder().dataDir(dir).build(), false)) {
            List<AuditRecord> all = s.audit().recent(1_000_000);
            long issued = all.stream().filter(r -> r.outcome().equals("ISSUED")).count();
            long resolved = all.stream().filter(r -> r.outcome().equals("RESOLVED")).count();
            long refused = all.stream().filter(r -> r.outcome().equals("REFUSED") && "carol".equals(r.userId()))
                    .count();
            // a request the KMS recorded but could not answer before it died may add one more record, never fewer
            assertThat(issued).isGreaterThanOrEqualTo(tickets.size());
            assertThat(resolved).isGreaterThanOrEqualTo(resolvedBefore.get() + tickets.size());
            assertThat(refusedBefore.get()).isPositive();
            assertThat(refused).isGreaterThanOrEqualTo(refusedBefore.get());
        }
    }
}
