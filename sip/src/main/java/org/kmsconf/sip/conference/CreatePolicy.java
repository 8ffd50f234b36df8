package org.kmsconf.sip.conference;

import java.util.Optional;
import java.util.Set;

/**
 * Who decides the right to create secure conferences (TR 33.829 5.3.3.1.2): a conference policy kept by the
 * conference system (a list of creators), or the KMS when it resolves the creation ticket. With the KMS, the
 * factory relies on this: the KMS resolves a ticket as a focus URI that the ticket does not name only under the
 * rule of a factory the ticket names, and then only for an initiator with the right to create conferences
 * (docs/security.md "Creation").
 */
public record CreatePolicy(Optional<Set<String>> creators) {
    public static final CreatePolicy KMS = new CreatePolicy(Optional.empty());

    public CreatePolicy {
        creators = creators.map(Set::copyOf);
    }

    public static CreatePolicy conferencePolicy(Set<String> creators) {
        return new CreatePolicy(Optional.of(creators));
    }

    public boolean byKms() {
        return creators.isEmpty();
    }
}
