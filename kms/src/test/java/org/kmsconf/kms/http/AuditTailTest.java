package org.kmsconf.kms.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kms.Ua;
import org.kmsconf.kmsclient.KmsClient;

/** {@code GET /audit}: the audit tail for an operator's console, only to the holder of the audit token. */
class AuditTailTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theAuditTailNeedsTheTokenFromAnOwnerOnlyFile() throws Exception {
        Path tokenFile = dir.resolve("audit.token");
        try (KmsServer kms = KmsServer.start(KmsConfig.inMemory().build(), tokenFile)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
            String token = Files.readString(tokenFile).strip();
            assertThat(token).hasSize(43);
            ProvisionedKey alice = kms.admin().addUser(NewUser.of("alice", "sip:alice@operator"));
            kms.admin().addUser(NewUser.of("bob", "sip:bob@operator"));
            try (KmsClient client = KmsClient.builder().address(kms.uri()).build()) {
                new Ua(alice, "sip:alice@operator").requestTicket(client, kms.kmsIdentity(), "sip:bob@operator");
            }
            assertThat(get(kms, "/audit", null).statusCode()).isEqualTo(401);
            String wrong = (token.charAt(0) == 'x' ? "y" : "x") + token.substring(1); // one character off
            assertThat(get(kms, "/audit", wrong).statusCode()).isEqualTo(401);
            HttpResponse<String> ok = get(kms, "/audit?limit=5", token);
            assertThat(ok.statusCode()).isEqualTo(200); // on the same connection as the wrong one (HttpListenerTest)
            assertThat(ok.body().lines().toList()).hasSizeLessThanOrEqualTo(5).first().asString()
                    .contains("REQUEST ISSUED", "initiator=sip:alice@operator", "subject=\"IDRr=[sip:bob@operator]\"");
            // the KMS's own paths are untouched
            assertThat(get(kms, "/health", null).body()).isEqualTo("ok\n");
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(kms.uri() + "/audit"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
        // restarted, the same token; without a token file there is no audit tail at all
        try (KmsServer kms = KmsServer.start(KmsConfig.inMemory().build(), tokenFile)) {
            assertThat(get(kms, "/audit", Files.readString(tokenFile).strip()).statusCode()).isEqualTo(200);
        }
        try (KmsServer kms = KmsServer.start(KmsConfig.inMemory().build())) {
            assertThat(get(kms, "/audit", Files.readString(tokenFile).strip()).statusCode()).isEqualTo(404);
        }
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> KmsServer.start(KmsConfig.inMemory().build(), tokenFile))
                .hasMessageContaining("open to others");
    }

    private HttpResponse<String> get(KmsServer kms, String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(kms.uri() + path)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
