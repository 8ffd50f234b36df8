package org.kmsconf.httpserver;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Where and how one of the project's HTTP servers listens: address and port, TLS 1.3/1.2 when a keystore is given
 * (otherwise plain HTTP), how long an idle connection stays open, and how many connections it holds at most. Answers
 * never name the server software.
 *
 * @param tlsKeystore PKCS#12 (or {@code tlsKeystoreType}) keystore for HTTPS; null for plain HTTP
 * @param tlsKeystorePassword its password, or null
 */
public record HttpListener(String host, int port, Path tlsKeystore, String tlsKeystorePassword,
                           String tlsKeystoreType, Duration idleTimeout, int maxConnections) {

    public boolean tls() {
        return tlsKeystore != null;
    }

    /** Adds this listener's connector to {@code jetty} (not started), with the server-wide connection limit. */
    public ServerConnector addTo(Server jetty) {
        return addTo(jetty, -1);
    }

    /**
     * As {@link #addTo(Server)}, with {@code ioThreads} selector threads (the threads that wait for the sockets and,
     * for a non-blocking handler, also run it); -1 leaves Jetty's default (one per two cores, at most four).
     */
    public ServerConnector addTo(Server jetty, int ioThreads) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Jetty's per-connection header cache matches case-insensitively: after "Bearer xAb…" a request with
        // "Bearer XAb…" on the same connection was handed the earlier value, so a token one case off (or the right
        // one after it) was judged by the wrong bytes. Header values such as bearer tokens are case-sensitive.
        http.setHeaderCacheCaseSensitive(true);
        ServerConnector connector;
        if (tls()) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(tlsKeystore.toAbsolutePath().toString());
            if (tlsKeystorePassword != null) {
                ssl.setKeyStorePassword(tlsKeystorePassword);
            }
            ssl.setKeyStoreType(tlsKeystoreType);
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            http.addCustomizer(new SecureRequestCustomizer(false));
            connector = new ServerConnector(jetty, -1, ioThreads, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(jetty, -1, ioThreads, new HttpConnectionFactory(http));
        }
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        jetty.addConnector(connector);
        jetty.addBean(new NetworkConnectionLimit(maxConnections, jetty));
        return connector;
    }

    /**
     * Starts {@code jetty}; if it cannot (the port is taken, the keystore does not open), stops what did start and
     * throws a clear error naming this listener's address.
     *
     * @param what the server, for the error, e.g. "the KMS HTTP interface"
     * @throws IllegalArgumentException when it cannot start
     */
    public void start(Server jetty, String what) {
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // already failing
            }
            throw new IllegalArgumentException("cannot start " + what + " on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The base URI a client on this host uses, e.g. {@code https://127.0.0.1:8180}: a wildcard address becomes
     * 127.0.0.1, an IPv6 literal gets its brackets.
     */
    public URI uri(int boundPort) {
        String h = host;
        if (h.equals("0.0.0.0") || h.equals("::")) {
            h = "127.0.0.1";
        } else if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return URI.create((tls() ? "https" : "http") + "://" + h + ":" + boundPort);
    }
}
