package org.kmsconf.kms.http;

import java.nio.file.Path;
import java.time.Duration;
import org.kmsconf.httpserver.HttpListener;

/**
 * The KMS's HTTP interface: where it listens, TLS, and the limits that keep slow or greedy clients from starving the
 * others. The keystore password never appears in {@link #toString()}.
 *
 * @param listenHost interface to bind
 * @param listenPort TCP port; 0 picks a free one
 * @param tlsKeystore PKCS#12/JKS keystore; non-null turns HTTPS on
 * @param requestTimeout the longest a request may take to arrive (headers and body), however slowly it trickles
 * @param maxConnectionsPerSource connections one remote address may hold open at once
 * @param ioThreads threads that wait for the sockets (Jetty's selectors); each serves its share of the connections
 * @param answerOnIoThreads whether a request may be answered on the I/O thread that read it, with no hand-off to the
 *     pool, where the store allows it (see {@code KmsServer}); false always hands off
 */
public record HttpConfig(
        String listenHost,
        int listenPort,
        Path tlsKeystore,
        String tlsKeystorePassword,
        String tlsKeystoreType,
        int maxBodyBytes,
        Duration idleTimeout,
        int maxThreads,
        int maxConnections,
        Duration requestTimeout,
        int maxConnectionsPerSource,
        int ioThreads,
        boolean answerOnIoThreads) {

    /** Two I/O threads per core: on two cores, four kept the p99 lowest in KmsLoad (docs/performance.md). */
    public static final int DEFAULT_IO_THREADS = 2 * Runtime.getRuntime().availableProcessors();

    public HttpConfig {
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listen port out of range: " + listenPort);
        }
        if (maxBodyBytes < 256) {
            throw new IllegalArgumentException("max body must be at least 256 bytes");
        }
        if (maxThreads < 4) {
            throw new IllegalArgumentException("max threads must be at least 4");
        }
        if (ioThreads < 1 || ioThreads > 256) {
            throw new IllegalArgumentException("I/O threads must be between 1 and 256: " + ioThreads);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || maxConnectionsPerSource < 1) {
            throw new IllegalArgumentException("request timeout and connections per source must be positive");
        }
    }

    public boolean tls() {
        return tlsKeystore != null;
    }

    /** The listener part: address, TLS, idle timeout, connection limit. */
    public HttpListener listener() {
        return new HttpListener(listenHost, listenPort, tlsKeystore, tlsKeystorePassword, tlsKeystoreType, idleTimeout,
                maxConnections);
    }

    @Override
    public String toString() {
        return "HttpConfig[listen=" + listenHost + ":" + listenPort + ", tls=" + tls() + "]";
    }
}
