package org.kmsconf.ops;

import java.net.URI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The admin interface's HTTP(S) listener on embedded Jetty 12, set up as the KMS's: loopback unless configured,
 * TLS 1.3/1.2 when a keystore is given, a bounded thread pool (each open console holds one thread for its event
 * stream) and connection limit, no server version in answers.
 */
final class AdminServer implements AutoCloseable {
    static final int MAX_THREADS = 40;
    static final int MAX_CONSOLES = 16;
    private static final int MAX_CONNECTIONS = 128;

    private final Server jetty;
    private final ServerConnector connector;
    private final boolean tls;
    private final String host;

    private AdminServer(Server jetty, ServerConnector connector, boolean tls, String host) {
        this.jetty = jetty;
        this.connector = connector;
        this.tls = tls;
        this.host = host;
    }

    static AdminServer start(OpsConfig config, Handler handler) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
        threads.setName("conference-admin");
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector;
        boolean tls = config.tlsKeystore() != null;
        if (tls) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(config.tlsKeystore().toAbsolutePath().toString());
            if (config.tlsKeystorePassword() != null) {
                ssl.setKeyStorePassword(config.tlsKeystorePassword());
            }
            ssl.setKeyStoreType(config.tlsKeystoreType());
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            http.addCustomizer(new SecureRequestCustomizer(false));
            connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        }
        connector.setHost(config.listenHost());
        connector.setPort(config.listenPort());
        connector.setIdleTimeout(30_000);
        jetty.addConnector(connector);
        jetty.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, jetty));
        jetty.setHandler(handler);
        jetty.setStopTimeout(2_000);
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // already failing
            }
            throw new IllegalArgumentException("cannot start the admin interface on " + config.listenHost() + ":"
                    + config.listenPort() + ": " + e.getMessage(), e);
        }
        return new AdminServer(jetty, connector, tls, config.listenHost());
    }

    /** Base URI, e.g. {@code http://127.0.0.1:8190}. */
    URI uri() {
        String h = host;
        if (h.equals("0.0.0.0") || h.equals("::")) {
            h = "127.0.0.1";
        } else if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return URI.create((tls ? "https" : "http") + "://" + h + ":" + connector.getLocalPort());
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(AdminServer.class).warn("stopping the admin interface: {}",
                    e.toString());
        }
    }
}
