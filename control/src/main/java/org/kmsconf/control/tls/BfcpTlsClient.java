package org.kmsconf.control.tls;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.kmsconf.control.bfcp.BfcpCodec;
import org.kmsconf.control.bfcp.BfcpException;
import org.kmsconf.control.bfcp.BfcpFrameReader;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BFCP over TLS with a MIKEY-derived PSK, participant side (docs/profile.md §6): connects, completes the handshake
 * within the policy's time limit, then sends requests and matches each answer by Transaction ID (R = 1). Messages
 * the server sends on its own (FloorStatus, FloorRequestStatus notifications) go to the notification consumer, on
 * the connection's reading thread.
 */
public final class BfcpTlsClient implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(BfcpTlsClient.class);

    private final BfcpTlsStream stream;
    private final Consumer<BfcpMessage> notifications;
    private final WireTap tap;
    private final Map<Integer, CompletableFuture<BfcpMessage>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();

    private BfcpTlsClient(BfcpTlsStream stream, Consumer<BfcpMessage> notifications, WireTap tap) {
        this.stream = stream;
        this.notifications = notifications;
        this.tap = tap;
        Thread reader = new Thread(this::readLoop, "bfcp-tls-client-" + stream.socket().getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Connects to a floor control server. {@code psk} is the leg's K(0xB0) (read, not kept). {@code tap} is for
     * tests only (null otherwise).
     *
     * @throws IOException the connection or the handshake failed (a TLS alert included)
     */
    public static BfcpTlsClient connect(InetSocketAddress server, PskIdentity identity, KeyMaterial psk,
            TlsPolicy policy, Consumer<BfcpMessage> notifications, WireTap tap) throws IOException {
        Objects.requireNonNull(notifications, "notifications");
        Socket s = new Socket();
        try {
            int timeout = (int) policy.handshakeTimeout().toMillis();
            s.connect(server, timeout);
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeout);
            TlsClientProtocol tls = new TlsClientProtocol(s.getInputStream(), s.getOutputStream());
            byte[] k = psk.bytes();
            PskTlsClientPeer peer;
            try {
                peer = new PskTlsClientPeer(new BcTlsCrypto(new SecureRandom()), policy, identity, k);
            } finally {
                java.util.Arrays.fill(k, (byte) 0);
            }
            try {
                tls.connect(peer);
            } finally {
                peer.destroy();
            }
            s.setSoTimeout(0);
            LOG.info("BFCP over TLS to {} as {}: {}", server, identity, peer.result());
            return new BfcpTlsClient(new BfcpTlsStream(s, tls, peer.result(), "the BFCP client to " + server),
                    notifications, tap);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    public HandshakeResult handshake() {
        return stream.handshake();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) stream.socket().getLocalSocketAddress();
    }

    public boolean isOpen() {
        return stream.isOpen();
    }

    /** Completes when the connection is gone (closed by either side or failed). */
    public CompletableFuture<Void> closedFuture() {
        return closedFuture;
    }

    /** Sends a message without waiting for anything. */
    public void send(BfcpMessage m) throws IOException {
        byte[] b = BfcpCodec.encode(m);
        stream.write(b, "BFCP connection closed");
        if (tap != null) {
            tap.sent(b);
        }
    }

    /**
     * Sends a request and waits for the answer with its Transaction ID (an Error included).
     *
     * @throws TimeoutException no answer in time
     * @throws IOException the connection failed or closed meanwhile
     */
    public BfcpMessage request(BfcpMessage m, Duration timeout) throws IOException, TimeoutException {
        int tid = m.header().transactionId();
        if (tid == 0 || m.header().responder()) {
            throw new IllegalArgumentException("a request has R = 0 and a non-zero Transaction ID");
        }
        CompletableFuture<BfcpMessage> f = new CompletableFuture<>();
        if (pending.putIfAbsent(tid, f) != null) {
            throw new IllegalStateException("transaction " + tid + " is already open");
        }
        try {
            send(m);
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException("BFCP connection failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pending.remove(tid);
        }
    }

    private void readLoop() {
        BfcpFrameReader frames = new BfcpFrameReader(stream.input());
        try {
            for (byte[] b; (b = frames.next()) != null; ) {
                if (tap != null) {
                    tap.received(b);
                }
                BfcpMessage m = BfcpCodec.decode(b);
                CompletableFuture<BfcpMessage> f = m.header().responder()
                        ? pending.get(m.header().transactionId()) : null;
                if (f != null) {
                    f.complete(m);
                } else {
                    notifications.accept(m);
                }
            }
            LOG.info("BFCP connection closed by the floor control server");
        } catch (BfcpException e) {
            LOG.warn("BFCP from the floor control server cannot be read ({}); closing", e.getMessage());
        } catch (EOFException e) {
            LOG.info("BFCP connection to the floor control server ended inside a message");
        } catch (IOException e) {
            if (stream.isOpen()) {
                LOG.info("BFCP connection to the floor control server failed: {}", e.toString());
            }
        } catch (RuntimeException e) {
            LOG.warn("BFCP notification handler failed; closing", e);
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        if (!stream.close()) {
            return;
        }
        IOException gone = new IOException("BFCP connection closed");
        pending.values().forEach(f -> f.completeExceptionally(gone));
        closedFuture.complete(null);
    }
}
