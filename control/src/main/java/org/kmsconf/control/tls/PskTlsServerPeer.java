package org.kmsconf.control.tls;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Vector;
import org.bouncycastle.tls.AbstractTlsServer;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.BasicTlsPSKExternal;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.RenegotiationPolicy;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsPSKExternal;
import org.bouncycastle.tls.TlsPSKIdentityManager;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one BFCP TLS handshake on Bouncy Castle's TLS API: TLS 1.3 external PSK (psk_dhe_ke only;
 * Bouncy Castle's server selects no other mode), or TLS 1.2 ECDHE-PSK when the policy allows it, the PSK found by
 * psk_identity through the {@link BfcpLegDirectory}. No certificate exists, so a client that offers no usable PSK
 * (an unknown identity, a certificate-only or pure-PSK suite list) fails the handshake; a wrong PSK fails the TLS 1.3
 * binder or the TLS 1.2 Finished. No session IDs, tickets or resumption; renegotiation is refused.
 */
final class PskTlsServerPeer extends AbstractTlsServer {
    private static final Logger LOG = LoggerFactory.getLogger(PskTlsServerPeer.class);

    private final TlsPolicy policy;
    private final BfcpLegDirectory legs;
    private final String peer;
    private volatile BfcpLeg leg;
    private volatile HandshakeResult result;

    PskTlsServerPeer(TlsCrypto crypto, TlsPolicy policy, BfcpLegDirectory legs, String peer) {
        super(crypto);
        this.policy = policy;
        this.legs = legs;
        this.peer = peer;
    }

    /** The leg whose PSK the handshake used (set once the identity is known, trusted only after the handshake). */
    BfcpLeg leg() {
        return leg;
    }

    HandshakeResult result() {
        return result;
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
    public int[] getSupportedGroups() {
        return TlsProfile.GROUPS.clone();
    }

    @Override
    public boolean preferLocalSupportedGroups() {
        return true;
    }

    /** TLS 1.2 ECDHE: x25519, then secp256r1, among the client's groups; nothing else. */
    @Override
    protected int selectECDH(int minimumCurveBits) {
        int[] client = context.getSecurityParametersHandshake().getClientSupportedGroups();
        for (int g : TlsProfile.GROUPS) {
            if (client == null || Arrays.stream(client).anyMatch(c -> c == g)) {
                return g;
            }
        }
        return -1;
    }

    @Override
    public short[] getPskKeyExchangeModes() {
        return TlsProfile.PSK_MODES.clone();
    }

    /** TLS 1.3 (RFC 8446 §4.2.11): the first offered identity of our form that names a known leg. */
    @Override
    public TlsPSKExternal getExternalPSK(Vector identities) {
        for (Object o : identities) {
            byte[] id = ((org.bouncycastle.tls.PskIdentity) o).getIdentity();
            Optional<BfcpLeg> found = find(id);
            if (found.isPresent()) {
                return new BasicTlsPSKExternal(id, secret(found.get()), TlsProfile.PSK_PRF);
            }
        }
        LOG.info("BFCP TLS from {}: no known psk_identity offered", peer);
        return null;
    }

    /** TLS 1.2 (RFC 4279 §5.3): the PSK for the identity in ClientKeyExchange, or null (unknown_psk_identity). */
    @Override
    public TlsPSKIdentityManager getPSKIdentityManager() {
        return new TlsPSKIdentityManager() {
            @Override
            public byte[] getHint() {
                return null;
            }

            @Override
            public byte[] getPSK(byte[] identity) {
                Optional<BfcpLeg> found = find(identity);
                if (found.isEmpty()) {
                    LOG.info("BFCP TLS 1.2 from {}: unknown psk_identity", peer);
                    return null;
                }
                return found.get().psk().bytes();
            }
        };
    }

    private Optional<BfcpLeg> find(byte[] identity) {
        Optional<BfcpLeg> found = PskIdentity.parse(identity).flatMap(legs::lookup);
        found.ifPresent(l -> this.leg = l);
        return found;
    }

    private org.bouncycastle.tls.crypto.TlsSecret secret(BfcpLeg l) {
        byte[] k = l.psk().bytes();
        try {
            return getCrypto().createSecret(k);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /**
     * Reached only when no PSK was selected (TLS 1.3) or for a suite that needs a certificate: there is none, so the
     * handshake ends. ECDHE-PSK in TLS 1.2 needs no credentials.
     */
    @Override
    public TlsCredentials getCredentials() throws IOException {
        if (context.getSecurityParametersHandshake().getNegotiatedVersion().equals(ProtocolVersion.TLSv12)
                && selectedCipherSuite == TlsProfile.TLS12_SUITE) {
            return null;
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "this port only speaks TLS with a MIKEY PSK");
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public TlsSession getSessionToResume(byte[] sessionID) {
        return null;
    }

    @Override
    public byte[] getNewSessionID() {
        return null;
    }

    @Override
    public int getRenegotiationPolicy() {
        return RenegotiationPolicy.DENY;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        result = HandshakeResult.of(context);
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
        if (level == AlertLevel.fatal) {
            LOG.info("BFCP TLS from {}: handshake/connection failed, alert {} sent{}", peer,
                    AlertDescription.getText(description), message == null ? "" : " (" + message + ")");
        }
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        if (level == AlertLevel.fatal) {
            LOG.info("BFCP TLS from {}: alert {} received", peer, AlertDescription.getText(description));
        }
    }
}
