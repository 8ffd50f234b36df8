package org.kmsconf.sip.conference;

import org.kmsconf.sip.trace.CheckName;

/**
 * The rules of the conference model (TR 33.829 clause 5.3.3 and the service limits). An admitted {@link Outcome}
 * lists the rules the model evaluated and found true, in order; a refused one names the rule that failed. So a
 * trace line "caller-allowed passed" is written from the model's own record of that check. The SIP status each
 * refusal becomes is one table, {@code org.kmsconf.sip.SipStatus}, documented in docs/sip.md.
 */
public enum Rule implements CheckName {
    // creation (flow 1)
    TICKET_NAMES_FACTORY("ticket-names-factory", "the ticket does not name the conference factory"),
    CREATOR_AUTHORISED_BY_CONFERENCE_POLICY("creator-authorised-by-conference-policy",
            "the creator may not create secure conferences (conference policy)"),
    /** Recorded, never refused here: the KMS refused the resolve already (docs/security.md "Creation"). */
    CREATOR_AUTHORISED_BY_KMS("creator-authorised-by-kms", "the KMS did not authorise the creator"),
    SYSTEM_BELOW_LIMIT("system-below-limit", "the conference system holds the maximum number of conferences"),
    CREATOR_BELOW_LIMIT("creator-below-limit", "the creator owns the maximum number of conferences"),
    // any action on a conference
    CONFERENCE_RUNNING("conference-running", "the conference has ended"),
    // joining (flows 2, 3, 5) and re-keying
    CALLER_ALLOWED("caller-allowed", "not the owner nor in the conference's allowed set"),
    ALLOWED_SET_CHANGE_BY_OWNER("allowed-set-change-by-owner", "only the owner may change the allowed set"),
    NOT_ALREADY_JOINED("not-already-joined", "already in the conference on another call"),
    ROOM_LEFT("room-left", "the conference has the maximum number of participants"),
    SSRC_UNIQUE("ssrc-unique", "the SSRC is used by another participant of the conference"),
    ON_OWN_CALL("on-own-call", "not a participant of the conference on this call"),
    // call-out on REFER (flow 4)
    REFERRER_MAY_REFER("referrer-may-refer", "the referrer may not ask the focus to call anyone"),
    REFEREE_ALLOWED("referee-allowed", "the referee is not allowed in the conference"),
    CALL_OUT_PENDING("call-out-pending", "no call-out to this participant is pending"),
    // removal and end
    OWNER_OR_OPERATOR("owner-or-operator", "only the owner or the operator may do this"),
    TARGET_NOT_OWNER("target-not-owner", "the owner leaves or ends the conference; it is not removed"),
    TARGET_KNOWN("target-known", "neither allowed in nor part of the conference");

    private final String label;
    private final String failure;

    Rule(String label, String failure) {
        this.label = label;
        this.failure = failure;
    }

    @Override
    public String label() {
        return label;
    }

    /** What it means when this rule does not hold. */
    public String failure() {
        return failure;
    }
}
