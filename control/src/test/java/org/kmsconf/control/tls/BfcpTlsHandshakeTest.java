package org.kmsconf.control.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kmsconf.control.tls.TlsFixture.BOB_ID;

import java.io.IOException;
import java.time.Duration;
import java.util.Vector;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NewSessionTicket;
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.PskKeyExchangeMode;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsSession;
import org.junit.jupiter.api.Test;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.Hello;
import org.kmsconf.control.bfcp.message.HelloAck;
import org.kmsconf.mikey.crypto.KeyMaterial;

/**
 * docs/profile.md §6 on real loopback sockets: what the BFCP TLS port accepts (TLS 1.3 psk_dhe_ke with our PSK;
 * TLS 1.2 ECDHE-PSK 0xD001 when enabled) and what it refuses (a wrong PSK, an unknown identity, pure-PSK and
 * certificate suites, psk_ke, TLS 1.1, resumption). The refused clients are Bouncy Castle's own stock clients
 * (PSKTlsClient, DefaultTlsClient), restricted to what each case offers; each holds genuine credentials where the
 * case allows it.
 */
class BfcpTlsHandshakeTest {
    private static final Duration T = Duration.ofSeconds(5);

    private static BfcpMessage hello(BfcpTlsClient c, int user) throws IOException, TimeoutException {
        return c.request(new Hello(CommonHeader.request(TlsFixture.CONF, 1, user)), T);
    }

    @Test
    void tls13WithTheLegsPskAndPskDheKeCompletesAndCarriesBfcp() throws Exception {
        try (TlsFixture f = new TlsFixture(); BfcpTlsClient bob = f.bob(TlsPolicy.tls13Only())) {
            assertThat(bob.handshake().protocol()).isEqualTo("TLS 1.3");
            assertThat(bob.handshake().cipherSuite()).isEqualTo(CipherSuite.TLS_AES_128_GCM_SHA256);
            assertThat(hello(bob, 2)).isInstanceOf(HelloAck.class);
            BfcpSession s = f.awaitSessions(1).get(0);
            assertThat(s.leg().identity()).isEqualTo(BOB_ID);
            assertThat(s.handshake().resumed()).isFalse();
        }
    }

    @Test
    void tls12EcdhePskWhenEnabledOnBothSides() throws Exception {
        TlsPolicy both = TlsPolicy.tls13Only().withTls12EcdhePsk();
        try (TlsFixture f = new TlsFixture(BfcpTlsServer.Options.defaults().withTls(both))) {
            // Bouncy Castle's stock PSK client restricted to TLS 1.2 and 0xD001.
            TlsClientProtocol tls = f.handshake(new Tls12PskClient(f, CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256,
                    f.bobPsk));
            assertThat(f.awaitSessions(1)).hasSize(1);
            assertThat(f.sessions.get(0).handshake().protocol()).isEqualTo("TLS 1.2");
            assertThat(f.sessions.get(0).handshake().cipherSuite()).isEqualTo(0xD001);
            tls.close();
            // Our own client with the fallback enabled still prefers TLS 1.3.
            try (BfcpTlsClient bob = f.bob(both)) {
                assertThat(bob.handshake().protocol()).isEqualTo("TLS 1.3");
            }
        }
    }

    @Test
    void tls12IsRefusedUnlessEnabled() throws Exception {
        try (TlsFixture f = new TlsFixture()) {
            assertThatThrownBy(() -> f.handshake(new Tls12PskClient(f,
                    CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256, f.bobPsk))).isInstanceOf(IOException.class);
            assertThat(f.sessions).isEmpty();
        }
    }

