package org.kmsconf.ops;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kmsconf.httpserver.TokenFile;
import org.kmsconf.media.relay.MediaRelay;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.trace.FlowListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operating a conference server: its admin API, Prometheus metrics and live web console, on one HTTP(S) listener.
 * Two steps, because the server's trace and key agent must be wired before the server starts:
 *
 * <pre>{@code
 * ConferenceOps ops = ConferenceOps.prepare(OpsConfig.loopback(8190, Path.of("admin.token")));
 * ServerConfig cfg = ServerConfig.of(...).withTrace(ops.trace()).withMedia(media);   // keyAgent: ops.timed(agent)
 * ConferenceServer server = ConferenceServer.start(cfg);
 * ops.start(server, media.relay());                                                  // now listening: ops.uri()
 * }</pre>
 * {@link #prepare} creates or reads the token file first, so a bad token file stops the server before any SIP.
 */
public final class ConferenceOps implements AutoCloseable {
    /** The admin API's bearer token: its file is created by the conference server at its first start. */
    public static final TokenFile.Purpose ADMIN_TOKEN = new TokenFile.Purpose("admin token", "the conference server");

    private static final Logger LOG = LoggerFactory.getLogger(ConferenceOps.class);

    private final OpsConfig config;
    private final TokenFile token;
    private final ConferenceMetrics metrics = new ConferenceMetrics();
    private final Refusals refusals = new Refusals(500);
    private final AdminAudit audit;
    private final EventStream stream = new EventStream(AdminServer.MAX_CONSOLES);
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final OpsTrace trace;
    private final KmsWatch kms;
    private ScheduledExecutorService scheduler;
    private AdminServer http;
    private EventsEndpoint events;
    private ConferenceView view;

    private ConferenceOps(OpsConfig config) {
        this.config = config;
        this.token = TokenFile.loadOrCreate(config.tokenFile(), ConferenceOps.ADMIN_TOKEN);
        this.audit = new AdminAudit(config.auditFile());
        this.audit.onEntry(e -> stream.publish("audit", e));
        this.trace = new OpsTrace(metrics, refusals, new OpsTrace.Sink() {
            @Override
            public void refused(Refusals.Refusal r) {
                stream.publish("refusal", r);
            }

            @Override
            public void conferenceChanged() {
                dirty.set(true);
            }
        });
        this.kms = config.kmsBase() == null ? null : new KmsWatch(config.kmsBase(), config.kmsAuditTokenFile(), null);
    }

    /** Reads (or creates, 0600) the token file and opens the audit file; nothing listens yet. */
    public static ConferenceOps prepare(OpsConfig config) {
        return new ConferenceOps(config);
    }

    /** The listener to give the conference server's trace (with any other, see {@link #alongside}). */
    public FlowListener trace() {
        return trace;
    }

    /** A listener that reports every event to {@code first}, then to the admin interface. */
    public FlowListener alongside(FlowListener first) {
        if (first == null || first == FlowListener.NONE) {
            return trace;
        }
        return e -> {
            try {
                first.onEvent(e);
            } finally {
                trace.onEvent(e);
            }
        };
    }

    /** The server's key agent, its KMS exchanges timed for the metrics. */
    public KeyAgent timed(KeyAgent agent) {
        return new TimedKeyAgent(agent, metrics);
    }

    public ConferenceMetrics metrics() {
        return metrics;
    }

    public Refusals refusals() {
        return refusals;
    }

    public AdminAudit audit() {
        return audit;
    }

    /**
     * Starts listening for the running {@code server}; {@code relay} (null for signalling-only media) gives the
     * packet counters.
     */
    public synchronized ConferenceOps start(ConferenceServer server, MediaRelay relay) {
        if (http != null) {
            throw new IllegalStateException("already started");
        }
        metrics.bindServer(server);
        if (relay != null) {
            metrics.bindRelay(relay);
        }
        view = new ConferenceView(server, relay);
        view.sample();
        events = new EventsEndpoint(stream, this::initialEvents);
        AdminHandler handler = new AdminHandler(token, config.tlsKeystore() != null,
                new OperatorActions(server, audit, metrics), view, refusals, audit, metrics, events, kms);
        http = AdminServer.start(config, handler);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "conference-admin-push");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(new Pusher(), 250, 250, TimeUnit.MILLISECONDS);
        LOG.info("admin interface at {} (token file {})", http.uri(), config.tokenFile());
        return this;
    }

    private List<String> initialEvents() {
        List<String> out = new ArrayList<>();
        out.add(EventStream.encode("state", view.state()));
        out.add(EventStream.encode("refusals", refusals.recent(50)));
        out.add(EventStream.encode("audit-list", audit.recent(50)));
        if (kms != null && kms.last() != null) {
            out.add(EventStream.encode("kms", kms.last()));
        }
        return out;
    }

    /** Samples the packet rates every second, and pushes the picture on each change and each sample. */
    private final class Pusher implements Runnable {
        private long lastSample;
        private long lastKms;

        @Override
        public void run() {
            try {
                long now = System.nanoTime();
                boolean sampled = false;
                if (now - lastSample >= 1_000_000_000L) {
                    view.sample();
                    lastSample = now;
                    sampled = true;
                }
                if ((dirty.getAndSet(false) || sampled) && stream.clients() > 0) {
                    stream.publish("state", view.state());
                }
                if (kms != null && stream.clients() > 0 && now - lastKms >= config.kmsPoll().toNanos()) {
                    lastKms = now;
                    stream.publish("kms", kms.poll());
                }
            } catch (RuntimeException e) {
                LOG.warn("admin interface push failed: {}", e.toString());
            }
        }
    }

    /** Base URI of the admin interface, e.g. {@code http://127.0.0.1:8190}. */
    public URI uri() {
        return http.uri();
    }

    public TokenFile token() {
        return token;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (events != null) {
            events.stop();
        }
        if (http != null) {
            http.close();
        }
        audit.close();
    }
}
