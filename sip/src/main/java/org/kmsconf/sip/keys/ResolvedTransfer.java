package org.kmsconf.sip.keys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A TRANSFER_INIT whose ticket the KMS resolved for this party and whose MAC verified. */
public interface ResolvedTransfer {
    /** The authenticated initiator (IDRi). */
    String initiator();

    /** The ticket's IDRr list, integrity-protected by the KMS's ticket MAC and the TRANSFER_INIT MAC. */
    List<String> responders();

    /** The IDRr the KMS forked the keys with (RESOLVE_RESP), echoed in TRANSFER_RESP. */
    String resolvedAs();

    /** The end of the ticket's validity, if it names one (vouched for by the KMS's ticket MAC). */
    Optional<Instant> validUntil();

    /** The SSRCs the initiator offered (CS 1 / CS 2, 0 = none). */
    Ssrcs offeredSsrcs();

    /**
     * Builds the TRANSFER_RESP (fresh T, RANDRr, IDRr and RANDRkms echoed, session data with the final SSRCs, V with
     * MPKr') and derives the per-CS SRTP keys.
     */
    Leg answer(Ssrcs finalSsrcs) throws KeyManagementException;

    /** Zeroes the resolved keys without answering. */
    void discard();

    /**
     * Refuses the TRANSFER_INIT: a MIKEY error message with a V keyed from MPKi as TRANSFER_INIT was (docs/profile.md
     * §1 row 13), so
     * the initiator can tell the refusal is genuine; then {@link #discard()}. For the body of a SIP 403/488.
     */
    byte[] refusal(org.kmsconf.mikey.ErrorCode code);
}
