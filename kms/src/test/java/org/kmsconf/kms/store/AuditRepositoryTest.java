package org.kmsconf.kms.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.TestStores;
import org.kmsconf.kms.audit.AuditRecord;
import org.kmsconf.kms.audit.JournaledRecord;

/** The audit table: journal progress per segment, retention through the primary key. */
class AuditRepositoryTest {
    static AuditRecord at(Instant t) {
        return new AuditRecord(t, "REQUEST", "ISSUED", "alice", "sip:alice@op", null, null, "issued", "127.0.0.1");
    }

    @Test
    void retentionDeletesEverythingBeforeTheCutOffAndNothingAfter() {
        try (KmsStore s = TestStores.open(KmsConfig.inMemory().build(), false)) {
            AuditRepository table = new AuditRepository(s.database(), "n");
            assertThat(table.deleteBefore(Instant.now())).isZero();
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            List<JournaledRecord> batch = new ArrayList<>();
            for (int i = 0; i < 37; i++) {
                batch.add(JournaledRecord.unjournaled(at(t0.plus(Duration.ofHours(i)))));
            }
            table.insert(batch);
            assertThat(table.deleteBefore(t0.plus(Duration.ofMinutes(20 * 60 + 30)))).isEqualTo(21);
            assertThat(table.recent(100)).hasSize(16).allSatisfy(r -> assertThat(r.at())
                    .isAfterOrEqualTo(t0.plus(Duration.ofHours(21))));
            assertThat(table.deleteBefore(t0)).isZero();
            assertThat(table.deleteBefore(t0.plus(Duration.ofDays(30)))).isEqualTo(16);
        }
    }

    @Test
    void journalProgressIsKeptPerSegmentWithTheRecordsAndForgotten() {
        try (KmsStore s = TestStores.open(KmsConfig.inMemory().build(), false)) {
            AuditRepository table = new AuditRepository(s.database(), "n");
            Instant t = Instant.now();
            table.insert(List.of(new JournaledRecord(at(t), "audit-a", 100), new JournaledRecord(at(t), "audit-a", 180),
                    new JournaledRecord(at(t), "audit-b", 90)));
            table.insert(List.of(new JournaledRecord(at(t), "audit-b", 200)));
            assertThat(table.insertedUpTo("audit-a")).isEqualTo(180);
            assertThat(table.insertedUpTo("audit-b")).isEqualTo(200);
            assertThat(table.insertedUpTo("audit-c")).isZero();
            table.forget(List.of("audit-a"));
            assertThat(table.insertedUpTo("audit-a")).isZero();
            assertThat(table.recent(10)).hasSize(4);
        }
    }
}
