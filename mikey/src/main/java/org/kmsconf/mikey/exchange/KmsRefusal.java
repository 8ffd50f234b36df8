package org.kmsconf.mikey.exchange;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/**
 * Every reason the KMS refuses a REQUEST_INIT or RESOLVE_INIT, each with the MIKEY error number it answers with
 * (RFC 3830 §6.12, RFC 4738, RFC 6043 §6.12). The one list: {@link KmsProtocol} and the kms module's policy refuse only
 * through these constants, the audit record names the constant, and the table in docs/kms.md ("Refusals") is checked
 * against this enum by a test ({@code KmsRefusalTableTest}), so code and documentation cannot drift apart.
 *
 * <p>Where RFC 6043 names no code (authorisation), the profile's choice is documented in docs/profile.md §3.14:
 * an identity that is not the authenticated user's → Invalid ID; a known user not authorised → Auth failure.
 */
public enum KmsRefusal {
    // ---- before authentication: the error message carries no V --------------------------------------------------
    /** The bytes do not decode as a MIKEY message; the decoder's own error code is sent (docs/profile.md §3.15). */
    MALFORMED(null, "the message does not decode (truncated, trailing bytes, unknown payload or code point)"),
    NOT_FOR_KMS(ErrorCode.INVALID_DT, "data type is not REQUEST_INIT_PSK or RESOLVE_INIT_PSK"),
    PK_VARIANT(ErrorCode.UNSUPPORTED_MESSAGE_TYPE, "REQUEST_INIT_PK or RESOLVE_INIT_PK (PK variants)"),
    MISSING_PAYLOAD(ErrorCode.UNSPECIFIED, "T, RANDRi/RANDRr, TP or TICKET missing"),
    MISSING_IDENTITY(ErrorCode.INVALID_ID, "IDRi (REQUEST), IDRr (RESOLVE) or IDRkms missing: they enter the MAC"),
    NO_V(ErrorCode.AUTH_FAILURE, "the message does not end with a V payload"),
    NULL_MAC(ErrorCode.INVALID_HA, "the V payload uses the NULL MAC"),
    MAC_OUTSIDE_SET(ErrorCode.INVALID_HA, "the V MAC algorithm does not belong to the header's PRF (no mixing)"),
    OTHER_KMS(ErrorCode.INVALID_ID, "IDRkms names another KMS"),
    OUTSIDE_SKEW(ErrorCode.INVALID_TS, "timestamp outside the allowed clock skew, or a COUNTER timestamp"),
    REPLAYED(ErrorCode.INVALID_TS, "the message was accepted before (by this node, before a restart, or by another node)"),
    REPLAY_STATE_FULL(ErrorCode.INVALID_TS,
            "the sender's own replay partition is full within the skew window (only that user is refused)"),
    UNKNOWN_KEY(ErrorCode.AUTH_FAILURE, "IDRpsk names no active key, or (without IDRpsk) the identity has no key"),
    MAC_FAILED(ErrorCode.AUTH_FAILURE, "the V MAC does not verify with the sender's PSK"),
    // ---- after authentication: the error message carries a V keyed like the request ----------------------------
    IDENTITY_NOT_USERS(ErrorCode.INVALID_ID,
            "IDRi / IDRr is not an identity of the authenticated user (a focus URI outside the factory's rule included)"),
    RAND_TOO_SHORT(ErrorCode.UNSPECIFIED, "RANDRi / RANDRr shorter than the keys it protects (RFC 6043 §6.1)"),
    TICKET_TYPE(ErrorCode.INVALID_TICKET, "ticket type/subtype/version other than the MIKEY base ticket 1/1/1"),
    TP_PRF_MISMATCH(ErrorCode.INVALID_TPPAR, "TP PRF func differs from the header's PRF func"),
    NO_KEY_FORKING(ErrorCode.INVALID_TPPAR, "ticket policy without key forking (I = 0)"),
    FLAGS_NOT_PROFILE(ErrorCode.INVALID_TPPAR, "ticket flags other than the profile's (D E F G H I J)"),
    TP_OTHER_KMS(ErrorCode.INVALID_TPPAR, "the requested TP names another KMS"),
    TP_OTHER_INITIATOR(ErrorCode.INVALID_TPPAR, "the requested TP's IDRi differs from the requester's IDRi"),
    TEMPLATE_UNSUPPORTED(ErrorCode.INVALID_TPPAR,
            "a KEMAC key-data template the KMS cannot honour (type, count, length, salt, KV, non-zero key bytes)"),
    TR_UNSUPPORTED(ErrorCode.INVALID_TPPAR, "TRi / TRr in a request, or a TR that is not an NTP time"),
    NO_RESPONDER(ErrorCode.INVALID_TPPAR, "the request names no responder (IDRr)"),
    VALIDITY_REFUSED(ErrorCode.INVALID_TPPAR, "requested validity empty, past, or longer than the KMS grants"),
    TICKET_NOT_OURS(ErrorCode.INVALID_TICKET, "ticket issued by another KMS, or protected by a key this KMS lacks"),
    TICKET_MALFORMED(ErrorCode.INVALID_TICKET, "base ticket malformed, without IDRi, TPK id or keys, or other algorithms"),
    TICKET_MAC_FAILED(ErrorCode.AUTH_FAILURE, "the ticket's V (TPK) does not verify: the ticket was altered"),
    TICKET_NOT_VALID_NOW(ErrorCode.INVALID_TICKET, "ticket expired (after TRe) or not yet valid (before TRs)"),
    INITIATOR_DATA_INVALID(ErrorCode.AUTH_FAILURE, "Initiator Data missing, malformed or its Vr does not verify"),
    RESOLVER_NOT_RECIPIENT(ErrorCode.AUTH_FAILURE,
            "resolver neither an IDRr of the ticket nor a focus URI a factory in it may create"),
    // ---- the kms module's policy (KmsDirectory callbacks) -------------------------------------------------------
    USER_DISABLED(ErrorCode.AUTH_FAILURE, "the authenticated user is disabled"),
    RECIPIENT_NOT_PROVISIONED(ErrorCode.INVALID_ID, "an IDRr of the request is not a provisioned identity"),
    RECIPIENT_DISABLED(ErrorCode.AUTH_FAILURE, "an IDRr of the request belongs to a disabled user"),
    SESSION_DENIED(ErrorCode.AUTH_FAILURE, "an allow/deny rule (or the default) denies the secure session"),
    NO_CONFERENCE_RIGHT(ErrorCode.AUTH_FAILURE,
            "the ticket names a factory but its initiator may not create conferences (request or resolve)"),
    INITIATOR_DISABLED(ErrorCode.AUTH_FAILURE, "the ticket's initiator is disabled or unknown (resolve)"),
    /** A {@link KmsDirectory} other than the kms module's refused without naming a reason of this list. */
    POLICY_DENIED(ErrorCode.AUTH_FAILURE, "denied by the directory's policy"),
    /** Not expected for any input: a bug, answered rather than propagated. */
    INTERNAL(ErrorCode.UNSPECIFIED, "internal error");

    private final ErrorCode code;
    private final String summary;

    KmsRefusal(ErrorCode code, String summary) {
        this.code = code;
        this.summary = summary;
    }

    /** The MIKEY error sent; null for {@link #MALFORMED}, which sends the decoder's code. */
    public ErrorCode code() {
        return code;
    }

    /** One line for the documentation table. */
    public String summary() {
        return summary;
    }

    /** The exception {@link KmsProtocol} throws for this refusal; {@code detail} is one line for the audit. */
    MikeyException refuse(String detail) {
        return new Refused(this, code, detail);
    }

    /** A {@link MikeyException} that knows which refusal it is. */
    static final class Refused extends MikeyException {
        private static final long serialVersionUID = 1L;
        final transient KmsRefusal refusal;

        Refused(KmsRefusal refusal, ErrorCode code, String detail) {
            super(code, detail);
            this.refusal = refusal;
        }
    }
}
