package org.kmsconf.sip.conference;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an authenticated ticket says about a conference: who asked for it (IDRi) and whom it names (IDRr), as the
 * KMS's resolve vouched for them. Built by the responder step from a resolved TRANSFER_INIT only.
 *
 * <p>The allowed set (TR 33.829 5.3.3.1.2, docs/profile.md "Conference system"): a ticket that names no one but the
 * focus (or the factory) keeps the set as it is; any other ticket defines it as its recipients minus the focus, the
 * factory and the ticket's initiator. So the owner empties the set with a ticket naming the focus and itself.
 */
public record TicketScope(String initiator, List<String> recipients) {
    public TicketScope {
        recipients = List.copyOf(recipients);
    }

    public boolean names(String uri) {
        return recipients.contains(uri);
    }

    /** The allowed set this ticket defines, or empty when it keeps the current one. */
    public Optional<Set<String>> allowedSet(String focusUri, String factoryUri) {
        Set<String> others = new LinkedHashSet<>(recipients);
        others.remove(focusUri);
        others.remove(factoryUri);
        if (others.isEmpty()) {
            return Optional.empty();
        }
        others.remove(initiator);
        return Optional.of(Collections.unmodifiableSet(others));
    }
}
