package org.kmsconf.sip.trace;

/** The checks of the key-management and signalling steps (the conference's own rules are {@code Rule}s). */
public enum SignallingCheck implements CheckName {
    /** The offer or REFER carries a TRANSFER_INIT. */
    CARRIES_TRANSFER_INIT("carries-transfer-init"),
    /** The TRANSFER_INIT's IDRr names the party that received it (a responder refuses one addressed to another). */
    ADDRESSED_TO_US("transfer-init-addressed-to-us"),
    /** The KMS resolved the ticket and the TRANSFER_INIT MAC and Vi verified: the initiator is authenticated. */
    INITIATOR_AUTHENTICATED("initiator-authenticated"),
    /** The authenticated IDRi is the From identity of the request. */
    INITIATOR_IS_FROM("initiator-is-from"),
    /** The answer's TRANSFER_RESP verified (MAC with MPKr' forked for the IDRr it carries). */
    RESPONDER_AUTHENTICATED("responder-authenticated"),
    /** The authenticated responder is the party called (a focus on join and re-key, the referee of a REFER). */
    RESPONDER_IS_CALLED_PARTY("responder-is-called-party"),
    /**
     * Flow 1 c: the factory's answer comes from a focus URI of that factory: an identity the creator's ticket does
     * not name, which the KMS forks keys for only under the rule of a factory the ticket names.
     */
    FOCUS_URI_AUTHENTICATED("focus-uri-authenticated"),
    /** The focus assigned this party an SSRC in its TRANSFER_RESP. */
    SSRC_ASSIGNED("ssrc-assigned"),
    /** The called-out participant's TRANSFER_RESP verified and names it. */
    PARTICIPANT_AUTHENTICATED("participant-authenticated"),
    /** The user agent's answer policy accepted the call-out or the REFER. */
    ANSWER_POLICY("answer-policy"),
    /** A REFER's Refer-To names a recipient of the referrer's ticket. */
    REFER_TO_IN_TICKET("refer-to-in-ticket"),
    /** The Request-URI's focus URI names a running conference. */
    FOCUS_EXISTS("focus-exists"),
    /** The source is within its request rate and the server has a worker free. */
    WITHIN_CAPACITY("within-capacity"),
    /** A SUBSCRIBE to a focus comes from a participant with a live, authenticated leg in that conference. */
    SUBSCRIBER_HAS_LIVE_LEG("subscriber-has-live-leg"),
    /** The subscriber accepts the protected conference state (Accept: application/pkcs7-mime). */
    SUBSCRIBER_ACCEPTS_CMS("subscriber-accepts-cms"),
    /**
     * A conference-package NOTIFY body passed the subscriber's checks (protected, its kekid names our live leg to
     * that focus, the tag verifies, conference-info inside, entity is the focus URI).
     */
    NOTIFY_BODY_VERIFIED("notify-body-verified"),
    /**
     * A BFCP m-line is answered with the focus's floor control server only on a floor-controlled conference and a
     * leg whose MIKEY exchange keyed the BFCP TLS PSK (CS 0xB0).
     */
    FLOOR_CONTROL_KEYED("floor-control-keyed");

    private final String label;

    SignallingCheck(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
