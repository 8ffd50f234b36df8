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

    /** Requests rejected at the HTTP level (405, 413, 415, 400). */
    public void rejected(int status) {
        counters.computeIfAbsent("http/" + status, k -> Counter.builder("kms.http.rejected")
                .description("Requests rejected before MIKEY processing, by HTTP status")
                .tag("status", Integer.toString(status)).register(registry)).increment();
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
