package org.kmsconf.sip.keys;

import java.util.List;
import java.util.Set;
import org.kmsconf.mikey.exchange.NonMediaSession;

/**
 * The MIKEY-TICKET mode-1 operations one party performs (RFC 6043 §4.2; docs/profile.md), each doing its KMS exchange
 * when one is needed. The SIP flows only see this seam; the shipped implementation is {@link MikeyKeyAgent}
 * (mikey exchanges + the KMS client).
 *
 * <p>Every method may block on the KMS: call it from {@link org.kmsconf.sip.stack.SipNode#executor()}, never from a
 * SIP callback.
 */
public interface KeyAgent {
    /**
     * Ticket Request exchange (REQUEST_INIT_PSK / REQUEST_RESP): a ticket whose IDRi is {@code initiator} and whose
     * IDRr list is {@code responders}, key forking on.
     */
    Ticket requestTicket(String initiator, List<String> responders) throws KeyManagementException;

    /**
     * Builds a TRANSFER_INIT for one responder from a ticket (fresh T, RANDRi, CSB ID; Vi put in the ticket's
     * Initiator Data). One audio m-line: CS 1 is the initiator's outgoing stream, CS 2 the responder's.
     *
     * @param ssrcs the SSRCs offered for CS 1 and CS 2 (0 = left for the responder to assign)
     * @param nonMedia the non-media crypto sessions to key as well (docs/profile.md §6: on a leg with a focus, the
     *                 event package's KEK and, with floor control, the BFCP TLS PSK; none between users)
     */
    TransferOffer offer(Ticket ticket, String responder, Ssrcs ssrcs, Set<NonMediaSession> nonMedia)
            throws KeyManagementException;

    /** A TRANSFER_INIT keying SRTP only (a leg between users, or the creation call to a factory). */
    default TransferOffer offer(Ticket ticket, String responder, Ssrcs ssrcs) throws KeyManagementException {
        return offer(ticket, responder, ssrcs, Set.of());
    }

    /**
     * Parses a received TRANSFER_INIT and does the checks possible before contacting the KMS (ticket policy, SPs).
     * Nothing in the result is authenticated until {@link IncomingTransfer#resolve} succeeds.
     */
    IncomingTransfer receive(byte[] transferInit) throws KeyManagementException;
}
