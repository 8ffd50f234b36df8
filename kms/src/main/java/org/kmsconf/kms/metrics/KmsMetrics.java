package org.kmsconf.kms.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The KMS's metrics, exposed by {@code GET /metrics} in the Prometheus text format:
 * {@code kms_requests_total{exchange,outcome}} (exchange REQUEST, RESOLVE, MALFORMED; outcome ISSUED, RESOLVED,
 * REFUSED, REJECTED for HTTP-level rejections) and {@code kms_request_duration_seconds{exchange}} (timer with a
 * histogram, so p50/p99 can be computed server-side).
 */
public final class KmsMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

    public KmsMetrics() {
        // heap and non-heap use (jvm_memory_used_bytes{area}), so a flood's cost in memory is visible from outside
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    }

    public void record(String exchange, String outcome, long nanos) {
        counters.computeIfAbsent(exchange + '/' + outcome, k -> Counter.builder("kms.requests")
                .description("KMS requests by exchange and outcome")
                .tag("exchange", exchange).tag("outcome", outcome).register(registry)).increment();
        timers.computeIfAbsent(exchange, k -> Timer.builder("kms.request.duration")
                .description("Time to process a KMS request, from body read to answer ready")
                .tag("exchange", exchange)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry)).record(Duration.ofNanos(nanos));
    }

    /** Requests rejected at the HTTP level (405, 408, 413, 415, 400). */
    public void rejected(int status) {
        rejected(Integer.toString(status));
    }

    /**
     * Requests or connections rejected before MIKEY processing: an HTTP status, or {@code per-source-limit} /
     * {@code request-timeout} for connections closed by the connection guard.
     */
    public void rejected(String status) {
        counters.computeIfAbsent("http/" + status, k -> Counter.builder("kms.http.rejected")
                .description("Requests rejected before MIKEY processing, by HTTP status or connection-guard reason")
                .tag("status", status).register(registry)).increment();
    }

    /** Current count of HTTP-level rejections (tests). */
    public double rejectedCount(String status) {
        Counter c = counters.get("http/" + status);
        return c == null ? 0 : c.count();
    }

    /**
     * One refusal by its reason ({@code kms_refusals_total{refusal, authenticated}}): the refusal constants are a
     * fixed list, so a flood cannot create series; unauthenticated refusals are counted here even when the audit only
     * samples them.
     */
    public void refused(String refusal, boolean authenticated) {
        counters.computeIfAbsent("refusal/" + refusal + "/" + authenticated, k -> Counter.builder("kms.refusals")
                .description("KMS refusals by reason (docs/kms.md Refusals) and whether the sender was authenticated")
                .tag("refusal", refusal).tag("authenticated", Boolean.toString(authenticated)).register(registry))
                .increment();
    }

    /** Audit records not written individually (sampled unauthenticated refusals). */
    public void auditSampledOut(long n) {
        counters.computeIfAbsent("audit/sampled", k -> Counter.builder("kms.audit.sampled.out")
                .description("Unauthenticated refusals counted but not written as audit records of their own")
                .register(registry)).increment(n);
    }

    /** Current count of a refusal reason (tests). */
    public double refusals(String refusal, boolean authenticated) {
        Counter c = counters.get("refusal/" + refusal + "/" + authenticated);
        return c == null ? 0 : c.count();
    }

    /** Gauges of the replay state: live entries and partitions (one per authenticated user). */
    public void replayState(java.util.function.Supplier<Number> entries, java.util.function.Supplier<Number> partitions) {
        io.micrometer.core.instrument.Gauge.builder("kms.replay.entries", entries)
                .description("Messages held in the replay state (all users' partitions)").register(registry);
        io.micrometer.core.instrument.Gauge.builder("kms.replay.partitions", partitions)
                .description("Replay partitions (authenticated users seen within the skew window)").register(registry);
    }

    /**
     * Counters of the store reads behind the read cache: look-ups that went to the store, reads of the directory
     * version (one per cache TTL), and reloads of the identity index (one per change of that version).
     */
    public <C, I> void storeReads(C cache, java.util.function.ToDoubleFunction<C> cacheLoads,
            java.util.function.ToDoubleFunction<C> versionReads, I index,
            java.util.function.ToDoubleFunction<I> indexLoads) {
        // a function counter holds its object weakly: these are the store's own, alive as long as the KMS
        io.micrometer.core.instrument.FunctionCounter.builder("kms.store.cache.loads", cache, cacheLoads)
                .description("Cached look-ups that read the store (misses)").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("kms.store.directory.version.reads", cache, versionReads)
                .description("Reads of the store's directory version (one per cache TTL)").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("kms.store.identity.index.loads", index, indexLoads)
                .description("Reloads of the in-memory identity index").register(registry);
    }

    /** Current count for an exchange/outcome pair (tests and the load driver). */
    public double count(String exchange, String outcome) {
        Counter c = counters.get(exchange + '/' + outcome);
        return c == null ? 0 : c.count();
    }

    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
