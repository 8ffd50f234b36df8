package org.kmsconf.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.kms.http.HttpConfig;

class KmsConfigTest {

    static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void propertiesOverrideDefaults() {
        KmsConfig c = KmsConfigFile.fromProperties(props("kms.listen", "[::1]:9443", "kms.ticket-validity", "8h",
                "kms.clock-skew", "PT2M", "kms.jdbc-url", "jdbc:postgresql://db/kms", "kms.policy.default", "deny",
                "kms.identity", "sip:kms.example", "kms.cache-ttl", "0s", "other.key", "ignored")).build();
        assertThat(c.http().listenHost()).isEqualTo("::1");
        assertThat(c.http().listenPort()).isEqualTo(9443);
        assertThat(c.ticketValidity()).isEqualTo(Duration.ofHours(8));
        assertThat(c.ticketMaxValidity()).isEqualTo(Duration.ofDays(7));
        assertThat(c.clockSkew()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.store().isPostgres()).isTrue();
        assertThat(c.effectiveSharedReplay()).isTrue();
        assertThat(c.defaultAllow()).isFalse();
        assertThat(c.store().cacheTtl()).isZero();
    }

    @Test
    void defaultsAreAnH2FileUnderTheDataDirWithoutSharedReplay() {
        KmsConfig c = KmsConfig.builder().dataDir(Path.of("/var/lib/kms")).build();
        // owner-only files, and no AUTO_SERVER / TCP server: the embedded store has no network listener
        assertThat(c.store().effectiveJdbcUrl()).startsWith("jdbc:h2:owneronly:/var/lib/kms/kms;")
                .doesNotContainIgnoringCase("AUTO_SERVER").doesNotContainIgnoringCase("tcp");
        assertThat(c.store().isH2File()).isTrue();
        assertThat(c.effectiveAdminSocket()).isEqualTo(Path.of("/var/lib/kms/admin.sock"));
        assertThat(c.effectiveSharedReplay()).isFalse();
        assertThat(c.store().effectiveMasterKeyFile()).isEqualTo(Path.of("/var/lib/kms/master.key"));
        assertThat(c.kmsIdentity()).isEqualTo("sip:kms.operator");
    }

    @Test
    void requestsAreAnsweredOnIoThreadsOnlyWhereNothingOnTheirPathWaits(@TempDir Path dir) {
        KmsConfig embedded = KmsConfig.builder().dataDir(dir).build();
        assertThat(KmsServer.answerOnIoThreadsRefusal(embedded)).isNull();
        assertThat(KmsServer.answerOnIoThreadsRefusal(KmsConfig.inMemory().build())).isNull();
        assertThat(KmsServer.answerOnIoThreadsRefusal(embedded.toBuilder().replayFsync(true).build()))
                .contains("kms.replay.fsync");
        assertThat(KmsServer.answerOnIoThreadsRefusal(embedded.toBuilder().sharedReplay(true).build()))
                .contains("shared replay guard");
        assertThat(KmsServer.answerOnIoThreadsRefusal(KmsConfigFile.fromProperties(props(
                "kms.jdbc-url", "jdbc:postgresql://db/kms", "kms.replay.shared", "false")).build()))
                .contains("across the network");
        KmsConfig off = KmsConfigFile.fromProperties(props("kms.http.answer-on-io-threads", "false",
                "kms.http.io-threads", "3")).build();
        assertThat(off.http().ioThreads()).isEqualTo(3);
        assertThat(KmsServer.answerOnIoThreadsRefusal(off)).contains("answer-on-io-threads is false");
        assertThat(KmsConfig.builder().build().http().ioThreads()).isEqualTo(HttpConfig.DEFAULT_IO_THREADS);
        assertThatThrownBy(() -> KmsConfig.builder().ioThreads(0).build()).hasMessageContaining("I/O threads");

        // and the running server does what the configuration says
        try (KmsServer on = KmsServer.start(embedded.toBuilder().listenPort(0).build());
                KmsServer pool = KmsServer.start(KmsConfig.builder().dataDir(dir.resolve("fsync")).listenPort(0)
                        .replayFsync(true).build())) {
            assertThat(on.answersOnIoThreads()).isTrue();
            assertThat(pool.answersOnIoThreads()).isFalse();
        }
    }

    @Test
    void typosAndBadValuesAreOneLineErrors() {
        assertThatThrownBy(() -> KmsConfigFile.fromProperties(props("kms.tickt-validity", "1h")))
                .hasMessage("unknown configuration property kms.tickt-validity");
        assertThatThrownBy(() -> KmsConfigFile.fromProperties(props("kms.clock-skew", "soon")))
                .hasMessageContaining("not a duration");
        assertThatThrownBy(() -> KmsConfigFile.fromProperties(props("kms.listen", "8180")))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> KmsConfig.builder().ticketValidity(Duration.ZERO).build())
                .hasMessageContaining("positive");
    }

    @Test
    void secretsStayOutOfToString() {
        KmsConfig c = KmsConfig.inMemory().jdbcUrl("jdbc:postgresql://db/kms?password=hunter2").jdbcPassword("pw")
                .build();
        assertThat(c.toString()).doesNotContain("hunter2").doesNotContain(c.store().masterKeyHex());
    }
}
