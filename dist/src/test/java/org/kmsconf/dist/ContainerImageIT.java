package org.kmsconf.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image Jib wrote as a tar (no Docker daemon here): its manifest and configuration (entrypoint, a
 * non-root user, the ports and the volume), and its layers, unpacked into a root file system, run as a container
 * runtime would: in a mount namespace of their own with /proc and the host's /etc/hosts, as user 65532 — the
 * command line starts, {@code kms init} creates a store, and {@code kms serve} answers {@code /health}.
 */
@Tag("external")
class ContainerImageIT {
    @TempDir
    Path tmp;

    @Test
    void theImageRunsTheCommandLineAndAKmsAsANonRootUser() throws Exception {
        Release.requireRoot("chroot and a mount namespace stand in for a container runtime");
        Path x = Files.createDirectories(tmp.resolve("image"));
        Release.Result untar = Release.run(tmp, 120, List.of("tar", "-xf", Release.image().toString(), "-C",
                x.toString()));
        assertThat(untar.code()).as(untar.output()).isZero();
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(x.resolve("manifest.json").toFile()).get(0);
        assertThat(manifest.path("RepoTags").get(0).asText()).startsWith("kmsconf:");
        JsonNode config = json.readTree(x.resolve(manifest.path("Config").asText()).toFile()).path("config");
        assertThat(config.path("User").asText()).isEqualTo("65532:65532");
        assertThat(config.path("Entrypoint").toString()).contains("/opt/java/bin/java", "org.kmsconf.app.Main");
        assertThat(config.path("ExposedPorts").has("8180/tcp")).isTrue();
        assertThat(config.path("ExposedPorts").has("5060/udp")).isTrue();
        assertThat(config.path("Volumes").has("/var/lib/kmsconf")).isTrue();

        Path root = Files.createDirectories(tmp.resolve("root"));
        for (JsonNode layer : manifest.path("Layers")) {
            Release.Result r = Release.run(tmp, 120, List.of("tar", "--warning=no-unknown-keyword", "-xzf",
                    x.resolve(layer.asText()).toString(), "-C", root.toString()));
            assertThat(r.code()).as(r.output()).isZero();
        }
        assertThat(root.resolve("opt/java/bin/java")).isExecutable();
        assertThat(root.resolve("app/jib-classpath-file")).exists();

        String java = "/opt/java/bin/java -cp @/app/jib-classpath-file org.kmsconf.app.Main";
        assertThat(inImage(root, 60, java + " --version").output()).contains("kmsconf 0.");
        Release.Result init = inImage(root, 120, java + " kms init --data-dir /var/lib/kmsconf/kms");
        assertThat(init.code()).as(init.output()).isZero();
        assertThat(init.output()).contains("KMS store ready");

        int port = Release.freePort();
        Release.Proc serve = Release.Proc.start(tmp, wrap(root, java + " kms serve --data-dir /var/lib/kmsconf/kms"
                + " --listen 127.0.0.1:" + port));
        try {
            serve.await("listening on", 120);
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).isEqualTo("ok\n");
        } finally {
            serve.stop();
        }
        // what the KMS wrote belongs to the image's user, not to root
        Release.Result owner = Release.run(tmp, 10, List.of("stat", "-c", "%u %a",
                root.resolve("var/lib/kmsconf/kms/master.key").toString()));
        assertThat(owner.output().strip()).isEqualTo("65532 600");
    }

    private static Release.Result inImage(Path root, int seconds, String command) throws Exception {
        return Release.run(root.getParent(), seconds, wrap(root, command));
    }

    /** A mount namespace of its own (gone with the process), /proc and the host's /etc/hosts, then chroot. */
    private static List<String> wrap(Path root, String command) {
        String r = root.toString();
        String script = "set -e; mkdir -p " + r + "/proc; mount -t proc proc " + r + "/proc; "
                + "mount --bind /etc/hosts " + r + "/etc/hosts; exec chroot --userspec=65532:65532 " + r + " " + command;
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--fork", "--kill-child", "sh", "-c", script));
        return cmd;
    }
}
