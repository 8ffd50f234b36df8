package org.kmsconf.control.tls;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.kmsconf.control.bfcp.BfcpCodec;
import org.kmsconf.control.bfcp.BfcpException;
import org.kmsconf.control.bfcp.BfcpFrameReader;
import org.kmsconf.control.bfcp.message.BfcpError;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BFCP over TLS with a MIKEY-derived PSK, floor control server side (docs/profile.md §6). An accept loop hands each
 * TCP connection to a bounded pool of threads (one per connection; over the bound a connection is closed at once).
 * Per connection: the TLS handshake under a time limit, the leg found by psk_identity, then BFCP messages framed
 * by their Payload Length. A message that cannot be decoded is answered with the BFCP Error that says why; a header
 * that leaves the stream undelimitable (another version, an oversized length) is answered and the connection
 * closed; a message whose Conference ID or User ID is not the leg's gets Error 5 Unauthorized Operation. Nothing a
 * client sends ends more than its own connection.
 */
public final class BfcpTlsServer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(BfcpTlsServer.class);

    /** Limits: the TLS policy, how many connections at once, the largest BFCP message. */
    public record Options(TlsPolicy tls, int maxConnections, int maxMessageBytes) {
        public Options {
            Objects.requireNonNull(tls, "tls");
            if (maxConnections < 1 || maxMessageBytes < BfcpCodec.HEADER_BYTES) {
                throw new IllegalArgumentException("maxConnections >= 1, maxMessageBytes >= 12");
            }
        }

        /** TLS 1.3 only, 64 connections, 64 KiB messages. */
        public static Options defaults() {
            return new Options(TlsPolicy.tls13Only(), 64, BfcpFrameReader.DEFAULT_MAX_MESSAGE_BYTES);
        }

        public Options withTls(TlsPolicy p) {
            return new Options(p, maxConnections, maxMessageBytes);
        }

        public Options withMaxConnections(int n) {
            return new Options(tls, n, maxMessageBytes);
        }
    }

    private final ServerSocket listener;
    private final BfcpLegDirectory legs;
    private final BfcpHandler handler;
    private final Options options;
    private final ThreadPoolExecutor pool;
    private final Thread acceptor;
    private final SecureRandom random = new SecureRandom();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger handshakesFailed = new AtomicInteger();
    private volatile boolean closed;

    private BfcpTlsServer(ServerSocket listener, BfcpLegDirectory legs, BfcpHandler handler, Options options) {
        this.listener = listener;
        this.legs = legs;
        this.handler = handler;
        this.options = options;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, options.maxConnections(), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "bfcp-tls-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.acceptor = new Thread(this::acceptLoop, "bfcp-tls-accept-" + listener.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /** Binds {@code address} (port 0: any free port) and starts accepting. */
    public static BfcpTlsServer start(InetSocketAddress address, BfcpLegDirectory legs, BfcpHandler handler,
            Options options) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(address, 64);
        BfcpTlsServer s = new BfcpTlsServer(ss, legs, handler, options);
        s.acceptor.start();
        LOG.info("BFCP over TLS-PSK listening on {} ({})", ss.getLocalSocketAddress(),
                options.tls().allowTls12() ? "TLS 1.3, TLS 1.2 ECDHE-PSK allowed" : "TLS 1.3 only");
        return s;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Connections being handled now (handshaking or established). */
    public int activeConnections() {
        return pool.getActiveCount();
    }

    /** Handshakes that ended without an authenticated leg, since start. */
    public int failedHandshakes() {
        return handshakesFailed.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("BFCP accept failed: {}", e.toString());
                }
                continue;
            }
            try {
                pool.execute(() -> serve(s));
            } catch (RejectedExecutionException e) {
                LOG.warn("BFCP connection from {} refused: {} connections already", s.getRemoteSocketAddress(),
                        options.maxConnections());
                quietlyClose(s);
            }
        }
    }

    private void serve(Socket socket) {
        sockets.add(socket);
        String peer = String.valueOf(socket.getRemoteSocketAddress());
        BfcpSession session = null;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) options.tls().handshakeTimeout().toMillis());
            TlsServerProtocol tls = new TlsServerProtocol(socket.getInputStream(), socket.getOutputStream());
            PskTlsServerPeer peerTls = new PskTlsServerPeer(new BcTlsCrypto(random), options.tls(), legs, peer);
            try {
                tls.accept(peerTls);
            } catch (IOException e) {
                handshakesFailed.incrementAndGet();
                LOG.info("BFCP TLS handshake from {} failed: {}", peer, e.getMessage());
                return;
            }
            socket.setSoTimeout(0);
            BfcpLeg leg = peerTls.leg();
            if (leg == null || peerTls.result() == null) {
                handshakesFailed.incrementAndGet();
                LOG.warn("BFCP TLS handshake from {} completed without a leg's PSK; closing", peer);
                return;
            }
            session = new BfcpSession(new BfcpTlsStream(socket, tls, peerTls.result(), leg.toString()), leg);
            LOG.info("BFCP connection from {}: {} authenticated by {}", peer, leg, peerTls.result());
            handler.connected(session);
            read(session, tls);
        } catch (IOException e) {
            LOG.info("BFCP connection from {} ended: {}", peer, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("BFCP connection from {} closed after an internal error", peer, e);
        } finally {
            if (session != null) {
                session.close();
                try {
                    handler.closed(session);
                } catch (RuntimeException e) {
                    LOG.warn("BFCP handler failed on close of {}", session, e);
                }
            }
            quietlyClose(socket);
            sockets.remove(socket);
        }
    }

    private void read(BfcpSession session, TlsServerProtocol tls) throws IOException {
        BfcpFrameReader frames = new BfcpFrameReader(tls.getInputStream(), options.maxMessageBytes());
        BfcpLeg leg = session.leg();
        while (session.isOpen()) {
            byte[] bytes;
            try {
                bytes = frames.next();
            } catch (BfcpException e) {
                // The stream cannot be delimited past this header: answer, then close (RFC 8855 §13.7).
                LOG.info("BFCP from {}: {}; closing", leg, e.getMessage());
                answerError(session, e, e.header().orElse(CommonHeader.request(leg.conferenceId(), 0,
                        leg.userId())));
                return;
            } catch (EOFException e) {
                LOG.info("BFCP from {}: stream ended inside a message", leg);
                return;
            }
            if (bytes == null) {
                LOG.info("BFCP connection of {} closed by the client", leg);
                return;
            }
            BfcpMessage m;
            try {
                m = BfcpCodec.decode(bytes);
            } catch (BfcpException e) {
                LOG.info("BFCP from {} refused: {}", leg, e.getMessage());
                answerError(session, e, e.header().orElseThrow());
                continue;
            }
            CommonHeader h = m.header();
            if (h.conferenceId() != leg.conferenceId() || h.userId() != leg.userId()) {
                // docs/profile.md §6: the leg's a=confid / a=userid bind its PSK; anything else is someone else's.
                LOG.warn("BFCP from {}: {} claims conference {} user {}: Unauthorized Operation", leg,
                        m.primitive(), h.conferenceId(), h.userId());
                session.send(BfcpError.of(h.response(), ErrorCode.UNAUTHORIZED_OPERATION,
                        "Conference ID and User ID must be this connection's"));
                continue;
            }
            handler.message(session, m);
        }
    }

    private static void answerError(BfcpSession session, BfcpException e, CommonHeader h) throws IOException {
        BfcpError answer = e.errorCode() == ErrorCode.UNKNOWN_MANDATORY_ATTRIBUTE
                ? BfcpError.unknownMandatoryAttributes(h.response(), e.unknownAttributes().subList(0,
                        Math.min(e.unknownAttributes().size(), 200)))
                : new BfcpError(h.response(), e.errorCode(), List.of(), Optional.of(e.errorCode().text()));
        session.send(answer);
    }

    private static void quietlyClose(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // nothing to do
        }
        for (Socket s : sockets) {
            quietlyClose(s);
        }
        pool.shutdownNow();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
