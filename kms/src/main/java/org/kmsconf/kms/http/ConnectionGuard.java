package org.kmsconf.kms.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.kmsconf.kms.metrics.KmsMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slow and greedy clients (slowloris): every network connection is counted against its remote address and closed at
 * once beyond {@code perSource} open connections of that address; and every request must arrive whole (headers and
 * body) within {@code requestTimeout} of its first byte, however slowly it trickles (the idle timeout alone would let a
 * client that sends one byte every few seconds hold a connection for ever). A request still arriving after that is
 * cut: its connection is closed. Closed and cut connections are counted in the metrics
 * ({@code kms_http_rejected_total{status="per-source-limit"|"request-timeout"}}).
 */
public final class ConnectionGuard implements Connection.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private static final class Tracked {
        final Connection connection;
        long lastMessagesOut;
        long bytesAtLastResponse;
        long requestStartedNanos = -1;

        Tracked(Connection c) {
            this.connection = c;
        }
    }

    private final int perSource;
    private final long requestTimeoutNanos;
    private final KmsMetrics metrics;
    private final Map<InetAddress, AtomicInteger> bySource = new ConcurrentHashMap<>();
    private final Map<Connection, InetAddress> sourceOf = new ConcurrentHashMap<>();
    private final Map<Connection, Tracked> http = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    public ConnectionGuard(int perSource, Duration requestTimeout, KmsMetrics metrics) {
        this.perSource = perSource;
        this.requestTimeoutNanos = requestTimeout.toNanos();
        this.metrics = metrics;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kms-http-guard");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, Math.min(500, requestTimeout.toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection c) {
        if (c.getEndPoint() instanceof SocketChannelEndPoint) {
            InetAddress src = address(c.getEndPoint().getRemoteSocketAddress());
            if (src != null) {
                int n = bySource.computeIfAbsent(src, k -> new AtomicInteger()).incrementAndGet();
                sourceOf.put(c, src);
                if (n > perSource) {
                    metrics.rejected("per-source-limit");
                    c.getEndPoint().close();
                    return;
                }
            }
        }
        if (c instanceof org.eclipse.jetty.server.internal.HttpConnection) {
            http.put(c, new Tracked(c));
        }
    }

    @Override
    public void onClosed(Connection c) {
        http.remove(c);
        InetAddress src = sourceOf.remove(c);
        if (src != null) {
            bySource.computeIfPresent(src, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
        }
    }

    /** A request has begun when bytes arrived since the last response; it must be answered within the timeout. */
    private void sweep() {
        long now = System.nanoTime();
        for (Tracked t : http.values()) {
            Connection c = t.connection;
            long out = c.getMessagesOut();
            long in = c.getBytesIn();
            if (out != t.lastMessagesOut) {
                t.lastMessagesOut = out;
                t.bytesAtLastResponse = in;
                t.requestStartedNanos = -1;
            }
            if (t.requestStartedNanos < 0 && in > t.bytesAtLastResponse) {
                t.requestStartedNanos = now;
            }
            if (t.requestStartedNanos >= 0 && now - t.requestStartedNanos > requestTimeoutNanos) {
                http.remove(c);
                metrics.rejected("request-timeout");
                LOG.debug("request not complete within the request timeout: closing {}",
                        c.getEndPoint().getRemoteSocketAddress());
                c.getEndPoint().close();
            }
        }
    }

    /** Open connections of one source (tests). */
    public int openFrom(InetAddress source) {
        AtomicInteger n = bySource.get(source);
        return n == null ? 0 : n.get();
    }

    private static InetAddress address(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getAddress() : null;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
