package org.kmsconf.control.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.bouncycastle.tls.TlsProtocol;
import org.kmsconf.control.bfcp.BfcpCodec;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated BFCP connection at the floor control server: the leg it belongs to, what the handshake
 * negotiated, and a {@link #send} that any thread may call (messages are written whole, one at a time).
 */
public final class BfcpSession {
    private static final Logger LOG = LoggerFactory.getLogger(BfcpSession.class);

    private final Socket socket;
    private final TlsProtocol tls;
    private final OutputStream out;
    private final BfcpLeg leg;
    private final HandshakeResult handshake;
    private volatile boolean closed;

    BfcpSession(Socket socket, TlsProtocol tls, BfcpLeg leg, HandshakeResult handshake) {
        this.socket = socket;
        this.tls = tls;
        this.out = tls.getOutputStream();
        this.leg = leg;
        this.handshake = handshake;
    }

    public BfcpLeg leg() {
        return leg;
    }

    public HandshakeResult handshake() {
        return handshake;
    }

    public InetSocketAddress remote() {
        return (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    public boolean isOpen() {
        return !closed && !tls.isClosed();
    }

    /** Sends one message; an I/O failure closes the connection. */
    public void send(BfcpMessage m) throws IOException {
        byte[] b = BfcpCodec.encode(m);
        synchronized (this) {
            if (!isOpen()) {
                throw new IOException("BFCP connection of " + leg + " is closed");
            }
            try {
                out.write(b);
                out.flush();
            } catch (IOException e) {
                close();
                throw e;
            }
        }
    }

    /** Closes the connection (TLS close_notify, then the socket); the reading thread ends. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            tls.close();
        } catch (IOException e) {
            LOG.debug("closing TLS of {}: {}", leg, e.toString());
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing socket of {}: {}", leg, e.toString());
        }
    }

    @Override
    public String toString() {
        return "BfcpSession[" + leg + ", " + handshake + ", " + socket.getRemoteSocketAddress() + "]";
    }
}
