package org.kmsconf.sip.ue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Optional;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.ResponderStep.Keyed;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.SipStatus.Carrier;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.kmsconf.sip.trace.SignallingCheck;

/**
 * Offers a user agent receives: a focus calling it out (flow 4 c: the focus's TRANSFER_INIT addressed to us,
 * resolved, its initiator the caller, then the answer policy) and, on an existing call, the focus's re-offer with a
 * new TRANSFER_INIT (re-key). An offer without a TRANSFER_INIT is refused (488) even on an existing call: media
 * address, port, SSRC and keys change only through an authenticated MIKEY exchange.
 */
final class IncomingCalls {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final UeContext ue;

    IncomingCalls(UeContext ue) {
        this.ue = ue;
    }

    void onOffer(ServerTransaction stx, Request req) {
        Optional<Keyed> keyed = ue.step.receive(stx, req, Carrier.OFFER, ue.self, ue.self)
                .flatMap(rx -> rx.resolve(ue.self));
        if (keyed.isEmpty()) {
            return;
        }
        Keyed k = keyed.get();
        String from = k.initiator();
        Call existing = ue.calls.get(from);
        boolean sameCall = existing != null && existing.isActive() && existing.dialog().equals(stx.getDialog());
        if (!sameCall) {
            if (Request.UPDATE.equals(req.getMethod())) {
                k.transfer().discard();
                ue.node.respond(stx, ue.msgs.refusal(481, req, "UPDATE outside a call", null));
                return;
            }
            boolean accept = (existing == null || !existing.isActive()) && ue.answer.acceptCallOut(from);
            ue.tracer.check(ue.self, SignallingCheck.ANSWER_POLICY, accept, from + " (" + ue.answer + ")");
            if (!accept) {
                k.refuse(SignallingCheck.ANSWER_POLICY, "call from " + from + " declined");
                return;
            }
        }
        Ssrcs offered = k.transfer().offeredSsrcs();
        Ssrc mine = sameCall ? existing.ssrc() : offered.cs2().isAssigned() ? offered.cs2() : Ssrc.random(RANDOM);
        Leg leg;
        try {
            leg = k.transfer().answer(new Ssrcs(offered.cs1(), mine));
        } catch (KeyManagementException e) {
            k.refuse(e);
            return;
        }
        Response ok = ue.msgs.response(200, req);
        SipMessages.setBody(ok, KeyMgmtSdp.build(SipMessages.userOf(ue.self), ue.config.media(),
                leg.transferResp()), ue.msgs.sdpType());
        InetSocketAddress peerMedia = k.offer().mediaAddress().orElse(null);
        Call call;
        if (sameCall) {
            existing.rekey(leg, peerMedia);
            call = existing;
        } else {
            call = new Call(ue.self, from, stx.getDialog(), leg, ue.config.media(), peerMedia);
            ue.calls.put(from, call);
        }
        call.peerSdp(k.offer());
        if (!sameCall) {
            call.awaitAck(); // the roster is followed from the ACK on (onAck)
        }
        ue.tracer.legKeys(ue.self, SipMessages.callIdOf(req), leg); // before the answer leaves: traces in order
        ue.node.respond(stx, ok);
        ue.listener.accept(call);
    }

    /**
     * The ACK of a call we answered: the focus that called us out acknowledges once it holds our leg (CallOut), so
     * only now does a SUBSCRIBE to its conference state find the leg live; it keyed the event package's KEK.
     */
    void onAck(Dialog dialog) {
        for (Call call : ue.calls.values()) {
            if (call.dialog().equals(dialog) && call.acknowledged()) {
                ue.watching.legUp(call);
            }
        }
    }

}
