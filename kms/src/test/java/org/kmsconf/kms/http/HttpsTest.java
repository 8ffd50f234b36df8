package org.kmsconf.kms.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.Ua;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.kmsclient.KmsException;

/** The KMS over HTTPS (keystore from configuration), with a client trusting its certificate, and one that does not. */
class HttpsTest {
    @TempDir
    Path dir;

    @Test
    void ticketRequestOverTls() throws Exception {
        Path ks = dir.resolve("kms.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias",
                "kms", "-dname", "CN=kms.operator", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore",
                ks.toString(), "-storetype", "PKCS12", "-storepass", "test-pass").redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();

        KmsConfig cfg = KmsConfig.inMemory().tlsKeystore(ks).tlsKeystorePassword("test-pass").build();
        try (KmsServer kms = KmsServer.start(cfg)) {
            assertThat(kms.uri().getScheme()).isEqualTo("https");
            Ua alice = new Ua(kms.admin().addUser(NewUser.of("alice", "sip:alice@operator")), "sip:alice@operator");
            kms.admin().addUser(NewUser.of("bob", "sip:bob@operator"));

            KmsClient trusting = KmsClient.builder().address(kms.uri()).sslContext(trusting(ks)).build();
            assertThat(alice.requestTicket(trusting, kms.kmsIdentity(), "sip:bob@operator").responders())
                    .containsExactly("sip:bob@operator");

            KmsClient stranger = KmsClient.builder().address(kms.uri()).build();
            assertThatThrownBy(() -> stranger.exchange(alice.ticketRequest(kms.kmsIdentity(), "sip:bob@operator")
                    .message())).isInstanceOf(KmsException.class);
        }
    }

    static SSLContext trusting(Path p12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "test-pass".toCharArray());
        }
        Certificate cert = ks.getCertificate("kms");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("kms", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
