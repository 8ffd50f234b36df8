package org.kmsconf.kms.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kms.Ua;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.exchange.TicketGrant;

/**
 * Slowloris against a real KMS over loopback: an attacker at 127.0.0.2 opens far more connections than it may hold and
 * trickles headers or bodies a byte at a time, for longer than the request timeout. A legitimate client at 127.0.0.1
 * keeps doing REQUEST and RESOLVE meanwhile: every exchange succeeds and its p99 stays within a bound derived from the
 * same client's p99 without the attack; the attacker's surplus connections are closed at once and its slow requests
 * are cut at the request timeout (both counted in /metrics).
 */
class SlowClientsTest {
    static final String ALICE = "sip:alice@operator";
    static final String BOB = "sip:bob@operator";
    static final int ATTACK_CONNECTIONS = 120;
    static final int PER_SOURCE = 16;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    @Test
    void slowClientsHoldNeitherThreadsNorTheLegitimateClientsLatency() throws Exception {
        KmsConfig cfg = KmsConfig.inMemory().maxThreads(16).maxConnectionsPerSource(PER_SOURCE)
                .requestTimeout(REQUEST_TIMEOUT).idleTimeout(Duration.ofSeconds(30)).build();
        try (KmsServer kms = KmsServer.start(cfg)) {
            ProvisionedKey a = kms.admin().addUser(NewUser.of("alice", ALICE));
            ProvisionedKey b = kms.admin().addUser(NewUser.of("bob", BOB));
            Ua alice = new Ua(a, ALICE);
            Ua bob = new Ua(b, BOB);
            KmsClient client = KmsClient.builder().address(kms.uri()).build();
            String id = kms.kmsIdentity();

            List<Long> baseline = exchanges(client, alice, bob, id, 40, Duration.ofSeconds(30));
            long baseP99 = p99(baseline);

            AtomicBoolean stop = new AtomicBoolean();
            List<Socket> attack = Collections.synchronizedList(new ArrayList<>());
            Thread attacker = new Thread(() -> slowloris(kms.uri(), attack, stop), "slowloris");
            attacker.start();
            List<Long> underAttack;
            try {
                Thread.sleep(1500); // the attack is in place (every slow body has been dispatched to the handler)
                long t0 = System.nanoTime();
                underAttack = new ArrayList<>();
                // longer than the request timeout: the attacker's requests are cut and it keeps reconnecting
                while (System.nanoTime() - t0 < REQUEST_TIMEOUT.toNanos() * 2) {
                    underAttack.addAll(exchanges(client, alice, bob, id, 5, Duration.ofSeconds(30)));
                }
            } finally {
                stop.set(true);
                attacker.join(10_000);
                for (Socket s : attack) {
                    s.close();
                }
            }
            long attackP99 = p99(underAttack);
            assertThat(underAttack.size()).isGreaterThanOrEqualTo(20);
            // within the undisturbed p99, with room for a shared 2-core machine: 5x, or 250 ms if that is more
            assertThat(attackP99).as("p99 under attack (ns) vs baseline p99 %d ns", baseP99)
                    .isLessThanOrEqualTo(Math.max(5 * baseP99, TimeUnit.MILLISECONDS.toNanos(250)));
            assertThat(kms.metrics().rejectedCount("per-source-limit")).isPositive();
            assertThat(kms.metrics().rejectedCount("request-timeout")).isPositive();
        }
    }

    /** Alternating REQUEST and RESOLVE exchanges; every one must succeed; returns each one's latency in ns. */
    private static List<Long> exchanges(KmsClient client, Ua alice, Ua bob, String id, int n, Duration max) {
        List<Long> out = new ArrayList<>();
        long end = System.nanoTime() + max.toNanos();
        for (int i = 0; i < n && System.nanoTime() < end; i++) {
            long t0 = System.nanoTime();
            TicketGrant g = alice.requestTicket(client, id, BOB);
            out.add(System.nanoTime() - t0);
            Ua.Resolving r = bob.resolveInit(alice.transferInit(g, BOB).message(), BOB, id);
            long t1 = System.nanoTime();
            r.responder().processResolveResponse(client.exchangeOrThrow(r.resolveInit()));
            out.add(System.nanoTime() - t1);
        }
        return out;
    }

    /**
     * From 127.0.0.2, keeps {@link #ATTACK_CONNECTIONS} connections open: half trickle their headers, half send
     * headers announcing a 1000-byte body and trickle the body; closed ones are reopened. Bounded in time by the caller.
     */
    private static void slowloris(URI kms, List<Socket> open, AtomicBoolean stop) {
        InetAddress from;
        try {
            from = InetAddress.getByName("127.0.0.2");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<Socket> mine = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int round = 0;
        while (!stop.get() && System.nanoTime() < deadline) {
            mine.removeIf(Socket::isClosed);
            while (mine.size() < ATTACK_CONNECTIONS) {
                try {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress(from, 0));
                    s.connect(new InetSocketAddress(kms.getHost(), kms.getPort()), 1000);
                    s.setSoTimeout(1);
                    boolean slowBody = mine.size() % 2 == 0;
                    if (slowBody) {
                        s.getOutputStream().write(("POST /kms HTTP/1.1\r\nHost: x\r\nContent-Type: application/mikey\r\n"
                                + "Content-Length: 1000\r\n\r\nz").getBytes(StandardCharsets.US_ASCII));
                    } else {
                        s.getOutputStream().write("POST /kms HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
                    }
                    mine.add(s);
                    open.add(s);
                } catch (Exception e) {
                    break;
                }
            }
            for (Socket s : mine) {
                try {
                    OutputStream o = s.getOutputStream();
                    o.write(round % 2 == 0 ? 'x' : 'y');
                    o.flush();
                    InputStream in = s.getInputStream();
                    try {
                        if (in.read() < 0) {
                            s.close();
                        }
                    } catch (java.net.SocketTimeoutException e) {
                        // still open, nothing to read: as intended
                    }
                } catch (Exception e) {
                    try {
                        s.close();
                    } catch (Exception ignored) {
                        // gone
                    }
                }
            }
            round++;
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long p99(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1));
    }
}
