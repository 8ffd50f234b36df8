package org.kmsconf.sip.focus;

import java.util.Optional;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.ResponderStep.Keyed;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.SipStatus.Carrier;
import org.kmsconf.sip.conference.Conference;
import org.kmsconf.sip.conference.Departed;
import org.kmsconf.sip.conference.Joined;
import org.kmsconf.sip.conference.Outcome;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.media.ConferenceMedia;
import org.kmsconf.sip.sdp.BfcpLine;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The focus answering offers: an INVITE (flows 2, 3 and 5's last leg) and, on a participant's own call, a
 * re-INVITE or UPDATE (re-key, and the owner's update of the allowed set). Every offer carries a TRANSFER_INIT:
 * one without (a change of media address, port or SSRC that no MIKEY exchange authenticates) is refused with 488
 * by the responder step. A BFCP m-line in the offer is answered by the focus's floor control ({@link FocusFloors}).
 * After the answer, the conference's subscribers are told ({@link FocusEvents}). Also the participant's BYE.
 */
final class FocusOfferHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FocusOfferHandler.class);
    private final ConferenceSystem sys;

    FocusOfferHandler(ConferenceSystem sys) {
        this.sys = sys;
    }

    void onOffer(Conference<FocusLeg> conf, ServerTransaction stx, Request req) {
        String focus = conf.focusUri();
        String dialogId = SipMessages.callKey(req, true);
        if (Request.UPDATE.equals(req.getMethod()) && conf.participantOnDialog(dialogId).isEmpty()) {
            sys.node.respond(stx, sys.msgs.refusal(481, req, "UPDATE outside a call with " + focus, null));
            return;
        }
        Optional<Keyed> keyed = sys.step.receive(stx, req, Carrier.OFFER, focus, focus)
                .flatMap(rx -> rx.resolve(focus));
        if (keyed.isEmpty()) {
            return;
        }
        Keyed k = keyed.get();
        String caller = k.initiator();
        ConferenceMedia.Room room = sys.room(conf);
        Outcome<Joined<FocusLeg>> o;
        try {
            // CS 2 (focus -> participant) carries relayed streams under their own SSRCs: its SSRC field is 0.
            o = conf.offer(caller, dialogId, k.ticket(), k.transfer().offeredSsrcs().cs1(), ssrc -> {
                ConferenceMedia.Port port = conf.legOf(caller).map(FocusLeg::port)
                        .orElseGet(() -> room.reserve(caller));
                return new FocusLeg(stx.getDialog(), port, k.transfer().answer(new Ssrcs(ssrc, Ssrc.UNASSIGNED)));
            });
        } catch (KeyManagementException e) {
            k.refuse(e);
            return;
        }
        if (o instanceof Outcome.Refused<Joined<FocusLeg>> refused) {
            k.refuse(refused);
            return;
        }
        Joined<FocusLeg> joined = ((Outcome.Admitted<Joined<FocusLeg>>) o).value();
        sys.tracer.outcome(focus, o, caller);
        FocusLeg leg = joined.participant().leg();
        if (joined.previousLeg() != null) {
            joined.previousLeg().keys().destroy();
        }
        Leg keys = leg.keys();
        try {
            // The relay learns the participant's address from its first authenticated packet (symmetric RTP,
            // RFC 4961), so nothing of the SDP's address is trusted.
            leg.port().activate(joined.participant().ssrc(), keys.cs1(), keys.cs2());
        } catch (RuntimeException e) {
            LOG.warn("{}: no relay leg for {}: {}", focus, caller, e.toString());
            conf.leave(caller, dialogId).ifAdmitted(d -> sys.departed(conf, d, caller, "lost"));
            sys.node.respond(stx, sys.msgs.refusal(500, req, "the focus could not open a media port", null));
            return;
        }
        Optional<BfcpLine> bfcp = sys.floors.answer(conf, caller, k.offer().bfcp(), keys);
        Response ok = sys.msgs.response(200, req);
        SipMessages.setBody(ok, KeyMgmtSdp.build(SipMessages.userOf(focus), leg.port().localAddress(),
                keys.transferResp(), bfcp), sys.msgs.sdpType());
        // Traced before the answer leaves, so whoever reads the trace after the caller's join sees all of it.
        sys.tracer.legKeys(focus, SipMessages.callIdOf(req), keys);
        sys.traceChange(conf, (joined.allowedSetReplaced().isPresent() ? "allowed-set-replaced, " : "")
                + (joined.newcomer() ? "joined " : "re-keyed ") + caller);
        sys.node.respond(stx, ok);
        if (!joined.removed().isEmpty()) {
            sys.departed(conf, new Departed<>(joined.removed(), false), null, "removed");
        } else {
            sys.events.changed(conf); // after the 200: the joiner's NOTIFY goes once its call is up
        }
    }

    void onBye(Conference<FocusLeg> conf, ServerTransaction stx, Request req) {
        String from = SipMessages.fromIdentity(req);
        Outcome<Departed<FocusLeg>> o = conf.leave(from, SipMessages.callKey(req, true));
        sys.node.respond(stx, sys.msgs.response(200, req)); // after the state change: the sender sees it done
        o.ifAdmitted(d -> sys.departed(conf, d, from, "left"));
    }
}
