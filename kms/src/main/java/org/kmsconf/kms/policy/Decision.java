package org.kmsconf.kms.policy;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.exchange.KmsRefusal;

/**
 * The answer of a policy check: allowed, or refused with the MIKEY error code to send and a reason for the audit
 * record. Our mapping (docs/kms.md), the same as the mikey protocol's own checks: an identity that is not the
 * authenticated user's or not provisioned is {@link ErrorCode#INVALID_ID}; a user who is known but not authorised
 * (disabled, denied by a rule, no right to create conferences, not a recipient of the ticket) is
 * {@link ErrorCode#AUTH_FAILURE} (RFC 3830/6043 have no dedicated "not authorised" code).
 */
public record Decision(boolean allowed, KmsRefusal refusal, String reason) {
    public static final Decision ALLOW = new Decision(true, null, null);

    public static Decision refuse(KmsRefusal refusal, String reason) {
        return new Decision(false, refusal, reason);
    }

    /** The MIKEY error sent for a refusal (the refusal's, docs/kms.md "Refusals"), null when allowed. */
    public ErrorCode errorCode() {
        return refusal == null ? null : refusal.code();
    }
}
