package org.kmsconf.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A user agent's runtime class path (this module's runtime dependencies, as Maven resolved them for this build:
 * {@code target/runtime-classpath.txt}, written by the dependency plugin) holds no server jar: no Jetty, no H2, no
 * PostgreSQL driver, no Flyway, no connection pool, no Prometheus registry, neither the KMS server nor the conference
 * server's admin interface. Those belong to {@code kms} and {@code conference-ops}, which nothing here depends on.
 */
class RuntimeClasspathTest {
    private static final List<String> SERVER_JARS = List.of("jetty-", "h2-", "postgresql-", "flyway-", "HikariCP-",
            "micrometer-registry-prometheus", "prometheus-metrics-", "kmsconf-kms-0", "kmsconf-conference-ops");

    @Test
    void aUserAgentsRuntimeClassPathHoldsNoServerJar() throws Exception {
        Path file = Path.of("target", "runtime-classpath.txt");
        assertThat(file).as("written by the maven-dependency-plugin at generate-test-resources").exists();
        List<String> entries = Arrays.stream(Files.readString(file).strip().split(File.pathSeparator)).toList();
        List<String> jars = entries.stream().map(p -> Path.of(p).getFileName().toString()).toList();
        // the list is the real one: what a user agent needs is on it (a module of this build may appear as its jar or,
        // in a reactor build that did not package it, as its target/classes)
        assertThat(jars).anyMatch(j -> j.startsWith("jain-sip-ri-"));
        assertThat(entries).anyMatch(e -> e.contains("kms-client")).anyMatch(e -> e.contains("media"))
                .anyMatch(e -> e.contains("mikey"));
        for (String server : SERVER_JARS) {
            assertThat(jars).as("server jars on a user agent's class path").noneMatch(j -> j.startsWith(server));
        }
        assertThat(entries).as("the KMS server or the admin interface on a user agent's class path")
                .noneMatch(e -> e.matches(".*[/\\\\]kms[/\\\\]target[/\\\\].*") || e.contains("conference-ops"));
    }
}
