package org.kmsconf.mikey.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.replay.ReplayCache.Verdict;

class ReplayCacheTest {
    private static final Instant T0 = Instant.parse("2026-11-27T01:00:00Z");
    private final MutableClock clock = new MutableClock(T0);

    private static ReplayKey key(String who, int csb, Instant t) {
        return ReplayKey.of("sip:" + who + "@example.com", csb, t, null);
    }

    @Test
    void defaultsAreTheProfileValues() {
        ReplayCache c = new ReplayCache();
        assertThat(c.skew()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.capacity()).isEqualTo(ReplayCache.DEFAULT_CAPACITY);
    }

    @Test
    void firstMessageIsAcceptedAndItsCopyIsAReplay() {
        ReplayCache c = new ReplayCache(10, Duration.ofSeconds(300), clock);
        ReplayKey k = key("alice", 1, T0);
        assertThat(c.check(k)).isEqualTo(Verdict.ACCEPTED);
        assertThat(c.check(k)).as("check records nothing").isEqualTo(Verdict.ACCEPTED);
        assertThat(c.record(k)).isEqualTo(Verdict.ACCEPTED);
        assertThat(c.check(k)).isEqualTo(Verdict.REPLAYED);
        assertThat(c.record(ReplayKey.of("sip:alice@example.com", 1, T0, null))).isEqualTo(Verdict.REPLAYED);
    }

    @Test
    void identityCsbIdTimestampAndMacEachTellMessagesApart() {
        ReplayCache c = new ReplayCache(10, Duration.ofSeconds(300), clock);
        assertThat(c.record(key("alice", 1, T0))).isEqualTo(Verdict.ACCEPTED);
        assertThat(c.record(key("bob", 1, T0))).isEqualTo(Verdict.ACCEPTED);
        assertThat(c.record(key("alice", 2, T0))).isEqualTo(Verdict.ACCEPTED);
        assertThat(c.record(key("alice", 1, T0.plusNanos(1)))).isEqualTo(Verdict.ACCEPTED);
        assertThat(c.record(ReplayKey.of("sip:alice@example.com", 1, T0, new byte[] {1}))).isEqualTo(Verdict.ACCEPTED);
        assertThat(c.record(ReplayKey.of("sip:alice@example.com", 1, T0, new byte[] {2}))).isEqualTo(Verdict.ACCEPTED);
        assertThat(c.size()).isEqualTo(6);
    }

    @Test
    void timestampsBeyondTheSkewInEitherDirectionAreRefused() {
        ReplayCache c = new ReplayCache(10, Duration.ofSeconds(300), clock);
        assertThat(c.record(key("a", 1, T0.minusSeconds(300)))).isEqualTo(Verdict.ACCEPTED);
        assertThat(c.record(key("a", 1, T0.plusSeconds(300)))).isEqualTo(Verdict.ACCEPTED);
        assertThat(c.record(key("a", 1, T0.minusSeconds(301)))).isEqualTo(Verdict.OUTSIDE_SKEW);
        assertThat(c.record(key("a", 1, T0.plusSeconds(300).plusMillis(1)))).isEqualTo(Verdict.OUTSIDE_SKEW);
        assertThat(c.withinSkew(T0.plusSeconds(299))).isTrue();
        assertThat(c.withinSkew(T0.minusSeconds(400))).isFalse();
    }

    @Test
    void entriesExpireOnceTheirTimestampLeavesTheWindow() {
        ReplayCache c = new ReplayCache(10, Duration.ofSeconds(300), clock);
        ReplayKey k = key("alice", 1, T0);
        c.record(k);
        clock.advance(Duration.ofSeconds(300));
        assertThat(c.size()).isEqualTo(1);
        assertThat(c.check(k)).isEqualTo(Verdict.REPLAYED);
        clock.advance(Duration.ofSeconds(1));
        assertThat(c.size()).isZero();
        assertThat(c.check(k)).as("a copy is now stale, not accepted").isEqualTo(Verdict.OUTSIDE_SKEW);
    }

    @Test
    void overflowRefusesNewMessagesAndKeepsTheOldOnesUntilTheyExpire() {
        ReplayCache c = new ReplayCache(3, Duration.ofSeconds(300), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(c.record(key("u" + i, i, T0))).isEqualTo(Verdict.ACCEPTED);
        }
        assertThat(c.check(key("new", 9, T0))).isEqualTo(Verdict.FULL);
        assertThat(c.record(key("new", 9, T0))).isEqualTo(Verdict.FULL);
        assertThat(c.record(key("u0", 0, T0))).as("old entries are not forgotten").isEqualTo(Verdict.REPLAYED);
        assertThatThrownBy(() -> c.recordOrThrow(key("new", 9, T0.plusSeconds(1))))
                .isInstanceOfSatisfying(MikeyException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TS);
                    assertThat(e.getMessage()).contains("full");
                });
        clock.advance(Duration.ofSeconds(301));
        assertThat(c.record(key("new", 9, clock.instant()))).isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void recordOrThrowNamesTheReason() {
        ReplayCache c = new ReplayCache(3, Duration.ofSeconds(300), clock);
        c.recordOrThrow(key("a", 1, T0));
        assertThatThrownBy(() -> c.recordOrThrow(key("a", 1, T0))).hasMessageContaining("replayed");
        assertThatThrownBy(() -> c.recordOrThrow(key("a", 1, T0.minusSeconds(3600))))
                .hasMessageContaining("clock skew");
    }

    @Test
    void aClockSteppingBackDoesNotReopenThePurgedPast() {
        ReplayCache c = new ReplayCache(10, Duration.ofSeconds(300), clock);
        ReplayKey k = key("alice", 1, T0);
        c.record(k);
        clock.advance(Duration.ofSeconds(400)); // k purged
        assertThat(c.size()).isZero();
        clock.set(T0); // clock steps back
        assertThat(c.record(k)).isEqualTo(Verdict.OUTSIDE_SKEW);
    }

    @Test
    void concurrentCopiesOfOneMessageAreAcceptedExactlyOnce() throws Exception {
        ReplayCache c = new ReplayCache(1000, Duration.ofSeconds(300), clock);
        int threads = 8;
        int rounds = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int r = 0; r < rounds; r++) {
                ReplayKey k = key("alice", r, T0);
                CountDownLatch start = new CountDownLatch(1);
                AtomicInteger accepted = new AtomicInteger();
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    fs.add(pool.submit(() -> {
                        start.await();
                        if (c.record(k).accepted()) {
                            accepted.incrementAndGet();
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : fs) {
                    f.get(10, TimeUnit.SECONDS);
                }
                assertThat(accepted).as("round " + r).hasValue(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentDistinctMessagesNeverExceedTheCapacity() throws Exception {
        int capacity = 500;
        ReplayCache c = new ReplayCache(capacity, Duration.ofSeconds(300), clock);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        ConcurrentHashMap<Verdict, AtomicInteger> counts = new ConcurrentHashMap<>();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 400; i++) {
                        Verdict v = c.record(key("t" + thread, i, T0));
                        counts.computeIfAbsent(v, x -> new AtomicInteger()).incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(counts.get(Verdict.ACCEPTED)).hasValue(capacity);
        assertThat(counts.get(Verdict.FULL)).hasValue(1600 - capacity);
        assertThat(c.size()).isEqualTo(capacity);
    }

    @Test
    void invalidConfigurationIsRefused() {
        assertThatThrownBy(() -> new ReplayCache(0, Duration.ofSeconds(1), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplayCache(1, Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
