package org.kmsconf.kms.audit;

import java.time.Duration;

/**
 * How much of the audit trail is written and kept.
 *
 * @param retention records older than this are deleted (hourly); null keeps them
 * @param samplePerSource unauthenticated refusals written in full per remote address and window; the rest are
 *     counted and summarised in one record
 * @param samplePerUser refusals of one authenticated user written in full per window; the rest summarised
 * @param sampleWindow the window of {@code samplePerSource} and {@code samplePerUser}
 */
public record AuditConfig(Duration retention, int samplePerSource, int samplePerUser, Duration sampleWindow) {

    public AuditConfig {
        if (samplePerSource < 1 || samplePerUser < 1 || sampleWindow.isNegative() || sampleWindow.isZero()) {
            throw new IllegalArgumentException("audit sampling needs at least 1 record per positive window");
        }
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("audit retention must be positive");
        }
    }
}
