package org.kmsconf.control.tls;

import java.io.IOException;
import java.util.Arrays;
import java.util.Vector;
import org.bouncycastle.tls.AbstractTlsClient;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.BasicTlsPSKExternal;
import org.bouncycastle.tls.BasicTlsPSKIdentity;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.RenegotiationPolicy;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsPSK;
import org.bouncycastle.tls.TlsPSKIdentity;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * The client side of one BFCP TLS handshake: offers our external PSK with psk_dhe_ke, TLS_AES_128_GCM_SHA256 and
 * key shares for x25519 / secp256r1 (and, when the policy allows it, TLS 1.2 ECDHE-PSK). A server that answers
 * without our PSK, or with a certificate, fails the handshake. Never resumes.
 */
class PskTlsClientPeer extends AbstractTlsClient { // not final: tests vary one choice at a time
    private final TlsPolicy policy;
    private final PskIdentity identity;
    private final byte[] psk;
    private volatile HandshakeResult result;

    /** {@code psk} is copied; the caller keeps and zeroes its own. */
    PskTlsClientPeer(TlsCrypto crypto, TlsPolicy policy, PskIdentity identity, byte[] psk) {
        super(crypto);
        this.policy = policy;
        this.identity = identity;
        this.psk = psk.clone();
    }

    HandshakeResult result() {
        return result;
    }

    void destroy() {
        Arrays.fill(psk, (byte) 0);
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return TlsProfile.versions(policy);
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsProfile.suites(policy);
    }

    @Override
    protected Vector getSupportedGroups(Vector namedGroupRoles) {
        Vector<Integer> v = new Vector<>();
        for (int g : TlsProfile.GROUPS) {
            v.add(g);
        }
        return v;
    }

    @Override
    public short[] getPskKeyExchangeModes() {
        return TlsProfile.PSK_MODES.clone();
    }

    @Override
    public Vector getExternalPSKs() {
        Vector<Object> v = new Vector<>();
        v.add(new BasicTlsPSKExternal(identity.bytes(), getCrypto().createSecret(psk), TlsProfile.PSK_PRF));
        return v;
    }

    @Override
    public TlsPSKIdentity getPSKIdentity() {
        return new BasicTlsPSKIdentity(identity.bytes(), psk);
    }

    /** RFC 8446 §4.2.11: a TLS 1.3 server that did not select our PSK would authenticate by certificate: refuse. */
    @Override
    public void notifySelectedPSK(TlsPSK selectedPSK) throws IOException {
        if (selectedPSK == null
                && context.getSecurityParametersHandshake().getNegotiatedVersion().equals(ProtocolVersion.TLSv13)) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "the server did not accept our PSK");
        }
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        result = HandshakeResult.of(context);
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new ServerOnlyTlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "a certificate on a PSK-only port");
            }
        };
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public TlsSession getSessionToResume() {
        return null;
    }

    @Override
    public int getRenegotiationPolicy() {
        return RenegotiationPolicy.DENY;
    }
}
