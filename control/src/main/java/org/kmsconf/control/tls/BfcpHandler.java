package org.kmsconf.control.tls;

import org.kmsconf.control.bfcp.message.BfcpMessage;

/**
 * What the BFCP TLS server does with authenticated connections. Called on the connection's own thread; a handler
 * that throws has that connection closed, nothing else.
 */
public interface BfcpHandler {
    /** A leg completed its handshake. */
    default void connected(BfcpSession session) {
    }

    /**
     * A well-formed message from the leg, whose Conference ID and User ID are the leg's (others were answered with
     * Error 5 Unauthorized Operation before reaching here).
     */
    void message(BfcpSession session, BfcpMessage message);

    /** The connection is gone (closed by either side, or failed). */
    default void closed(BfcpSession session) {
    }
}
