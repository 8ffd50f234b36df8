package org.kmsconf.kms;

import org.kmsconf.kms.crypto.PerThreadSecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.kmsconf.kms.audit.AuditRecord;
import org.kmsconf.kms.audit.AuditSampler;
import org.kmsconf.mikey.exchange.KmsRefusal;
import org.kmsconf.kms.metrics.KmsMetrics;
import org.kmsconf.kms.audit.AuditLog;
import org.kmsconf.kms.http.KmsReply;
import org.kmsconf.kms.store.StoreException;
import org.kmsconf.kms.store.TicketKey;
import org.kmsconf.kms.store.TicketKeyRepository;
import org.kmsconf.mikey.exchange.KmsDirectory;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.ErrorMessages;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.exchange.KmsOutcome;
import org.kmsconf.mikey.exchange.KmsProtocol;
import org.kmsconf.mikey.exchange.KmsResult;
import org.kmsconf.mikey.exchange.KmsSettings;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.mikey.exchange.TicketProtectionKeys;
import org.kmsconf.mikey.replay.PartitionedReplayCache;
import org.kmsconf.mikey.replay.ReplayCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS's MIKEY processing: one request body in, one answer out. The RFC 6043 exchanges themselves are the mikey
 * module's {@link KmsProtocol}; this class gives it the store and policy ({@link StoreDirectory}), the KMS identity,
 * ticket protection keys and ticket validity ({@link KmsSettings}), the in-memory replay cache, and adds:
 * <ul>
 * <li>in shared mode, the database replay guard ({@link StoreDirectory#firstSeen}, asked by the protocol after
 *     authentication and before anything is granted): a message already accepted by any node is refused (Invalid
 *     TS), even if this node's in-memory cache has not seen it;</li>
 * <li>an audit record (table and log) and metrics for every message.</li>
 * </ul>
 * Thread-safe. Transport-free: the HTTP handler and tests call {@link #process}.
 */
public final class KmsService {
    private static final Logger LOG = LoggerFactory.getLogger(KmsService.class);
    /** How often the set of ticket protection keys is re-read (another node or the CLI may have rotated it). */
    private static final long TPK_REFRESH_MILLIS = 30_000;

    private final KmsConfig config;
    private final TicketKeyRepository ticketKeys;
    private final String kmsIdentity;
    private final AuditLog audit;
    private final KmsMetrics metrics;
    private final KmsDirectory directory;
    private final PartyContext ctx;
    private final PartitionedReplayCache replay;
    private final Clock clock;
    private final AuditSampler sampler;
    private final java.util.concurrent.ScheduledExecutorService housekeeper;
    private long nextRetention = System.nanoTime();
    private volatile KmsProtocol protocol;
    private volatile String tpkSetId;
    private volatile long tpkCheckedAt;

    /**
     * @param directory users, keys, policy and the durable replay record ({@link StoreDirectory})
     * @param replay the per-user replay partitions (restored from the journal, if any, before this call)
     * @param ticketKeys the store's ticket protection keys (re-read when another node or the CLI rotates them)
     * @param kmsIdentity IDRkms
     */
    public KmsService(KmsConfig config, KmsDirectory directory, PartitionedReplayCache replay,
            TicketKeyRepository ticketKeys, String kmsIdentity, AuditLog audit, KmsMetrics metrics, Clock clock) {
        this.config = config;
        this.directory = directory;
        this.replay = replay;
        this.ticketKeys = ticketKeys;
        this.kmsIdentity = kmsIdentity;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        // the protocol's replay state is `replay` (per user); the context gives it clock and randomness
        this.ctx = new PartyContext(clock, new PerThreadSecureRandom(),
                new ReplayCache(1, config.clockSkew(), clock));
        this.sampler = new AuditSampler(config.audit().samplePerSource(),
                config.audit().samplePerUser(), config.audit().sampleWindow(), clock);
        metrics.replayState(replay::size, replay::partitions);
        refreshTicketKeys(true);
        this.housekeeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kms-housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeper.scheduleWithFixedDelay(this::housekeeping, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The replay partitions (one per authenticated user), for metrics. */
    public PartitionedReplayCache replayState() {
        return replay;
    }

    /** Stops the housekeeping (after the HTTP interface stopped). */
    public void close() {
        housekeeper.shutdownNow();
    }

    /** Re-reads the ticket protection keys when they changed (or, unless {@code force}, at most every 30 s). */
    private KmsProtocol protocol() {
        long now = System.currentTimeMillis();
        if (now - tpkCheckedAt > TPK_REFRESH_MILLIS) {
            refreshTicketKeys(false);
        }
        return protocol;
    }

    private synchronized void refreshTicketKeys(boolean force) {
        long now = System.currentTimeMillis();
        if (!force && now - tpkCheckedAt <= TPK_REFRESH_MILLIS) {
            return;
        }
        tpkCheckedAt = now;
        String active = ticketKeys.activeKeyIdHex().orElse("");
        List<TicketKey> all = ticketKeys.all();
        String setId = active + "/" + all.size();
        if (!force && setId.equals(tpkSetId)) {
            return;
        }
        List<TicketProtectionKeys.Tpk> tpks = new ArrayList<>();
        for (TicketKey k : all) {
            byte[] key = k.key();
            try {
                tpks.add(new TicketProtectionKeys.Tpk(k.keyId(), KeyMaterial.of(key)));
            } finally {
                java.util.Arrays.fill(key, (byte) 0);
                k.destroy();
            }
        }
        KmsSettings settings = new KmsSettings(kmsIdentity, new TicketProtectionKeys(tpks),
                config.ticketValidity(), config.ticketMaxValidity());
        this.protocol = new KmsProtocol(settings, directory, ctx, replay);
        if (tpkSetId != null) {
            LOG.info("ticket protection keys reloaded: active {}, {} in total", active, all.size());
        }
        this.tpkSetId = setId;
    }

    /** Processes one KMS request body (REQUEST_INIT_PSK or RESOLVE_INIT_PSK) from {@code remote}. */
    public KmsReply process(byte[] body, String remote) {
        long t0 = System.nanoTime();
        KmsResult result;
        try {
            StoreDirectory.takeStoreFailure(); // nothing left over from an earlier message of this thread
            result = protocol().handle(body);
            StoreException failed = StoreDirectory.takeStoreFailure();
            if (failed != null) {
                throw failed;
            }
        } catch (StoreException e) {
            // The store failed mid-request: nothing is granted; the client may try another node, or this one later.
            LOG.error("store failure while processing a KMS request: {}", e.getMessage());
            metrics.record("UNAVAILABLE", "REFUSED", System.nanoTime() - t0);
            return new KmsReply.Unavailable(storeErrorAnswer(body));
        }
        KmsOutcome o = result.outcome();
        byte[] answer = result.response();
        if (o.exchange() == KmsOutcome.Exchange.UNKNOWN && (body.length == 0 || body[0] != 1)) {
            // Not even a MIKEY header (RFC 3830 §6.1: version 1): a 400 says more than a MIKEY error could.
            metrics.refused(KmsRefusal.MALFORMED.name(), false);
            if (sampler.admit(remote, KmsRefusal.MALFORMED.name())) {
                audit(o, "MALFORMED", "REFUSED", remote, "MALFORMED: not a MIKEY message");
            } else {
                metrics.auditSampledOut(1);
            }
            metrics.record("MALFORMED", "REFUSED", System.nanoTime() - t0);
            return new KmsReply.BadRequest("not a MIKEY message (RFC 3830 version byte is not 1)");
        }
        String event = o.exchange() == KmsOutcome.Exchange.UNKNOWN ? "MALFORMED" : o.exchange().name();
        String outcome = !o.granted() ? "REFUSED"
                : o.exchange() == KmsOutcome.Exchange.REQUEST ? "ISSUED" : "RESOLVED";
        if (o.granted()) {
            audit(o, event, outcome, remote, o.reason());
        } else {
            String why = o.refusal() == null ? KmsRefusal.INTERNAL.name() : o.refusal().name();
            boolean authenticated = o.user() != null;
            metrics.refused(why, authenticated);
            // beyond the sample (per source, or per authenticated user) a refusal is counted and summarised
            if (authenticated ? sampler.admitUser(o.user(), why) : sampler.admit(remote, why)) {
                audit(o, event, outcome, remote, why + ": " + o.reason());
            } else {
                metrics.auditSampledOut(1);
            }
        }
        metrics.record(event, outcome, System.nanoTime() - t0);
        return new KmsReply.Mikey(answer, event, outcome);
    }

    /** An unauthenticated MIKEY error (Unspecified) answering {@code body}, or null if it has no MIKEY header. */
    private byte[] storeErrorAnswer(byte[] body) {
        try {
            return ErrorMessages.unauthenticated(MikeyCodec.decodeHeader(body), Timestamp.ntpUtc(Instant.now(clock)),
                    ErrorCode.UNSPECIFIED);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Once a second: summaries of sampled refusals, expired replay entries; hourly: audit retention. */
    private void housekeeping() {
        try {
            for (AuditRecord r : sampler.rollIfDue()) {
                audit.record(r);
            }
            replay.purgeAll();
            if (config.audit().retention() != null && System.nanoTime() - nextRetention >= 0) {
                nextRetention = System.nanoTime() + java.util.concurrent.TimeUnit.HOURS.toNanos(1);
                int n = audit.purgeBefore(Instant.now(clock).minus(config.audit().retention()));
                if (n > 0) {
                    audit.record(AuditRecord.admin("audit retention " + config.audit().retention()
                            + ": " + n + " older records deleted", null, null));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("KMS housekeeping: {}", e.getMessage());
        }
    }

    private void audit(KmsOutcome o, String event, String outcome, String remote, String reason) {
        String initiator;
        String subject;
        if (o.exchange() == KmsOutcome.Exchange.RESOLVE) {
            initiator = o.initiator();
            subject = "resolver=" + o.identity() + (o.responders().isEmpty() ? "" : " IDRr=" + o.responders())
                    + (o.viaFactory() != null ? " via-factory=" + o.viaFactory() : "");
        } else {
            initiator = o.identity();
            subject = o.responders().isEmpty() ? null : "IDRr=" + o.responders();
        }
        audit.record(new AuditRecord(Instant.now(clock), event, outcome, o.user(), initiator, subject,
                o.error() == null ? null : o.error().value(), reason, remote));
    }
}
