package org.kmsconf.sip.ue;

import java.util.ArrayList;
import java.util.List;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.keys.Ticket;
import org.kmsconf.sip.trace.SignallingCheck;

/**
 * Flows 2 and 3 at the participant (a ticket naming the focus, INVITE, the TRANSFER_RESP must come from that
 * focus), re-keys and the owner's updates of the allowed set on the call (re-INVITE or UPDATE with a new ticket,
 * the answer again from the focus), and leaving.
 */
final class Joining {
    private final UeContext ue;
    private final Initiator initiator;

    Joining(UeContext ue, Initiator initiator) {
        this.ue = ue;
        this.initiator = initiator;
    }

    Call join(String focus, Ticket ticket) throws FlowFailedException {
        Call current = ue.calls.get(focus);
        if (current != null && current.isActive()) {
            throw new FlowFailedException(0, "already in conference " + focus);
        }
        Initiator.Answered a = initiator.invite(focus, ticket, Ssrcs.UNASSIGNED,
                Initiator.Extras.focusLeg(ue.config.floorControl()));
        initiator.expectResponder(a, focus, true);
        boolean assigned = a.leg().ssrcs().cs1().isAssigned();
        ue.tracer.check(ue.self, SignallingCheck.SSRC_ASSIGNED, assigned, a.leg().ssrcs().cs1().toString());
        Call call = new Call(ue.self, focus, a.dialog(), a.leg(), ue.config.media(), a.peerMedia());
        call.peerSdp(a.peerSdp());
        call.ticket(ticket);
        ue.calls.put(focus, call);
        ue.tracer.legKeys(ue.self, a.callId(), a.leg());
        ue.legUp(call, a.peerBfcp());
        return call;
    }

    /** A new ticket for {focus} or {focus, allowed...} (the owner's update; an empty set: {focus, self}). */
    Ticket ticketFor(String focus, List<String> allowed) throws FlowFailedException {
        List<String> all = new ArrayList<>();
        all.add(focus);
        if (allowed != null) {
            allowed.stream().map(Directory::normalise).filter(p -> !all.contains(p)).forEach(all::add);
            if (all.size() == 1) {
                all.add(ue.self); // docs/profile.md: naming only the focus keeps the set; naming oneself empties it
            }
        }
        return ue.requestTicket(all);
    }

    /**
     * A re-offer on our call with a new TRANSFER_INIT: new keys (SRTP, the event package's KEK and, with floor
     * control, the BFCP PSK: the BFCP connection is made again), and with the owner's ticket a new allowed set.
     * {@code addFloorControl} asks for floor control on a call that has none yet.
     */
    Call rekey(String focus, Ticket ticket, Initiator.Method method, boolean addFloorControl)
            throws FlowFailedException {
        Call call = ue.activeCall(focus);
        boolean floor = addFloorControl || call.bfcp().isPresent() || ue.config.floorControl();
        Initiator.Answered a = initiator.reoffer(call, ticket, method, Initiator.Extras.focusLeg(floor));
        initiator.expectResponder(a, focus, false);
        call.rekey(a.leg(), a.peerMedia());
        call.peerSdp(a.peerSdp());
        call.ticket(ticket);
        ue.tracer.legKeys(ue.self, a.callId(), a.leg());
        ue.legUp(call, a.peerBfcp());
        return call;
    }

    void leave(String focus) throws FlowFailedException {
        Call call = ue.calls.remove(focus);
        if (call == null || !call.isActive()) {
            throw new FlowFailedException(0, "not in conference " + focus);
        }
        ue.bye(call.dialog());
        call.end("left");
    }
}
