package org.kmsconf.sip.trace;

import java.time.Instant;
import java.util.List;
import org.kmsconf.mikey.message.Ssrc;

/**
 * One observable step of a flow of TR 33.829 Figure 5.3.3.3.2-1, seen by one party.
 * {@code party} is the public identity of the party that reports the event (for the conference system: the factory
 * or focus URI acting at that moment).
 */
public sealed interface FlowEvent {
    Instant at();

    String party();

    /** Which MIKEY message, if any, a SIP message carries (SDP a=key-mgmt or an application/mikey body). */
    enum MikeyContent { NONE, TRANSFER_INIT, TRANSFER_RESP, ERROR }

    enum Direction { SENT, RECEIVED }

    /**
     * A SIP request or response sent or received. {@code what} is the method ("INVITE") for a request and the
     * status with the method for a response ("200 INVITE", "403 REFER").
     */
    record SipMessage(Instant at, String party, Direction direction, String from, String to, String what,
                      String callId, String transport, MikeyContent mikey) implements FlowEvent { }

    enum KmsExchange { REQUEST, RESOLVE }

    /**
     * A Ticket Request or Ticket Resolve exchange with the KMS finished. {@code identities} are the requested IDRr
     * values (REQUEST) or the identity the party resolved as (RESOLVE). {@code detail} is the refusal reason or
     * empty.
     */
    record KmsDone(Instant at, String party, KmsExchange exchange, List<String> identities, boolean ok,
                   String detail) implements FlowEvent {
        public KmsDone {
            identities = List.copyOf(identities);
        }
    }

    /**
     * A named check passed or failed, reported by the party that ran it, after it ran: a rule of the conference
     * model or a signalling check ({@link CheckName}). {@code detail} says about whom or why.
     */
    record Check(Instant at, String party, CheckName check, boolean passed, String detail) implements FlowEvent { }

    /**
     * Keys derived for one crypto session of a leg: {@code sender} sends with them to {@code receiver}
     * (CS 1 = initiator to responder, CS 2 = responder to initiator). Only the fingerprint, never the keys.
     */
    record LegKeys(Instant at, String party, String legId, int csId, String sender, String receiver, Ssrc ssrc,
                   String fingerprint) implements FlowEvent { }

    /** A conference came into being, changed its allowed set, gained or lost a participant, or ended. */
    record ConferenceChanged(Instant at, String party, String focusUri, String change, String owner,
                             List<String> allowed, List<String> participants) implements FlowEvent {
        public ConferenceChanged {
            allowed = List.copyOf(allowed);
            participants = List.copyOf(participants);
        }
    }
}
