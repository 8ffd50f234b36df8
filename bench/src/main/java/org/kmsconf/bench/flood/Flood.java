package org.kmsconf.bench.flood;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Floods a {@link FloodTarget} from {@code threads} attacking threads, as fast as they can send, cycling through the
 * chosen attack kinds, while one thread keeps doing the target's legitimate operation. Bounded: it stops by itself
 * after {@code duration} or {@code maxMessages} attack messages, whichever comes first. Reports the attack rate per
 * kind and answer, and every legitimate operation's latency and failure.
 */
public final class Flood {
    /** What happened. */
    public record Report(long attackMessages, double seconds, Map<String, Long> answers, long legitimateOk,
            List<String> legitimateFailures, long legitP50Nanos, long legitP99Nanos, long legitMaxNanos) {

        public double attackRate() {
            return attackMessages / Math.max(1e-9, seconds);
        }
    }

    private final FloodTarget target;
    private final List<String> kinds;
    private final int threads;
    private final Duration duration;
    private final long maxMessages;
    private final Duration legitimatePause;

    public Flood(FloodTarget target, List<String> kinds, int threads, Duration duration, long maxMessages) {
        this(target, kinds, threads, duration, maxMessages, Duration.ZERO);
    }

    /**
     * With a pause after each legitimate operation (not counted in its latency): a participant's pace rather than a
     * flood of its own, for targets that limit the rate of every source.
     */
    public Flood(FloodTarget target, List<String> kinds, int threads, Duration duration, long maxMessages,
            Duration legitimatePause) {
        if (kinds.isEmpty() || threads < 1 || duration.isNegative() || duration.isZero() || maxMessages < 1
                || legitimatePause.isNegative()) {
            throw new IllegalArgumentException("a flood needs kinds, threads, a positive duration and message bound");
        }
        this.target = target;
        this.kinds = List.copyOf(kinds);
        this.threads = threads;
        this.duration = duration;
        this.maxMessages = maxMessages;
        this.legitimatePause = legitimatePause;
    }

    public Report run() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        Map<String, LongAdder> answers = new ConcurrentHashMap<>();
        List<Thread> attackers = new ArrayList<>();
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        for (int i = 0; i < threads; i++) {
            int n = i;
            Thread t = new Thread(() -> {
                Random random = new Random(n * 7919L + System.nanoTime());
                try (FloodTarget.Attacker a = target.attacker(n)) {
                    int k = n;
                    while (!stop.get() && System.nanoTime() < end && sent.incrementAndGet() <= maxMessages) {
                        String kind = kinds.get(k++ % kinds.size());
                        answers.computeIfAbsent(kind + " -> " + a.send(kind, random), x -> new LongAdder())
                                .increment();
                    }
                } catch (Exception e) {
                    answers.computeIfAbsent("attacker failed: " + e, x -> new LongAdder()).increment();
                }
            }, "flood-" + i);
            t.setDaemon(true);
            t.start();
            attackers.add(t);
        }
        List<Long> latencies = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        while (System.nanoTime() < end && attackers.stream().anyMatch(Thread::isAlive)) {
            long s = System.nanoTime();
            try {
                target.legitimate();
                latencies.add(System.nanoTime() - s);
            } catch (Exception e) {
                failures.add((System.nanoTime() - t0) / 1_000_000 + " ms: " + e);
            }
            if (!legitimatePause.isZero()) {
                Thread.sleep(legitimatePause.toMillis());
            }
        }
        stop.set(true);
        for (Thread t : attackers) {
            t.join(10_000);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Long> counted = new TreeMap<>();
        answers.forEach((k, v) -> counted.put(k, v.sum()));
        Collections.sort(latencies);
        return new Report(Math.min(sent.get(), maxMessages), seconds, counted, latencies.size(), failures,
                pct(latencies, 0.50), pct(latencies, 0.99), latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
    }

    private static long pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * p) - 1));
    }
}
