package org.kmsconf.sip.keys;

import java.util.List;

/** A received TRANSFER_INIT after the pre-KMS checks; nothing here is authenticated before {@link #resolve}. */
public interface IncomingTransfer {
    /** IDRi as claimed in the message (unauthenticated). */
    String claimedInitiator();

    /**
     * The IDRr of the TRANSFER_INIT itself: whom the initiator addressed (unauthenticated until resolved; the
     * TRANSFER_INIT MAC covers it). A responder refuses a TRANSFER_INIT addressed to someone else.
     */
    String addressedResponder();

    /** The IDRr list of the ticket as carried (unauthenticated until resolved). */
    List<String> claimedResponders();

    /** The SSRCs the initiator offered for CS 1 / CS 2 (0 = none). */
    Ssrcs offeredSsrcs();

    /**
     * Ticket Resolve exchange as {@code asIdentity} (for the factory: the newly allocated focus URI), then the
     * TRANSFER_INIT MAC (MPKi) and Vi checks and the replay check. Success authenticates the initiator.
     */
    ResolvedTransfer resolve(String asIdentity) throws KeyManagementException;

    /**
     * A MIKEY error message answering this TRANSFER_INIT (RFC 3830 §5.1.2; {@code HDR, T, ERR}), unauthenticated since
     * the ticket is not resolved; for the body of a SIP refusal. Null when none can be built.
     */
    byte[] refusal(org.kmsconf.mikey.ErrorCode code);
}
