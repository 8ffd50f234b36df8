package org.kmsconf.bench.flood;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The flood driver against a real, separate {@code kms serve} process (loopback, bounded, stops by itself), with a
 * 2-second skew window and a 6-second flood of every attack kind, so the flood outlasts the window several times:
 * the legitimate client's REQUESTs and RESOLVEs are never refused, the KMS counts the flood's refusals by reason in
 * /metrics and samples them in the audit, its replay state stays within its bound and its memory bounded.
 */
class KmsFloodTest {
    @Test
    void aFloodLongerThanTheSkewWindowNeverRefusesTheLegitimateClient() throws Exception {
        int perUser = 1000;
        KmsFlood.Result r = KmsFlood.run(new KmsFlood.Options(Duration.ofSeconds(6), Duration.ofSeconds(2), 3,
                2_000_000, KmsFloodTarget.KINDS, List.of(), perUser, "192m", null, null, -1));
        KmsFlood.print(r);
        assertThat(r.flood().legitimateFailures()).isEmpty();
        assertThat(r.flood().legitimateOk()).isGreaterThanOrEqualTo(10);
        for (String refusal : List.of("MALFORMED", "UNKNOWN_KEY", "MAC_FAILED")) {
            assertThat(r.metric("kms_refusals_total{refusal=\"" + refusal + "\",authenticated=\"false\"}"))
                    .as(refusal).isPositive();
        }
        assertThat(r.metric("kms_refusals_total{refusal=\"TICKET_MAC_FAILED\",authenticated=\"true\"}")).isPositive();
        assertThat(r.metric("kms_refusals_total{refusal=\"REPLAYED\"}")).isPositive();
        assertThat(r.metric("kms_audit_sampled_out_total")).isPositive();
        // three users (alice, the conference system, mallory): at most their partitions' bound
        assertThat(r.metric("kms_replay_entries")).isLessThanOrEqualTo(3.0 * perUser);
        assertThat(r.metric("jvm_memory_used_bytes{area=\"heap\"}")).isLessThan(192.0 * 1024 * 1024);
        assertThat(r.rssPeakKb()).isLessThan(600 * 1024);
    }
}
