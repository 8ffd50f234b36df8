package org.kmsconf.kms;

import java.net.URI;
import java.time.Clock;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.kmsconf.kms.audit.AuditJournal;
import org.kmsconf.kms.http.ConnectionGuard;
import org.kmsconf.kms.http.HttpConfig;
import org.kmsconf.kms.http.KmsHttpHandler;
import org.kmsconf.kms.metrics.KmsMetrics;
import org.kmsconf.kms.store.DirectoryCache;
import org.kmsconf.kms.store.IdentityIndex;
import org.kmsconf.kms.store.DbReplayGuard;
import org.kmsconf.kms.store.KmsStore;
import org.kmsconf.kms.store.ReplayJournal;
import org.kmsconf.mikey.replay.PartitionedReplayCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running KMS: store, MIKEY processing and the HTTP interface on embedded Jetty. {@code kmsconf kms serve} runs
 * one; tests and the demo embed one:
 *
 * <pre>{@code
 * try (KmsServer kms = KmsServer.start(KmsConfig.inMemory().build())) {
 *     ProvisionedKey alice = kms.admin().addUser(NewUser.of("alice", "sip:alice@operator"));
 *     KmsClient client = KmsClient.builder().address(kms.uri()).build();
 *     ...
 * }
 * }</pre>
 */
