package org.kmsconf.kms;

import java.net.URI;
import java.time.Clock;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.kmsconf.kms.admin.AdminSocketServer;
import org.kmsconf.kms.http.ConnectionGuard;
import org.kmsconf.kms.http.KmsHttpHandler;
import org.kmsconf.kms.metrics.KmsMetrics;
import org.kmsconf.kms.store.KmsStore;
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
    private final KmsService service;
    private final KmsMetrics metrics;
    private final Server jetty;
    private final ServerConnector connector;
    private volatile AdminSocketServer admin;

    private KmsServer(KmsConfig config, KmsStore store, KmsService service, KmsMetrics metrics, Server jetty,
            ServerConnector connector) {
        this.config = config;
        this.store = store;
        this.service = service;
        this.metrics = metrics;
        this.jetty = jetty;
        this.connector = connector;
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
        KmsStore store = KmsStore.open(config, true);
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
        KmsService service = new KmsService(config, store, metrics, clock);
        QueuedThreadPool threads = new QueuedThreadPool(config.maxThreads(), Math.min(8, config.maxThreads()));
        threads.setName("kms-http");
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector;
        if (config.tlsKeystore() != null) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(config.tlsKeystore().toAbsolutePath().toString());
            if (config.tlsKeystorePassword() != null) {
                tls.setKeyStorePassword(config.tlsKeystorePassword());
            }
            tls.setKeyStoreType(config.tlsKeystoreType());
            tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            http.addCustomizer(new SecureRequestCustomizer(false));
            connector = new ServerConnector(jetty, new SslConnectionFactory(tls, "http/1.1"),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        }
        connector.setHost(config.listenHost());
        connector.setPort(config.listenPort());
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        jetty.addConnector(connector);
        jetty.addBean(new NetworkConnectionLimit(config.maxConnections(), jetty));
        // slowloris: connections per source, and a deadline for each request to arrive whole
        ConnectionGuard guard = new ConnectionGuard(config.maxConnectionsPerSource(), config.requestTimeout(), metrics);
        connector.addBean(guard);
        jetty.addBean(guard);
        org.eclipse.jetty.server.Handler handler = new KmsHttpHandler(service::process, metrics,
                store.database()::isReachable, config.maxBodyBytes());
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
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // already failing
            }
            service.close();
            throw new IllegalArgumentException("cannot start the KMS HTTP interface on " + config.listenHost() + ":"
                    + config.listenPort() + ": " + e.getMessage(), e);
        }
        KmsServer s = new KmsServer(config, store, service, metrics, jetty, connector);
        if (config.isH2File() || config.adminSocket() != null) {
            // administration while serving: this socket, never the database (which has no listener)
            try {
                s.admin = AdminSocketServer.start(config.effectiveAdminSocket(), store,
                        org.kmsconf.kms.cli.AdminCommands::commandLine);
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
        }
        LOG.info("KMS {} serving at {} (store {}, node {})", store.kmsIdentity(), s.uri(),
                config.isPostgres() ? "PostgreSQL" : "H2", config.nodeName());
        return s;
    }

    /** Base URI of the HTTP interface, e.g. {@code http://127.0.0.1:43117} (POST to {@code <uri>/kms}). */
    public URI uri() {
        String host = config.listenHost();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((config.tlsKeystore() != null ? "https" : "http") + "://" + host + ":"
                + connector.getLocalPort());
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

    /** The admin socket's path, or null when this KMS has none (in-memory store). */
    public java.nio.file.Path adminSocket() {
        return admin == null ? null : admin.socket();
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("stopping the KMS HTTP interface: {}", e.toString());
        }
        service.close();
        store.close();
    }
}
