package org.kmsconf.ops;

import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.kmsconf.httpserver.HttpListener;

/**
 * The admin interface's HTTP(S) listener on embedded Jetty 12, set up as the KMS's: loopback unless configured,
 * TLS 1.3/1.2 when a keystore is given, a bounded thread pool (each open console holds one thread for its event
 * stream) and connection limit, no server version in answers.
 */
final class AdminServer implements AutoCloseable {
    static final int MAX_THREADS = 40;
    static final int MAX_CONSOLES = 16;
    private static final int MAX_CONNECTIONS = 128;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final Server jetty;
    private final ServerConnector connector;
    private final HttpListener listener;

    private AdminServer(Server jetty, ServerConnector connector, HttpListener listener) {
        this.jetty = jetty;
        this.connector = connector;
        this.listener = listener;
    }

    static AdminServer start(OpsConfig config, Handler handler) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
        threads.setName("conference-admin");
        Server jetty = new Server(threads);
        HttpListener listener = new HttpListener(config.listenHost(), config.listenPort(), config.tlsKeystore(),
                config.tlsKeystorePassword(), config.tlsKeystoreType(), IDLE_TIMEOUT, MAX_CONNECTIONS);
        ServerConnector connector = listener.addTo(jetty);
        jetty.setHandler(handler);
        jetty.setStopTimeout(2_000);
        listener.start(jetty, "the admin interface");
        return new AdminServer(jetty, connector, listener);
    }

    /** Base URI, e.g. {@code http://127.0.0.1:8190}. */
    URI uri() {
        return listener.uri(connector.getLocalPort());
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
