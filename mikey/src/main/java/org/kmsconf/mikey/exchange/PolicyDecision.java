package org.kmsconf.mikey.exchange;

import java.util.Objects;
import org.kmsconf.mikey.ErrorCode;

/**
 * The answer of a {@link KmsDirectory} policy callback: allowed, or refused for one of the {@link KmsRefusal}
 * reasons (whose error code the KMS sends) with a one-line reason for the audit.
 */
public record PolicyDecision(boolean allowed, KmsRefusal refusal, String reason) {

    private static final PolicyDecision ALLOW = new PolicyDecision(true, null, "allowed");

    public PolicyDecision {
        Objects.requireNonNull(reason, "reason");
        if (!allowed) {
            Objects.requireNonNull(refusal, "refusal");
        }
    }

    public static PolicyDecision allow() {
        return ALLOW;
    }

    /** Refused as {@link KmsRefusal#POLICY_DENIED} (Auth failure: RFC 6043 has no "not authorised" code). */
    public static PolicyDecision deny(String reason) {
        return new PolicyDecision(false, KmsRefusal.POLICY_DENIED, reason);
    }

    public static PolicyDecision deny(KmsRefusal refusal, String reason) {
        return new PolicyDecision(false, refusal, reason);
    }

    /** The MIKEY error of a refusal, null when allowed. */
    public ErrorCode errorCode() {
        return refusal == null ? null : refusal.code();
    }
}
