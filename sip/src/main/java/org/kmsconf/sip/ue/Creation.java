package org.kmsconf.sip.ue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.keys.Ticket;
import org.kmsconf.sip.sdp.BfcpLine;
import org.kmsconf.sip.trace.SignallingCheck;

/**
 * Flow 1 at the creator: a ticket for {factory, participants...}, an INVITE to the factory with the TRANSFER_INIT,
 * and step c: the TRANSFER_RESP must come from a focus URI of the factory called.
 *
 * <p>Why "not named in the ticket" proves that (docs/security.md "Focus impersonation"): a TRANSFER_RESP verifies
 * only under MPKr' forked for the identity it carries, and the KMS forks for an identity the ticket does not name
 * only when the resolver is the user of a factory the ticket names and the identity is a focus URI that factory may
 * create. The creator names one factory, the one it calls. Any recipient of the ticket (a participant who got the
 * INVITE through a wrong route or a malicious proxy) can resolve it, but only as itself, a named identity.
 */
final class Creation {
    private final UeContext ue;
    private final Initiator initiator;

    Creation(UeContext ue, Initiator initiator) {
        this.ue = ue;
        this.initiator = initiator;
    }

    /** {@code floorControl}: ask for a floor-controlled conference (a BFCP m-line in the INVITE to the factory). */
    UserAgent.Created create(String factoryUri, List<String> participants, boolean floorControl)
            throws FlowFailedException {
        String factory = Directory.normalise(factoryUri);
        List<String> recipients = new ArrayList<>();
        recipients.add(factory);
        participants.stream().map(Directory::normalise).filter(p -> !recipients.contains(p)).forEach(recipients::add);
        Ticket ticket = ue.requestTicket(recipients);
        Initiator.Extras extras = new Initiator.Extras(Set.of(),
                floorControl ? Optional.of(BfcpLine.client()) : Optional.empty());
        Initiator.Answered a = UeContext.destroyOnFailure(ticket, t -> initiator.invite(factory, t,
                Ssrcs.UNASSIGNED, extras));
        String focus = a.leg().responder();
        boolean focusOfFactory = !a.leg().responderNamedInTicket() && !focus.equals(ue.self);
        ue.tracer.check(ue.self, SignallingCheck.FOCUS_URI_AUTHENTICATED, focusOfFactory, focus);
        ue.bye(a.dialog()); // the creation leg is its own session; joining is flow 2
        if (!focusOfFactory) {
            a.leg().destroy();
            ticket.destroy();
            throw new FlowFailedException(0, "the answer to the INVITE to " + factory + " came from " + focus
                    + ", a recipient of the ticket, not a focus of " + factory + ": call torn down");
        }
        ue.tracer.legKeys(ue.self, a.callId(), a.leg(), false);
        return new UserAgent.Created(focus, ticket, a.leg());
    }
}
