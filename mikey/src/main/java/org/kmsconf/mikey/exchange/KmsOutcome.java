package org.kmsconf.mikey.exchange;

import java.util.List;
import org.kmsconf.mikey.ErrorCode;

/**
 * What the KMS did with one message, for the audit log; never contains key material.
 *
 * @param exchange   REQUEST, RESOLVE or, if the message could not be classified, UNKNOWN
 * @param granted    true if a ticket was issued or resolved
 * @param user       the authenticated KMS user, or null before authentication
 * @param identity   the requester's IDRi (REQUEST) or the resolver's IDRr (RESOLVE), if read
 * @param initiator  the ticket's IDRi (RESOLVE), if read
 * @param responders the ticket's IDRr list, if read
 * @param viaFactory the factory URI whose focus rule admitted the resolver, or null
 * @param error      the error code sent, or null when granted
 * @param refusal    why it was refused (the docs/kms.md table), or null when granted
 * @param reason     a one-line reason
 */
public record KmsOutcome(Exchange exchange, boolean granted, String user, String identity, String initiator,
        List<String> responders, String viaFactory, ErrorCode error, KmsRefusal refusal, String reason) {

    public enum Exchange { REQUEST, RESOLVE, UNKNOWN }

    public KmsOutcome {
        responders = responders == null ? List.of() : List.copyOf(responders);
    }
}
