package org.kmsconf.sip;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.sip.conference.Rule;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.trace.CheckName;
import org.kmsconf.sip.trace.SignallingCheck;

/**
 * The SIP answer to every refusal, in one table (docs/sip.md "Refusals"): a failed rule of the conference model, a
 * failed signalling check, or a failed key-management step. Each row gives the final status and, where the
 * refusal answers a TRANSFER_INIT, the MIKEY error code of the error message carried as the body
 * (docs/profile.md "Transport bindings": 403 for an authorisation refusal, 488 for a MIKEY one).
 */
public final class SipStatus {
    /** Where the refused TRANSFER_INIT came: in an SDP offer (INVITE, re-INVITE, UPDATE) or a REFER body. */
    public enum Carrier { OFFER, REFER }

    /** A final status and the MIKEY error to put in the body (null: no MIKEY body). */
    public record Answer(int status, ErrorCode mikeyError) { }

    private SipStatus() { }

    public static Answer of(CheckName failed, Carrier carrier) {
        if (failed instanceof Rule r) {
            return of(r);
        }
        return of((SignallingCheck) failed, carrier);
    }

    static Answer of(Rule rule) {
        return switch (rule) {
            case TICKET_NAMES_FACTORY, CREATOR_AUTHORISED_BY_CONFERENCE_POLICY, CREATOR_AUTHORISED_BY_KMS,
                 CALLER_ALLOWED, ALLOWED_SET_CHANGE_BY_OWNER, REFERRER_MAY_REFER,
                 REFEREE_ALLOWED, OWNER_OR_OPERATOR, TARGET_NOT_OWNER -> new Answer(403, ErrorCode.INVALID_ID);
            case CREATOR_BELOW_LIMIT -> new Answer(403, ErrorCode.UNSPECIFIED);
            case SYSTEM_BELOW_LIMIT -> new Answer(503, ErrorCode.UNSPECIFIED);
            case CONFERENCE_RUNNING, TARGET_KNOWN -> new Answer(404, null);
            case NOT_ALREADY_JOINED, ROOM_LEFT, CALL_OUT_PENDING -> new Answer(486, ErrorCode.UNSPECIFIED);
            case SSRC_UNIQUE -> new Answer(488, ErrorCode.UNSPECIFIED);
            case ON_OWN_CALL -> new Answer(481, null);
        };
    }

    static Answer of(SignallingCheck check, Carrier carrier) {
        return switch (check) {
            case CARRIES_TRANSFER_INIT -> new Answer(carrier == Carrier.OFFER ? 488 : 403, null);
            case ADDRESSED_TO_US, INITIATOR_IS_FROM, REFER_TO_IN_TICKET -> new Answer(403, ErrorCode.INVALID_ID);
            case ANSWER_POLICY -> new Answer(603, ErrorCode.INVALID_ID);
            case WITHIN_CAPACITY -> new Answer(503, null);
            case INITIATOR_AUTHENTICATED, RESPONDER_AUTHENTICATED, RESPONDER_IS_CALLED_PARTY,
                 FOCUS_URI_AUTHENTICATED, SSRC_ASSIGNED, PARTICIPANT_AUTHENTICATED -> new Answer(488, null);
            case FOCUS_EXISTS -> new Answer(404, null);
            case SUBSCRIBER_HAS_LIVE_LEG -> new Answer(403, null);
            case SUBSCRIBER_ACCEPTS_CMS -> new Answer(406, null);
            case NOTIFY_BODY_VERIFIED -> new Answer(493, null);
            case FLOOR_CONTROL_KEYED -> new Answer(488, null);
        };
    }

    /**
     * A key-management failure: 403 when the KMS refused (an authorisation decision), 503 when it could not be
     * reached, otherwise 488 for a TRANSFER_INIT in an offer (RFC 3261: the session description is not acceptable)
     * and 403 for one in a REFER (the referrer is not authenticated).
     */
    public static int of(KeyManagementException e, Carrier carrier) {
        return switch (e.reason()) {
            case KMS_REFUSED -> 403;
            case KMS_UNAVAILABLE -> 503;
            case INVALID, AUTHENTICATION, REPLAY -> carrier == Carrier.OFFER ? 488 : 403;
        };
    }

    /** One line for a Warning or a log: what failed, the MIKEY error, the detail (never key material). */
    public static String describe(KeyManagementException e) {
        String what = switch (e.reason()) {
            case KMS_REFUSED -> "KMS refused";
            case KMS_UNAVAILABLE -> "KMS unavailable";
            case INVALID -> "MIKEY message rejected";
            case AUTHENTICATION -> "MIKEY authentication failed";
            case REPLAY -> "MIKEY replay";
        };
        return what + e.mikeyError().map(c -> " (" + c + ")").orElse("") + ": " + e.getMessage();
    }
}
