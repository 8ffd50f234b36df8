package org.kmsconf.sip.keys;

import java.util.List;

/**
 * A ticket granted by the KMS together with the initiator's secrets from REQUEST_RESP (MPKi, MPKr, TGK).
 * Reusable for several TRANSFER exchanges (J flag). {@link #destroy()} zeroes the secrets.
 */
public interface Ticket {
    /** IDRi of the ticket. */
    String initiator();

    /** The IDRr list of the granted ticket policy (the KMS may narrow what was asked). */
    List<String> responders();

    void destroy();
}
