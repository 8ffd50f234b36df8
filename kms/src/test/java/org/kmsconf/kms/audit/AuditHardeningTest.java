package org.kmsconf.kms.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kms.Ua;
import org.kmsconf.kmsclient.KmsClient;

/**
 * What a peer puts in its messages cannot forge audit lines or drive a terminal, and an unauthenticated flood writes
 * a sample and a summary, not one record each.
 */
class AuditHardeningTest {
    @Test
    void controlCharactersAnsiEscapesAndBidiOverridesAreEscaped() {
        String s = "sip:x@o\r\nREQUEST ISSUED user=admin\u001b[31m\u0007\u202e\u0085\\";
        String e = LogSafe.escape(s);
        assertThat(e).doesNotContain("\r", "\n", "\u001b", "\u0007", "\u202e", "\u0085");
        assertThat(e).contains("\\x0d\\x0a", "\\x1b[31m", "\\u202e", "\\x85", "\\\\");
        assertThat(LogSafe.escape("sip:alice@operator")).isEqualTo("sip:alice@operator");
    }

    @Test
    void anIdentityWithALineBreakAndAnAnsiEscapeIsEscapedInTheAuditLineAndTheTable() {
        try (KmsServer kms = KmsServer.start(KmsConfig.inMemory().build())) {
            ProvisionedKey alice = kms.admin().addUser(NewUser.of("alice", "sip:alice@operator"));
            kms.admin().addUser(NewUser.of("bob", "sip:bob@operator"));
            // a genuine user whose request names a forged line as its IDRi (refused: not her identity)
            Ua forger = new Ua(alice, "sip:alice@operator\r\nRESOLVE RESOLVED user=admin \u001b[2J");
            KmsClient c = KmsClient.builder().address(kms.uri()).build();
            assertThat(KmsClient.errorCodeOf(c.exchange(forger.ticketRequest(kms.kmsIdentity(),
                    "sip:bob@operator").message()))).isPresent();
            AuditRecord r = kms.store().audit().recent(1).get(0);
            String line = r.toLogLine();
            assertThat(line).doesNotContain("\r", "\n", "\u001b");
            assertThat(line).contains("\\x0d\\x0aRESOLVE", "\\x1b[2J");
        }
    }

    @Test
    void unauthenticatedRefusalsAreSampledPerSourceAndSummarised() throws Exception {
        try (KmsServer kms = KmsServer.start(KmsConfig.inMemory().auditSamplePerSource(5)
                .auditSampleWindow(Duration.ofSeconds(2)).build())) {
            KmsClient c = KmsClient.builder().address(kms.uri()).build();
            int before = kms.store().audit().recent(10_000).size();
            for (int i = 0; i < 50; i++) {
                c.exchange(new byte[] {1, 11, 0, 0, 0}); // malformed MIKEY
            }
            kms.store().audit().flush();
            assertThat(kms.metrics().refusals("MALFORMED", false)).isEqualTo(50);
            // the window ends: one summary record says how many were not written and why
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            List<AuditRecord> all;
            do {
                Thread.sleep(200);
                all = kms.store().audit().recent(10_000);
            } while (all.stream().noneMatch(x -> x.event().equals("SAMPLED")) && System.nanoTime() < deadline);
            long suppressed = all.stream().filter(x -> x.event().equals("SAMPLED"))
                    .mapToLong(x -> Long.parseLong(x.reason().substring(0, x.reason().indexOf(' ')))).sum();
            long written = all.size() - before - all.stream().filter(x -> x.event().equals("SAMPLED")).count();
            // 5 per source and window (the 50 may straddle two windows): every refusal is either written or counted
            assertThat(written).isBetween(5L, 10L);
            assertThat(written + suppressed).isEqualTo(50);
            assertThat(all.stream().filter(x -> x.event().equals("SAMPLED")).findFirst().orElseThrow().remote())
                    .isEqualTo("127.0.0.1");
        }
    }
}
