package org.kmsconf.control.tls;

/** What a completed handshake negotiated (for logs and tests): "TLSv1.3", the cipher suite number, the group. */
public record HandshakeResult(String protocol, int cipherSuite, boolean resumed) {
    @Override
    public String toString() {
        return protocol + " suite 0x" + Integer.toHexString(cipherSuite) + (resumed ? " (resumed)" : "");
    }
}
