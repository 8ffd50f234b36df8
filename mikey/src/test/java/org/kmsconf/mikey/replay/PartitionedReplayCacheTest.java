package org.kmsconf.mikey.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PartitionedReplayCacheTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    ReplayKey key(String who, int n) {
        return ReplayKey.of(who, n, clock.instant(), new byte[] {(byte) n});
    }

    @Test
    void aReplayIsRefusedOnlyInTheSamePartitionAndLookingUpRecordsNothing() {
        PartitionedReplayCache c = new PartitionedReplayCache(10, 100, Duration.ofSeconds(300), clock);
        ReplayKey k = key("alice", 1);
        assertThat(c.contains("alice", k)).isFalse();
        assertThat(c.size()).isZero();
        assertThat(c.record("alice", k)).isEqualTo(ReplayCache.Verdict.ACCEPTED);
        assertThat(c.contains("alice", k)).isTrue();
        assertThat(c.record("alice", k)).isEqualTo(ReplayCache.Verdict.REPLAYED);
        assertThat(c.size()).isEqualTo(1);
    }

    @Test
    void aFullPartitionRefusesOnlyItsOwnSender() {
        PartitionedReplayCache c = new PartitionedReplayCache(5, 1000, Duration.ofSeconds(300), clock);
        for (int i = 0; i < 5; i++) {
            assertThat(c.record("mallory", key("mallory", i))).isEqualTo(ReplayCache.Verdict.ACCEPTED);
        }
        assertThat(c.record("mallory", key("mallory", 99))).isEqualTo(ReplayCache.Verdict.FULL);
        assertThat(c.record("alice", key("alice", 1))).isEqualTo(ReplayCache.Verdict.ACCEPTED);
    }

    @Test
    void whenTheTotalIsReachedASenderBelowItsFairShareIsStillAccepted() {
        PartitionedReplayCache c = new PartitionedReplayCache(1000, 20, Duration.ofSeconds(300), clock);
        c.record("alice", key("alice", 0)); // a second partition: fair share 10
        for (int i = 0; i < 30; i++) {
            c.record("mallory", key("mallory", i));
        }
        assertThat(c.size("mallory")).isEqualTo(19); // grew while the total was below 20, then refused
        assertThat(c.record("mallory", key("mallory", 500))).isEqualTo(ReplayCache.Verdict.FULL);
        for (int i = 1; i < 10; i++) {
            assertThat(c.record("alice", key("alice", i))).as("alice #" + i).isEqualTo(ReplayCache.Verdict.ACCEPTED);
        }
        assertThat(c.record("alice", key("alice", 10))).isEqualTo(ReplayCache.Verdict.FULL);
        assertThat(c.size()).isLessThanOrEqualTo(2 * 20);
    }

    @Test
    void entriesLeaveOneByOneWhenTheirTimestampLeavesTheWindowNeverAllAtOnce() {
        PartitionedReplayCache c = new PartitionedReplayCache(100, 100, Duration.ofSeconds(10), clock);
        ReplayKey early = key("alice", 1);
        c.record("alice", early);
        clock.advance(Duration.ofSeconds(5));
        ReplayKey later = key("alice", 2);
        c.record("alice", later);
        clock.advance(Duration.ofSeconds(6)); // early is 11 s old, later 6 s
        c.purgeAll();
        assertThat(c.size("alice")).isEqualTo(1);
        assertThat(c.contains("alice", later)).isTrue();
        assertThat(c.record("alice", early)).isEqualTo(ReplayCache.Verdict.OUTSIDE_SKEW);
    }

    @Test
    void restoredEntriesAreReplaysAndStaleOnesAreDropped() {
        PartitionedReplayCache c = new PartitionedReplayCache(100, 100, Duration.ofSeconds(10), clock);
        ReplayKey k = key("alice", 1);
        ReplayKey old = ReplayKey.of("alice", 2, clock.instant().minusSeconds(60), null);
        c.restore("alice", ReplayKey.fromDigest(k.digestBytes(), k.timestamp()));
        c.restore("alice", old);
        assertThat(c.size("alice")).isEqualTo(1);
        assertThat(c.record("alice", k)).isEqualTo(ReplayCache.Verdict.REPLAYED);
    }
}
