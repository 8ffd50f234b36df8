package org.kmsconf.kms.policy;

import org.kmsconf.mikey.ErrorCode;

/**
 * The answer of a policy check: allowed, or refused with the MIKEY error code to send and a reason for the audit
 * record. Our mapping (docs/kms.md): an identity that is not the authenticated user's, not a recipient of the ticket,
 * or not provisioned is {@link ErrorCode#INVALID_ID}; a user who is known but not authorised (disabled, denied by a
 * rule, no right to create conferences) is {@link ErrorCode#AUTH_FAILURE}.
 */
public record Decision(boolean allowed, ErrorCode errorCode, String reason) {
    public static final Decision ALLOW = new Decision(true, null, null);

    public static Decision refuse(ErrorCode code, String reason) {
        return new Decision(false, code, reason);
    }
}
