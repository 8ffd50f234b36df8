package org.kmsconf.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.kms.store.KmsStore;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketRequest;
import org.kmsconf.mikey.exchange.TransferInitiator;

/**
 * The KMS as a separate process on an H2 file: provisioned, loaded with ticket requests, killed with SIGKILL, and
 * restarted on the same file. Every user, key and policy rule committed before the kill is there, and tickets
 * issued before the kill still resolve.
 */
class DurabilityTest {
    static final String ALICE = "sip:alice@operator";
    static final String BOB = "sip:bob@operator";
    static final String CAROL = "sip:carol@operator";

    @TempDir
    Path dir;

    KmsConfig config() {
        return KmsConfig.builder().dataDir(dir).build();
    }

    @Test
    void everythingCommittedSurvivesSigkillAndOldTicketsStillResolve() throws Exception {
        ProvisionedKey aliceKey;
        ProvisionedKey bobKey;
        try (KmsStore s = TestStores.open(config(), true)) {
            aliceKey = new KmsAdmin(s).addUser(NewUser.of("alice", ALICE));
            bobKey = new KmsAdmin(s).addUser(NewUser.of("bob", BOB).pskBits(256));
        }
        Ua alice = new Ua(aliceKey, ALICE);
        Ua bob = new Ua(bobKey, BOB);

        Process kms = startKms();
        List<byte[]> transferInits = Collections.synchronizedList(new ArrayList<>());
        ProvisionedKey carolKey;
        try {
            URI uri = awaitUri(kms);
            // provisioned while the server runs (through its admin socket: the store is locked and has no
            // listener), right before the kill
            carolKey = AdminSocket.addUser(config().effectiveAdminSocket(), "carol", CAROL);
            AdminSocket.run(config().effectiveAdminSocket(), "policy", "deny", "--from", CAROL, "--to", ALICE);
            KmsClient client = KmsClient.builder().address(uri).build();
            String kmsId = KmsConfig.DEFAULT_KMS_IDENTITY;
            AtomicInteger issued = new AtomicInteger();
            List<Thread> load = new ArrayList<>();
            // four concurrent clients for at least 1.5 s and 40 tickets (a cold JVM on a busy machine is slow), 30 s at most
            long start = System.nanoTime();
            long minEnd = start + TimeUnit.MILLISECONDS.toNanos(1500);
            long maxEnd = start + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(() -> {
                    while ((System.nanoTime() < minEnd || issued.get() < 40) && System.nanoTime() < maxEnd) {
                        TicketRequest tr = alice.ticketRequest(kmsId, BOB);
                        TicketGrant g = tr.processResponse(client.exchange(tr.message()));
                        if (issued.incrementAndGet() % 10 == 1) {
                            TransferInitiator ti = alice.transferInit(g, BOB);
                            transferInits.add(ti.message());
                        }
                    }
                });
                t.start();
                load.add(t);
            }
            for (Thread t : load) {
                t.join();
            }
            assertThat(issued.get()).isGreaterThanOrEqualTo(40);
        } finally {
            kms.destroyForcibly(); // SIGKILL: no shutdown hook, no orderly close
            kms.waitFor(10, TimeUnit.SECONDS);
        }

        Process again = startKms();
        try {
            URI uri = awaitUri(again);
            KmsClient client = KmsClient.builder().address(uri).build();
            String kmsId = KmsConfig.DEFAULT_KMS_IDENTITY;
            // tickets issued before the kill resolve after the restart
            for (byte[] ti : transferInits) {
                Ua.Resolving res = bob.resolveInit(ti, BOB, kmsId);
                res.responder().processResolveResponse(client.exchange(res.resolveInit()));
            }
            assertThat(transferInits).isNotEmpty();
            // the user and the policy rule added just before the kill are there
            Ua carol = new Ua(carolKey, CAROL);
            carol.requestTicket(client, kmsId, BOB);
            TicketRequest denied = carol.ticketRequest(kmsId, ALICE);
            assertThat(KmsClient.errorCodeOf(client.exchange(denied.message()))).contains(ErrorCode.AUTH_FAILURE);
            // keys are unchanged: alice's old key still authenticates
            alice.requestTicket(client, kmsId, BOB);
        } finally {
            again.destroyForcibly();
            again.waitFor(10, TimeUnit.SECONDS);
        }
    }

    Process startKms() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                org.kmsconf.kms.cli.KmsMain.class.getName(), "serve", "--data-dir", dir.toString(), "--listen", "127.0.0.1:0");
        pb.redirectErrorStream(true);
        return pb.start();
    }

    /** Reads the process output until the "listening on" line (30 s at most). */
    static URI awaitUri(Process p) throws Exception {
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(10_000);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.offer(line);
                }
            } catch (java.io.IOException e) {
                // process gone
            }
        }, "kms-process-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line == null) {
                if (!p.isAlive()) {
                    break;
                }
                continue;
            }
            seen.append(line).append('\n');
            int at = line.indexOf("listening on ");
            if (at >= 0) {
                String u = line.substring(at + "listening on ".length()).strip();
                return URI.create(u.endsWith("/kms") ? u.substring(0, u.length() - 4) : u);
            }
        }
        throw new AssertionError("KMS process did not start; output:\n" + seen);
    }
}
