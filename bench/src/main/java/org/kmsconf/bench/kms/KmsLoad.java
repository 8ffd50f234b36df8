package org.kmsconf.bench.kms;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.kmsconf.kms.KmsAdmin;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kms.client.KmsClient;
import org.kmsconf.kms.store.KmsStore;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketRequest;
import org.kmsconf.mikey.exchange.TransferInitiator;
import org.kmsconf.mikey.exchange.TransferResponder;
import org.kmsconf.mikey.replay.ReplayCache;

/**
 * Load driver for the KMS HTTP interface: many concurrent keep-alive clients, each a pair of users doing REQUEST
 * (initiator gets a ticket) then RESOLVE (responder resolves it), for a bounded time; reports throughput and
 * p50/p99/p99.9 latency per exchange. Not JMH: this measures the whole server (HTTP, store, protocol, audit).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.kmsconf.bench.kms.KmsLoad [--clients 32] [--seconds 10] [--warmup 3]
 *      [--store mem|h2file|postgres] [--data-dir DIR] [--jdbc-url URL --jdbc-user U]
 *      [--url http://host:port --data-dir DIR | --jdbc-url URL]   (target a running KMS; provisions through its store)
 * </pre>
 * The clients run in this JVM, on the same cores as an in-process KMS: the figures include their MIKEY work.
 */
public final class KmsLoad {
    private static final String KMS_ID = KmsConfig.DEFAULT_KMS_IDENTITY;

    private KmsLoad() {
    }

