package org.kmsconf.mikey.exchange;

import java.util.Objects;
import org.kmsconf.mikey.ErrorCode;

/** The answer of a {@link KmsDirectory} policy callback: allowed, or refused with an error code and a reason. */
public record PolicyDecision(boolean allowed, ErrorCode errorCode, String reason) {

    private static final PolicyDecision ALLOW = new PolicyDecision(true, null, "allowed");

    public PolicyDecision {
        Objects.requireNonNull(reason, "reason");
        if (!allowed) {
            Objects.requireNonNull(errorCode, "errorCode");
        }
    }

    public static PolicyDecision allow() {
        return ALLOW;
    }

    /** Refused with Auth failure (RFC 6043 has no dedicated "not authorised" code). */
    public static PolicyDecision deny(String reason) {
        return new PolicyDecision(false, ErrorCode.AUTH_FAILURE, reason);
    }

    public static PolicyDecision deny(ErrorCode code, String reason) {
        return new PolicyDecision(false, code, reason);
    }
}
