package org.kmsconf.control.tls;

import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsContext;

/** What a completed handshake negotiated (for logs and tests): "TLSv1.3", the cipher suite number, the group. */
public record HandshakeResult(String protocol, int cipherSuite, boolean resumed) {

    /** Read from the connection's security parameters once either peer's handshake has completed. */
    static HandshakeResult of(TlsContext context) {
        SecurityParameters sp = context.getSecurityParametersConnection();
        return new HandshakeResult(sp.getNegotiatedVersion().toString(), sp.getCipherSuite(), sp.isResumedSession());
    }

    @Override
    public String toString() {
        return protocol + " suite 0x" + Integer.toHexString(cipherSuite) + (resumed ? " (resumed)" : "");
    }
}
