package org.kmsconf.sip.focus;

import java.net.InetSocketAddress;
import java.util.Optional;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.sip.ResponderStep.Keyed;
import org.kmsconf.sip.ResponderStep.Received;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.SipStatus.Carrier;
import org.kmsconf.sip.conference.Conferences.Created;
import org.kmsconf.sip.conference.Outcome;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.media.ConferenceMedia;
import org.kmsconf.sip.sdp.BfcpLine;
import org.kmsconf.sip.sdp.KeyMgmtSdp;

/**
 * Flow 1 of TR 33.829 Figure 5.3.3.3.2-1 at the conference factory: an INVITE with the creator's TRANSFER_INIT
 * (addressed to the factory) -> the creation rules on what it claims -> allocate a focus URI -> RESOLVE as it ->
 * the creation rules on the authenticated ticket -> TRANSFER_RESP. The conference exists only when all of that
 * succeeded; a refusal leaves nothing behind. A BFCP m-line in the creation INVITE asks for a floor-controlled
 * conference (when the server does floor control).
 */
final class FactoryHandler {
    private final ConferenceSystem sys;

    FactoryHandler(ConferenceSystem sys) {
        this.sys = sys;
    }

    void onInvite(ServerTransaction stx, Request req) {
        String factory = sys.factory;
        Optional<Received> received = sys.step.receive(stx, req, Carrier.OFFER, factory, factory);
        if (received.isEmpty()) {
            return;
        }
        Received rx = received.get();
        // Refused before any KMS exchange when what the TRANSFER_INIT claims fails the rules already.
        if (sys.conferences.precheck(rx.claimed().initiator(), rx.claimed().recipients())
                instanceof Outcome.Refused<Void> early) {
            rx.refuse(early);
            return;
        }
        Optional<String> allocated = sys.conferences.allocateFocusUri();
        if (allocated.isEmpty()) {
            sys.node.respond(stx, sys.msgs.refusal(503, req, "no focus URI of the list is free", null));
            return;
        }
        String focus = allocated.get();
        Optional<Keyed> keyed = rx.resolve(focus);
        if (keyed.isEmpty()) {
            sys.conferences.release(focus);
            return;
        }
        Keyed k = keyed.get();
        ConferenceMedia.Room room = sys.openRoom(focus);
        Outcome<Created<FocusLeg, Leg>> o;
        try {
            o = sys.conferences.create(k.ticket(), focus, k.transfer().validUntil().orElse(null), room.ssrcs(),
                    () -> k.transfer().answer(Ssrcs.UNASSIGNED));
        } catch (KeyManagementException e) {
            sys.closeRoom(focus);
            k.refuse(e);
            return;
        }
        if (o instanceof Outcome.Refused<Created<FocusLeg, Leg>> refused) {
            sys.closeRoom(focus);
            k.refuse(refused);
            return;
        }
        Created<FocusLeg, Leg> created = ((Outcome.Admitted<Created<FocusLeg, Leg>>) o).value();
        sys.tracer.outcome(factory, o, k.initiator());
        Optional<BfcpLine> askedFloor = k.offer().bfcp();
        boolean floorControl = askedFloor.map(BfcpLine::accepted).orElse(false) && sys.floors.enabled();
        if (floorControl) {
            sys.floors.open(created.conference(), room);
        }
        sys.traceChange(created.conference(), "created");
        Leg leg = created.stepResult();
        Response ok = sys.msgs.response(200, req);
        // The factory takes no media: port 0 (RFC 3264 §6) in the answer that carries the TRANSFER_RESP.
        // A BFCP m-line asked for floor control in the conference; this call has no BFCP stream (port 0).
        SipMessages.setBody(ok, KeyMgmtSdp.build(SipMessages.userOf(factory), new InetSocketAddress(
                sys.node.host(), 0), leg.transferResp(), askedFloor.map(l -> BfcpLine.refused())),
                sys.msgs.sdpType());
        // Traced before the answer leaves (traces stay in order); no key-log lines: this leg carries no media.
        sys.tracer.legKeys(factory, SipMessages.callIdOf(req), leg, false);
        sys.node.respond(stx, ok);
        leg.destroy();
    }
}
