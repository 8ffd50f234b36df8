package org.kmsconf.kms;

import java.time.Clock;
import java.time.Instant;
import org.kmsconf.kms.audit.AuditRecord;
import org.kmsconf.kms.metrics.KmsMetrics;
import org.kmsconf.kms.policy.KmsPolicy;
import org.kmsconf.kms.store.DbReplayGuard;
import org.kmsconf.kms.store.KmsStore;
import org.kmsconf.mikey.replay.ReplayCache;

/**
 * The KMS's MIKEY processing: one request body in, one answer out, with the store, policy, replay protection
 * (in-memory cache, plus the database guard in shared mode), ticket validity from the configuration, an audit record
 * and metrics for every message. Transport-free: the HTTP handler and tests call {@link #process}.
 */
public final class KmsService {
    private final KmsConfig config;
    private final KmsStore store;
    private final KmsMetrics metrics;
    private final KmsPolicy policy;
    private final ReplayCache replayCache;
    private final DbReplayGuard dbReplay;
    private final Clock clock;

    public KmsService(KmsConfig config, KmsStore store, KmsMetrics metrics) {
        this(config, store, metrics, Clock.systemUTC());
    }

    public KmsService(KmsConfig config, KmsStore store, KmsMetrics metrics, Clock clock) {
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.policy = new KmsPolicy(store, config.defaultAllow());
        this.replayCache = new ReplayCache(config.replayCapacity(), config.clockSkew(), clock);
        this.dbReplay = config.effectiveSharedReplay()
                ? new DbReplayGuard(store.database(), clock, config.clockSkew()) : null;
    }

    public KmsPolicy policy() {
        return policy;
    }

    /** Processes one KMS request body. */
    public KmsReply process(byte[] body, String remote) {
        long t0 = System.nanoTime();
        // The REQUEST/RESOLVE processing of org.kmsconf.mikey.exchange is wired here once that API exists.
        store.audit().record(new AuditRecord(Instant.now(clock), "MALFORMED", "REFUSED", null, null, null, null,
                "MIKEY processing not available in this build", remote));
        metrics.record("MALFORMED", "REFUSED", System.nanoTime() - t0);
        return new KmsReply.BadRequest("MIKEY processing not available in this build");
    }
}