    @Test
    void aWrongPskEndsTheHandshake() throws Exception {
        try (TlsFixture f = new TlsFixture()) {
            KeyMaterial wrong = KeyMaterial.of(TlsFixture.random(16));
            assertThatThrownBy(() -> BfcpTlsClient.connect(f.address(), BOB_ID, wrong, TlsPolicy.tls13Only(),
                    m -> { }, null)).isInstanceOf(IOException.class);
            // carol's genuine PSK under bob's identity: also wrong
            assertThatThrownBy(() -> BfcpTlsClient.connect(f.address(), BOB_ID, f.carolPsk, TlsPolicy.tls13Only(),
                    m -> { }, null)).isInstanceOf(IOException.class);
            assertThat(f.sessions).isEmpty();
            assertThat(f.awaitFailedHandshakes(2)).isEqualTo(2);
        }
    }

    @Test
    void aWrongPskEndsATls12HandshakeToo() throws Exception {
        TlsPolicy both = TlsPolicy.tls13Only().withTls12EcdhePsk();
        try (TlsFixture f = new TlsFixture(BfcpTlsServer.Options.defaults().withTls(both))) {
            assertThatThrownBy(() -> f.handshake(new Tls12PskClient(f,
                    CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256, f.carolPsk))).isInstanceOf(IOException.class);
            assertThat(f.sessions).isEmpty();
        }
    }

    @Test
    void anUnknownIdentityEndsTheHandshake() throws Exception {
        try (TlsFixture f = new TlsFixture()) {
            assertThatThrownBy(() -> BfcpTlsClient.connect(f.address(), new PskIdentity(0x99999999), f.bobPsk,
                    TlsPolicy.tls13Only(), m -> { }, null)).isInstanceOf(IOException.class);
            f.legs.remove(BOB_ID); // a leg that ended: its identity is unknown from now on
            assertThatThrownBy(() -> f.bob(TlsPolicy.tls13Only())).isInstanceOf(IOException.class);
            assertThat(f.sessions).isEmpty();
        }
    }

    @Test
    void aClientOfferingOnlyAPurePskSuiteIsRefused() throws Exception {
        TlsPolicy both = TlsPolicy.tls13Only().withTls12EcdhePsk();
        try (TlsFixture f = new TlsFixture(BfcpTlsServer.Options.defaults().withTls(both))) {
            for (int suite : new int[] {CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
                    CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA, CipherSuite.TLS_DHE_PSK_WITH_AES_128_GCM_SHA256}) {
                assertThatThrownBy(() -> f.handshake(new Tls12PskClient(f, suite, f.bobPsk)))
                        .as("suite 0x%04x", suite).isInstanceOf(IOException.class);
            }
            assertThat(f.sessions).isEmpty();
        }
    }

