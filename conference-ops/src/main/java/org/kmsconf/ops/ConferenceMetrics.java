package org.kmsconf.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.kmsconf.media.relay.LegStats;
import org.kmsconf.media.relay.MediaRelay;
import org.kmsconf.sip.conference.ConferenceState;
import org.kmsconf.sip.focus.ConferenceServer;

/**
 * The conference server's metrics in the Prometheus text format ({@code GET /metrics}), on Micrometer as the KMS's.
 * Counted from the flow trace (joins, leg ends, refusals by check, SIP messages), read at scrape time from the server
 * (active conferences and legs, 503 overload refusals) and the media relay (packets in, out and dropped by reason),
 * and timed around the server's key agent (KMS exchanges). Every label has a small, fixed set of values: no
 * identities, no focus URIs. docs/operations.md lists each series.
 */
public final class ConferenceMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
    /** Function counters hold their state object weakly: these keep it for the registry's life. */
    private volatile ConferenceServer boundServer;
    private volatile MediaRelay boundRelay;

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    private Counter counter(String name, String help, String... tags) {
        return counters.computeIfAbsent(name + String.join("/", tags), k -> Counter.builder(name).description(help)
                .tags(tags).register(registry));
    }

    // ---------------------------------------------------------------- from the trace

    void conferenceCreated() {
        counter("conference.creations", "Conferences created by the factory (flow 1)").increment();
    }

    void conferenceEnded() {
        counter("conference.ended", "Conferences that ended (owner left or ended it, operator, expiry)").increment();
    }

    /** @param method {@code dialed-in} (flows 2, 3, 5) or {@code dialed-out} (flow 4) */
    void joined(String method) {
        counter("conference.joins", "Participants admitted to a conference, by joining method", "method", method)
                .increment();
    }

    void rekeyed() {
        counter("conference.rekeys", "Re-keys and allowed-set updates on a participant's own call").increment();
    }

    /** @param reason left, removed, ended (the conference ended), expired, lost (no media port) */
    void legEnded(String reason) {
        counter("conference.legs.ended", "Participant legs that ended, by why", "reason", reason).increment();
    }

    /** A refused check: {@code check} is its stable label, {@code kind} conference-rule or signalling. */
    void refused(String check, String kind) {
        counter("conference.refusals", "Refused checks (conference rules and signalling checks), by check",
                "check", check, "kind", kind).increment();
    }

    void sipRequest(String method, String direction) {
        counter("conference.sip.requests", "SIP requests, by method and direction", "method", method,
                "direction", direction).increment();
    }

    void sipResponse(String method, int status, String direction) {
        counter("conference.sip.responses", "SIP responses (transaction outcomes), by method, status and direction",
                "method", method, "status", Integer.toString(status), "direction", direction).increment();
    }

    void adminAction(String action, String outcome) {
        counter("conference.admin.actions", "Operator actions on the admin interface, by action and outcome",
                "action", action, "outcome", outcome).increment();
    }

    /** One KMS exchange made by the server's key agent, as the server saw it (HTTP round trip + MIKEY). */
    void kmsExchange(String exchange, String outcome, long nanos) {
        timers.computeIfAbsent(exchange + "/" + outcome, k -> Timer.builder("conference.kms.exchange")
                .description("KMS exchanges of the conference server's key agent, seen from the server")
                .tag("exchange", exchange).tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry)).record(Duration.ofNanos(nanos));
    }

    // ---------------------------------------------------------------- read at scrape time

    /**
     * Active conferences and legs, and the 503 refusals of the SIP layer's bounds. (Micrometer holds a gauge's state
     * weakly unless told otherwise: these hold the server strongly, for as long as the registry lives.)
     */
    void bindServer(ConferenceServer server) {
        boundServer = server;
        Supplier<List<ConferenceState>> all = server::conferences;
        Gauge.builder("conference.active", all, s -> s.get().size())
                .description("Conferences running").strongReference(true).register(registry);
        Gauge.builder("conference.legs.active", all, s -> s.get().stream().mapToLong(c -> c.participantSsrcs().size())
                .sum()).description("Participant legs connected").strongReference(true).register(registry);
        Gauge.builder("conference.callouts.pending", all, s -> s.get().stream()
                .mapToLong(c -> c.members().stream().filter(m -> !m.connected()).count()).sum())
                .description("Call-outs under way (flow 4)").strongReference(true).register(registry);
        FunctionCounter.builder("conference.sip.overload.refusals", server, s -> s.overloadRefusals()[0])
                .description("Requests answered 503 with Retry-After, by cause").tag("cause", "source-rate")
                .register(registry);
        FunctionCounter.builder("conference.sip.overload.refusals", server, s -> s.overloadRefusals()[1])
                .description("Requests answered 503 with Retry-After, by cause").tag("cause", "workers-busy")
                .register(registry);
        FunctionCounter.builder("conference.sip.udp.dropped", server, s -> s.overloadRefusals()[2])
                .description("UDP datagrams dropped unread: their source was over its datagram budget")
                .register(registry);
    }

    /** Packets the per-leg SRTP relay received, relayed and dropped (every leg, closed legs included). */
    void bindRelay(MediaRelay relay) {
        boundRelay = relay;
        relayCounter(relay, "conference.relay.packets.received", "SRTP/SRTCP packets received from participants",
                LegStats::received, null);
        relayCounter(relay, "conference.relay.packets.authenticated", "Received packets that authenticated",
                LegStats::authenticated, null);
        relayCounter(relay, "conference.relay.packets.sent", "Packets re-protected and sent to participants",
                LegStats::relayedOut, null);
        relayCounter(relay, "conference.relay.packets.dropped", "Packets dropped, by reason", LegStats::rejectedAuth,
                "auth");
        relayCounter(relay, "conference.relay.packets.dropped", "Packets dropped, by reason", LegStats::rejectedReplay,
                "replay");
        relayCounter(relay, "conference.relay.packets.dropped", "Packets dropped, by reason", LegStats::rejectedSsrc,
                "ssrc");
        relayCounter(relay, "conference.relay.packets.dropped", "Packets dropped, by reason", LegStats::rejectedInvalid,
                "invalid");
        relayCounter(relay, "conference.relay.packets.dropped", "Packets dropped, by reason", LegStats::sendDropped,
                "send-buffer");
    }

    private void relayCounter(MediaRelay relay, String name, String help, ToDoubleFunction<LegStats> f,
                              String reason) {
        FunctionCounter.Builder<MediaRelay> b = FunctionCounter.builder(name, relay, r -> f.applyAsDouble(r.stats()))
                .description(help);
        if (reason != null) {
            b.tag("reason", reason);
        }
        b.register(registry);
    }

    /** A SIP method as a label value: the standard ones as they are, anything else "other" (bounded labels). */
    static String method(String m) {
        String u = m == null ? "" : m.toUpperCase(Locale.ROOT);
        return switch (u) {
            case "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "UPDATE", "REFER", "NOTIFY", "SUBSCRIBE",
                 "INFO", "MESSAGE", "PRACK", "PUBLISH" -> u;
            default -> "other";
        };
    }
}