public final class KmsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KmsServer.class);

    private final KmsConfig config;
    private final KmsStore store;
    private final ReplayJournal journal;
    private final KmsService service;
    private final KmsMetrics metrics;
    private final Server jetty;
    private final ServerConnector connector;
    private final boolean answersOnIoThreads;

    private KmsServer(KmsConfig config, KmsStore store, ReplayJournal journal, KmsService service, KmsMetrics metrics,
            Server jetty, ServerConnector connector, boolean answersOnIoThreads) {
        this.config = config;
        this.store = store;
        this.journal = journal;
        this.service = service;
        this.metrics = metrics;
        this.jetty = jetty;
        this.connector = connector;
        this.answersOnIoThreads = answersOnIoThreads;
    }

    /** Whether requests are answered on the I/O thread that read them ({@link #answerOnIoThreadsRefusal}). */
    public boolean answersOnIoThreads() {
        return answersOnIoThreads;
    }

    /** Opens the store (creating the master key file if missing) and starts serving. */
    public static KmsServer start(KmsConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * As {@link #start(KmsConfig)} with the clock the KMS uses for timestamps, the clock-skew window and ticket
     * validity (tests move it to check expiry; the parties then use the same clock).
     */
    public static KmsServer start(KmsConfig config, Clock clock) {
        return start(config, clock, null);
    }

    /**
     * As {@link #start(KmsConfig)}, also serving {@code GET /audit} (the audit tail, for an operator's console) to
     * whoever presents the token in {@code auditTokenFile} (created 0600 at first start); null = no such endpoint.
     */
    public static KmsServer start(KmsConfig config, java.nio.file.Path auditTokenFile) {
        return start(config, Clock.systemUTC(), auditTokenFile);
    }

    private static KmsServer start(KmsConfig config, Clock clock, java.nio.file.Path auditTokenFile) {
        // every answered request leaves an audit record that survives a crash of this process (not needed, and not
        // possible, for a store in memory)
        AuditJournal auditJournal = config.store().isInMemory() ? null
                : AuditJournal.open(config.store().dataDir().resolve("audit"), config.replayFsync());
        KmsStore store;
        try {
            store = KmsStore.open(config.store(), config.kmsIdentity(), true, auditJournal);
        } catch (RuntimeException e) {
            if (auditJournal != null) {
                auditJournal.close();
            }
            throw e;
        }
        try {
            return start(config, store, clock, auditTokenFile);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static KmsServer start(KmsConfig config, KmsStore store, Clock clock,
                                   java.nio.file.Path auditTokenFile) {
        KmsMetrics metrics = new KmsMetrics();
        metrics.storeReads(store.cache(), DirectoryCache::loads, DirectoryCache::versionReads, store.identities(),
                IdentityIndex::loads);
        PartitionedReplayCache replay = new PartitionedReplayCache(config.replayPerUser(), config.replayCapacity(),
                config.clockSkew(), clock);
        // RFC 3830 §5.4 across restarts: accepted messages go to a journal before each answer (embedded store, or
        // PostgreSQL without the shared guard) and come back into the replay partitions here; in shared mode the
        // replay_guard row commits before the answer (durable on PostgreSQL).
        boolean shared = config.effectiveSharedReplay();
        ReplayJournal journal = config.store().isH2File() || (!shared && !config.store().isInMemory())
                ? ReplayJournal.open(config.store().dataDir().resolve("replay"), config.clockSkew(),
                        config.replayFsync(), clock, replay::restore)
                : null;
        StoreDirectory directory = new StoreDirectory(store.users(), store.identities(), store.cache(),
                KmsPolicy.of(store, config.defaultAllow()), shared ? new DbReplayGuard(store.database(), clock) : null,
                journal);
        KmsService service = new KmsService(config, directory, replay, store.ticketKeys(), store.kmsIdentity(),
                store.audit(), metrics, clock);
        HttpConfig hc = config.http();
        QueuedThreadPool threads = new QueuedThreadPool(hc.maxThreads(), Math.min(8, hc.maxThreads()));
        threads.setName("kms-http");
        Server jetty = new Server(threads);
        ServerConnector connector = hc.listener().addTo(jetty, hc.ioThreads());
        String onIoThreads = answerOnIoThreadsRefusal(config);
        // slowloris: connections per source, and a deadline for each request to arrive whole
        ConnectionGuard guard = new ConnectionGuard(hc.maxConnectionsPerSource(), hc.requestTimeout(), metrics);
        connector.addBean(guard);
        jetty.addBean(guard);
        org.eclipse.jetty.server.Handler handler = new KmsHttpHandler(service::process, metrics,
                store.database()::isReachable, hc.maxBodyBytes(), onIoThreads == null);
        jetty.setHandler(auditTokenFile == null ? handler
                : new org.kmsconf.kms.http.AuditTailHandler(handler, store.audit(), auditTokenFile));
        jetty.setStopTimeout(2_000);
        jetty.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
            @Override
            public void lifeCycleStopped(org.eclipse.jetty.util.component.LifeCycle event) {
                guard.close();
            }
        });
        try {
            hc.listener().start(jetty, "the KMS HTTP interface");
        } catch (IllegalArgumentException e) {
            service.close();
            if (journal != null) {
                journal.close();
            }
            throw e;
        }
        KmsServer s = new KmsServer(config, store, journal, service, metrics, jetty, connector,
                onIoThreads == null);
        LOG.info("KMS {} serving at {} (store {}, node {})", store.kmsIdentity(), s.uri(),
                config.store().isPostgres() ? "PostgreSQL" : "H2", config.store().nodeName());
        LOG.info("requests are answered {} ({} I/O threads)", onIoThreads == null
                ? "on the I/O thread that read them" : "on pool threads: " + onIoThreads, hc.ioThreads());
        return s;
    }

    /**
     * Null if requests may be answered on the I/O thread that read them (no hand-off to the pool: about a quarter of
     * the KMS's CPU per operation, docs/performance.md), else why not. An I/O thread serves every connection it
     * holds one request at a time, so the request path must wait for nothing slower than the CPU and the page cache:
     * true for the embedded store, where the journal writes go to the operating system and the look-ups to a local
     * file; not when each journal write is synced to the disk (a sync per request, where the pool lets concurrent
     * requests share one) or when the store is across the network (PostgreSQL, the shared replay guard).
     */
    static String answerOnIoThreadsRefusal(KmsConfig config) {
        if (!config.http().answerOnIoThreads()) {
            return "kms.http.answer-on-io-threads is false";
        }
        if (!config.store().isH2File() && !config.store().isInMemory()) {
            return "the store is across the network";
        }
        if (config.effectiveSharedReplay()) {
            return "the shared replay guard waits for a database commit per batch";
        }
        if (config.replayFsync()) {
            return "kms.replay.fsync syncs each journal write to the disk";
        }
        return null;
    }

    /** Base URI of the HTTP interface, e.g. {@code http://127.0.0.1:43117} (POST to {@code <uri>/kms}). */
    public URI uri() {
        return config.http().listener().uri(connector.getLocalPort());
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Provisioning of this KMS's store. */
    public KmsAdmin admin() {
        return new KmsAdmin(store);
    }

    public KmsStore store() {
        return store;
    }

    public KmsService service() {
        return service;
    }

    public KmsMetrics metrics() {
        return metrics;
    }

    /** The KMS identity (IDRkms) clients put in their requests. */
    public String kmsIdentity() {
        return store.kmsIdentity();
    }

    public KmsConfig config() {
        return config;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("stopping the KMS HTTP interface: {}", e.toString());
        }
        service.close();
        if (journal != null) {
            journal.close();
        }
        store.close();
    }
}