    @Test
    void aClientOfferingOnlyCertificateSuitesIsRefused() throws Exception {
        TlsPolicy both = TlsPolicy.tls13Only().withTls12EcdhePsk();
        try (TlsFixture f = new TlsFixture(BfcpTlsServer.Options.defaults().withTls(both))) {
            assertThatThrownBy(() -> f.handshake(new CertificateClient(ProtocolVersion.TLSv12,
                    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256))).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> f.handshake(new CertificateClient(ProtocolVersion.TLSv12,
                    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256))).isInstanceOf(IOException.class);
            // TLS 1.3 without any PSK would need the server's certificate: there is none.
            assertThatThrownBy(() -> f.handshake(new CertificateClient(ProtocolVersion.TLSv13,
                    CipherSuite.TLS_AES_128_GCM_SHA256))).isInstanceOf(IOException.class);
            assertThat(f.sessions).isEmpty();
        }
    }

    @Test
    void aClientOfferingOnlyPskKeIsRefused() throws Exception {
        try (TlsFixture f = new TlsFixture()) {
            PskTlsClientPeer pskKeOnly = new PskTlsClientPeer(TlsFixture.crypto(), TlsPolicy.tls13Only(), BOB_ID,
                    f.bobPsk.bytes()) {
                @Override
                public short[] getPskKeyExchangeModes() {
                    return new short[] {PskKeyExchangeMode.psk_ke};
                }
            };
            assertThatThrownBy(() -> f.handshake(pskKeOnly)).isInstanceOf(IOException.class);
            assertThat(f.sessions).isEmpty();
        }
    }

    @Test
    void tlsBelow12IsRefused() throws Exception {
        TlsPolicy both = TlsPolicy.tls13Only().withTls12EcdhePsk();
        try (TlsFixture f = new TlsFixture(BfcpTlsServer.Options.defaults().withTls(both))) {
            Tls12PskClient tls11 = new Tls12PskClient(f, CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA, f.bobPsk) {
                @Override
                protected ProtocolVersion[] getSupportedVersions() {
                    return ProtocolVersion.TLSv11.only();
                }
            };
            assertThatThrownBy(() -> f.handshake(tls11)).isInstanceOf(IOException.class);
            assertThat(f.sessions).isEmpty();
        }
    }

    @Test
    void noSessionIsResumedAndNoTicketIsIssued() throws Exception {
        TlsPolicy both = TlsPolicy.tls13Only().withTls12EcdhePsk();
        try (TlsFixture f = new TlsFixture(BfcpTlsServer.Options.defaults().withTls(both))) {
            Tls12PskClient first = new Tls12PskClient(f, CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256,
                    f.bobPsk);
            TlsClientProtocol tls = f.handshake(first);
            TlsSession session = first.session;
            tls.close();
            assertThat(session == null || session.getSessionID().length == 0)
                    .as("the server gives no session ID to resume").isTrue();
            Tls12PskClient second = new Tls12PskClient(f, CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256,
                    f.bobPsk);
            second.resume = session;
            f.handshake(second).close();
            assertThat(f.awaitSessions(2)).hasSize(2).allSatisfy(s -> assertThat(s.handshake().resumed()).isFalse());

            // TLS 1.3: the client would take a ticket; none comes.
            AtomicInteger tickets = new AtomicInteger();
            PskTlsClientPeer counting = new PskTlsClientPeer(TlsFixture.crypto(), TlsPolicy.tls13Only(), BOB_ID,
                    f.bobPsk.bytes()) {
                @Override
                public void notifyNewSessionTicket(NewSessionTicket t) {
                    tickets.incrementAndGet();
                }
            };
            TlsClientProtocol t13 = f.handshake(counting);
            t13.getOutputStream().write(org.kmsconf.control.bfcp.BfcpCodec.encode(
                    new Hello(CommonHeader.request(TlsFixture.CONF, 9, 2))));
            byte[] answer = new org.kmsconf.control.bfcp.BfcpFrameReader(t13.getInputStream()).next();
            assertThat(org.kmsconf.control.bfcp.BfcpCodec.decode(answer)).isInstanceOf(HelloAck.class);
            t13.close();
            assertThat(tickets).hasValue(0);
        }
    }

    // ---------------------------------------------------------------------------------- test clients

    /** Bouncy Castle's stock PSK client, TLS 1.2, one suite, bob's identity. */
    static class Tls12PskClient extends PSKTlsClient {
        private final int suite;
        TlsSession resume;
        TlsSession session;

        Tls12PskClient(TlsFixture f, int suite, KeyMaterial psk) {
            super(TlsFixture.crypto(), BOB_ID.bytes(), psk.bytes());
            this.suite = suite;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.TLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {suite};
        }

        @Override
        public TlsSession getSessionToResume() {
            return resume;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            session = context.getSession();
        }
    }

    /** Bouncy Castle's stock certificate client, one version and suite, accepting any server certificate. */
    static final class CertificateClient extends DefaultTlsClient {
        private final ProtocolVersion version;
        private final int suite;

        CertificateClient(ProtocolVersion version, int suite) {
            super(TlsFixture.crypto());
            this.version = version;
            this.suite = suite;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return version.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {suite};
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new ServerOnlyTlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate c) {
                    // would accept anything: the point is that the server has nothing to send
                }
            };
        }

        @Override
        public Vector getExternalPSKs() {
            return null;
        }
    }
}
