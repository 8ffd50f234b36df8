package org.kmsconf.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.ops.client.AdminClient;
import org.kmsconf.sip.ue.UserAgent;

/** The admin interface over TLS when configured with a keystore: HTTPS only, and the console's cookie is Secure. */
class AdminTlsTest {
    @TempDir
    Path dir;

    @Test
    void withAKeystoreTheInterfaceSpeaksOnlyHttps() throws Exception {
        Path keystore = dir.resolve("admin.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias",
                "admin", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype",
                "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(new String(p.getInputStream()
                .readAllBytes())).isTrue();
        try (OpsWorld w = new OpsWorld(dir, false, c -> c.withTls(keystore, "changeit", "PKCS12"))) {
            assertThat(w.ops.uri().getScheme()).isEqualTo("https");
            UserAgent alice = w.ue("alice");
            String focus = alice.createConference(OpsWorld.FACTORY, List.of()).focusUri();
            AdminClient api = new AdminClient(w.ops.uri(), w.token(), null, trusting(keystore));
            assertThat(api.conferences().toString()).contains(focus);
            // the certificate is checked: a client that does not trust it gets nowhere
            assertThatThrownBy(() -> new AdminClient(w.ops.uri(), w.token(), null, null).conferences())
                    .hasMessageContaining("cannot reach");
            // plain HTTP on the same port is not served
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            URI http = URI.create("http://127.0.0.1:" + w.ops.uri().getPort() + "/health");
            assertThatThrownBy(() -> {
                HttpResponse<String> r = plain.send(HttpRequest.newBuilder(http).timeout(Duration.ofSeconds(3))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isNotEqualTo(200);
                throw new java.io.IOException("HTTP " + r.statusCode());
            }).isInstanceOf(java.io.IOException.class);
            HttpClient tls = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            HttpResponse<String> login = tls.send(HttpRequest.newBuilder(URI.create(w.ops.uri() + "/api/session"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + w.token() + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure", "HttpOnly");
        }
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("admin", ks.getCertificate("admin"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