    public static void main(String[] args) throws Exception {
        int clients = 32;
        int seconds = 10;
        int warmup = 3;
        String store = "mem";
        String url = null;
        Path dataDir = null;
        String jdbcUrl = null;
        String jdbcUser = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--store" -> store = args[++i];
                case "--url" -> url = args[++i];
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--jdbc-url" -> jdbcUrl = args[++i];
                case "--jdbc-user" -> jdbcUser = args[++i];
                case "--help", "-h" -> {
                    System.out.println("usage: KmsLoad [--clients N] [--seconds S] [--warmup S] [--store mem|h2file]"
                            + " [--data-dir DIR] [--jdbc-url URL] [--jdbc-user U] [--url http://host:port]");
                    return;
                }
                default -> {
                    System.err.println("KmsLoad: unknown option " + a + " (try --help)");
                    System.exit(2);
                }
            }
        }

        KmsConfig.Builder cb = switch (store) {
            case "mem" -> KmsConfig.inMemory();
            case "h2file" -> KmsConfig.inMemory().jdbcUrl(null).dataDir(dataDir != null ? dataDir
                    : java.nio.file.Files.createTempDirectory("kmsload"));
            default -> throw new IllegalArgumentException("--store mem or h2file");
        };
        if (jdbcUrl != null) {
            cb.jdbcUrl(jdbcUrl).jdbcUser(jdbcUser);
        }
        if (url != null && dataDir != null) {
            cb.jdbcUrl(null).dataDir(dataDir).masterKeyHex(null);
        }
        KmsConfig config = cb.listen("127.0.0.1", 0).maxThreads(Math.max(16, clients + 8)).build();

        KmsServer server = null;
        KmsStore provisioning;
        URI target;
        if (url == null) {
            server = KmsServer.start(config);
            provisioning = server.store();
            target = server.uri();
        } else {
            provisioning = KmsStore.open(config, false);
            target = URI.create(url);
        }
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        KmsAdmin admin = new KmsAdmin(provisioning);
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String a = "sip:load-a" + i + "-" + run + "@operator";
            String b = "sip:load-b" + i + "-" + run + "@operator";
            ProvisionedKey ka = admin.addUser(NewUser.of("load-a" + i + "-" + run, a));
            ProvisionedKey kb = admin.addUser(NewUser.of("load-b" + i + "-" + run, b));
            pairs.add(new Pair(a, ka, b, kb));
        }
        KmsClient client = KmsClient.builder().address(target).requestTimeout(Duration.ofSeconds(10)).build();

        System.out.printf(Locale.ROOT, "KMS %s, store %s, %d clients, %d s warm-up + %d s measured%n", target,
                url != null ? "(remote)" : store, clients, warmup, seconds);
        Result warm = runFor(pairs, client, warmup);
        System.out.printf(Locale.ROOT, "warm-up: %d ops%n", warm.requests.length + warm.resolves.length);
        Result r = runFor(pairs, client, seconds);
        report("REQUEST", r.requests, seconds);
        report("RESOLVE", r.resolves, seconds);
        System.out.printf(Locale.ROOT, "TOTAL    %8.0f ops/s   (%d errors)%n",
                (r.requests.length + r.resolves.length) / (double) seconds, r.errors);
        if (server != null) {
            server.close();
        } else {
            provisioning.close();
        }
    }

    record Pair(String aUri, ProvisionedKey a, String bUri, ProvisionedKey b) {
    }

    record Result(long[] requests, long[] resolves, long errors) {
    }

    static Result runFor(List<Pair> pairs, KmsClient client, int seconds) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<long[]> req = new ArrayList<>();
        List<long[]> res = new ArrayList<>();
        int[] reqN = new int[pairs.size()];
        int[] resN = new int[pairs.size()];
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            long[] rq = new long[2_000_000 / pairs.size() + 1000];
            long[] rs = new long[rq.length];
            req.add(rq);
            res.add(rs);
            int idx = i;
            Pair p = pairs.get(i);
            Thread t = new Thread(() -> {
                KeyMaterial pa = KeyMaterial.of(p.a().psk());
                KeyMaterial pb = KeyMaterial.of(p.b().psk());
                PartyContext ca = new PartyContext(Clock.systemUTC(), drbg(), new ReplayCache());
                PartyContext cbx = new PartyContext(Clock.systemUTC(), drbg(), new ReplayCache());
                try {
                    while (System.nanoTime() < end && reqN[idx] < rq.length) {
                        try {
                            TicketRequest tr = TicketRequest.create(TicketRequest.Spec.conferencing(p.aUri(), KMS_ID,
                                    p.a().keyId(), List.of(p.bUri()), AlgorithmSet.SET_128), pa, ca);
                            byte[] msg = tr.message();
                            long t0 = System.nanoTime();
                            byte[] answer = client.exchange(msg);
                            rq[reqN[idx]++] = System.nanoTime() - t0;
                            TicketGrant g = tr.processResponse(answer);
                            TransferInitiator ti = TransferInitiator.create(g,
                                    new TransferInitiator.Spec(p.aUri(), p.bUri(), List.of(0x1234)), ca);
                            TransferResponder r = TransferResponder.receive(ti.message(), cbx);
                            byte[] ri = r.resolveInit(p.bUri(), KMS_ID, p.b().keyId(), pb);
                            long t1 = System.nanoTime();
                            byte[] rr = client.exchange(ri);
                            rs[resN[idx]++] = System.nanoTime() - t1;
                            r.processResolveResponse(rr);
                            r.destroy();
                            g.destroy();
                        } catch (RuntimeException e) {
                            if (errors.incrementAndGet() <= 3) {
                                System.err.println("error: " + e.getMessage());
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + i);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        return new Result(merge(req, reqN), merge(res, resN), errors.get());
    }

    /** One DRBG per client thread: the default SecureRandom serialises every thread on one lock. */
    static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    static long[] merge(List<long[]> parts, int[] counts) {
        int n = Arrays.stream(counts).sum();
        long[] all = new long[n];
        int at = 0;
        for (int i = 0; i < parts.size(); i++) {
            System.arraycopy(parts.get(i), 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        return all;
    }

    static void report(String name, long[] sorted, int seconds) {
        if (sorted.length == 0) {
            System.out.printf(Locale.ROOT, "%-8s no samples%n", name);
            return;
        }
        System.out.printf(Locale.ROOT, "%-8s %8.0f ops/s   p50 %6.2f ms   p99 %6.2f ms   p99.9 %6.2f ms   max %6.2f ms%n",
                name, sorted.length / (double) seconds, ms(pct(sorted, 0.50)), ms(pct(sorted, 0.99)),
                ms(pct(sorted, 0.999)), ms(sorted[sorted.length - 1]));
    }

    static long pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
