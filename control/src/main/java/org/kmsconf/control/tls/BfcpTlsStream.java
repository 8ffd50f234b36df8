package org.kmsconf.control.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import org.bouncycastle.tls.TlsProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS stream of one BFCP connection once its handshake is done, the same at both ends: what the handshake
 * negotiated, whole messages written one at a time, and a close that sends close_notify before closing the socket.
 * {@code name} says whose connection it is in debug lines.
 */
final class BfcpTlsStream {
    private static final Logger LOG = LoggerFactory.getLogger(BfcpTlsStream.class);

    private final Socket socket;
    private final TlsProtocol tls;
    private final OutputStream out;
    private final HandshakeResult handshake;
    private final String name;
    private volatile boolean closed;

    BfcpTlsStream(Socket socket, TlsProtocol tls, HandshakeResult handshake, String name) {
        this.socket = socket;
        this.tls = tls;
        this.out = tls.getOutputStream();
        this.handshake = handshake;
        this.name = name;
    }

    Socket socket() {
        return socket;
    }

    HandshakeResult handshake() {
        return handshake;
    }

    InputStream input() {
        return tls.getInputStream();
    }

    /** False once {@link #close} has run or the peer's close_notify has been read. */
    boolean isOpen() {
        return !closed && !tls.isClosed();
    }

    /**
     * Writes one encoded message whole; concurrent writers queue.
     *
     * @throws IOException {@code closedMessage} when the stream is already closed, or the write failed
     */
    synchronized void write(byte[] message, String closedMessage) throws IOException {
        if (!isOpen()) {
            throw new IOException(closedMessage);
        }
        out.write(message);
        out.flush();
    }

    /** Closes TLS, then the socket; the first call does it, later ones return false. Never waits for a writer. */
    boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        try {
            tls.close();
        } catch (IOException e) {
            LOG.debug("closing TLS of {}: {}", name, e.toString());
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing socket of {}: {}", name, e.toString());
        }
        return true;
    }
}
