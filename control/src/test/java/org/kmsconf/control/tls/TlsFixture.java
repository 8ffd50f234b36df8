package org.kmsconf.control.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.tls.TlsClient;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.Hello;
import org.kmsconf.control.bfcp.message.HelloAck;
import org.kmsconf.mikey.crypto.KeyMaterial;

/** A BFCP TLS server on loopback with two legs; it answers Hello with HelloAck and records everything else. */
final class TlsFixture implements AutoCloseable {
    static final long CONF = 77;
    static final PskIdentity BOB_ID = new PskIdentity(0x0a0b0c0d);
    static final PskIdentity CAROL_ID = new PskIdentity(0x01020304);
    static final SecureRandom RANDOM = new SecureRandom();

    final KeyMaterial bobPsk = KeyMaterial.of(random(16));
    final KeyMaterial carolPsk = KeyMaterial.of(random(16));
    final Map<PskIdentity, BfcpLeg> legs = new ConcurrentHashMap<>();
    final List<BfcpMessage> received = new CopyOnWriteArrayList<>();
    final List<BfcpSession> sessions = new CopyOnWriteArrayList<>();
    final BfcpTlsServer server;

    TlsFixture(BfcpTlsServer.Options options) throws IOException {
        legs.put(BOB_ID, new BfcpLeg(BOB_ID, bobPsk, CONF, 2));
        legs.put(CAROL_ID, new BfcpLeg(CAROL_ID, carolPsk, CONF, 3));
        server = BfcpTlsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                id -> Optional.ofNullable(legs.get(id)), new BfcpHandler() {
                    @Override
                    public void connected(BfcpSession s) {
                        sessions.add(s);
                    }

                    @Override
                    public void message(BfcpSession s, BfcpMessage m) {
                        received.add(m);
                        if (m instanceof Hello h) {
                            try {
                                s.send(HelloAck.everythingWeSupport(h.header().response()));
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    }
                }, options);
    }

    TlsFixture() throws IOException {
        this(BfcpTlsServer.Options.defaults());
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Waits (up to 5 s) until the server has registered {@code n} authenticated connections. */
    List<BfcpSession> awaitSessions(int n) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (sessions.size() < n && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        return sessions;
    }

    /** Waits (up to 5 s) until the server has counted {@code n} failed handshakes. */
    int awaitFailedHandshakes(int n) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (server.failedHandshakes() < n && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        return server.failedHandshakes();
    }

    InetSocketAddress address() {
        return server.address();
    }

    BfcpTlsClient bob(TlsPolicy policy) throws IOException {
        return BfcpTlsClient.connect(address(), BOB_ID, bobPsk, policy, m -> { }, null);
    }

    /** A handshake with any Bouncy Castle client peer over a fresh socket; the caller closes it. */
    TlsClientProtocol handshake(TlsClient client) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), address().getPort());
        s.setSoTimeout(5000);
        TlsClientProtocol tls = new TlsClientProtocol(s.getInputStream(), s.getOutputStream());
        try {
            tls.connect(client);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return tls;
    }

    static BcTlsCrypto crypto() {
        return new BcTlsCrypto(RANDOM);
    }

    @Override
    public void close() {
        server.close();
    }
}
