package org.kmsconf.control.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.kmsconf.control.bfcp.BfcpCodec;
import org.kmsconf.control.bfcp.message.BfcpMessage;

/**
 * One authenticated BFCP connection at the floor control server: the leg it belongs to, what the handshake
 * negotiated, and a {@link #send} that any thread may call (messages are written whole, one at a time).
 */
public final class BfcpSession {
    private final BfcpTlsStream stream;
    private final BfcpLeg leg;

    BfcpSession(BfcpTlsStream stream, BfcpLeg leg) {
        this.stream = stream;
        this.leg = leg;
    }

    public BfcpLeg leg() {
        return leg;
    }

    public HandshakeResult handshake() {
        return stream.handshake();
    }

    public InetSocketAddress remote() {
        return (InetSocketAddress) stream.socket().getRemoteSocketAddress();
    }

    public boolean isOpen() {
        return stream.isOpen();
    }

    /** Sends one message; an I/O failure closes the connection. */
    public void send(BfcpMessage m) throws IOException {
        try {
            stream.write(BfcpCodec.encode(m), "BFCP connection of " + leg + " is closed");
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Closes the connection (TLS close_notify, then the socket); the reading thread ends. */
    public void close() {
        stream.close();
    }

    @Override
    public String toString() {
        return "BfcpSession[" + leg + ", " + stream.handshake() + ", " + remote() + "]";
    }
}
