package org.kmsconf.sip.ue;

import java.util.Optional;
import javax.sip.ServerTransaction;
import javax.sip.header.ReferToHeader;
import javax.sip.message.Request;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.ReferNotify;
import org.kmsconf.sip.Referral;
import org.kmsconf.sip.ResponderStep.Keyed;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.SipStatus.Carrier;
import org.kmsconf.sip.trace.SignallingCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flow 5 b at the referee: the owner's REFER carries a TRANSFER_INIT addressed to us; resolving it authenticates
 * the owner and shows that the owner named the focus (Refer-To must be a recipient of its ticket); then the answer
 * policy; the 202 carries our TRANSFER_RESP; we join as in flow 3 and NOTIFY the outcome.
 */
final class IncomingRefers {
    private static final Logger LOG = LoggerFactory.getLogger(IncomingRefers.class);
    private final UeContext ue;
    private final UserAgent ua;

    IncomingRefers(UeContext ue, UserAgent ua) {
        this.ue = ue;
        this.ua = ua;
    }

    void onRefer(ServerTransaction stx, Request req) {
        ReferToHeader referTo = (ReferToHeader) req.getHeader(ReferToHeader.NAME);
        if (referTo == null) {
            ue.node.respond(stx, ue.msgs.refusal(400, req, "REFER without Refer-To", null));
            return;
        }
        Optional<Keyed> keyed = ue.step.receive(stx, req, Carrier.REFER, ue.self, ue.self)
                .flatMap(rx -> rx.resolve(ue.self));
        if (keyed.isEmpty()) {
            return;
        }
        Keyed k = keyed.get();
        String focus = SipMessages.identityOf(referTo.getAddress());
        boolean named = k.ticket().names(focus) && !focus.equals(ue.self);
        ue.tracer.check(ue.self, SignallingCheck.REFER_TO_IN_TICKET, named, focus);
        if (!named) {
            k.refuse(SignallingCheck.REFER_TO_IN_TICKET, "Refer-To " + focus
                    + " is not a recipient of the referrer's ticket");
            return;
        }
        boolean follow = ue.answer.acceptReferral(new Referral(k.initiator(), focus));
        ue.tracer.check(ue.self, SignallingCheck.ANSWER_POLICY, follow, focus + " (" + ue.answer + ")");
        if (!follow) {
            k.refuse(SignallingCheck.ANSWER_POLICY, "referral to " + focus + " declined");
            return;
        }
        Optional<ReferNotify.Progress> progress = ReferNotify.accept(ue.node, ue.msgs, stx, req, k,
                ue.config.timeout());
        if (progress.isEmpty()) {
            return;
        }
        String outcome;
        try {
            Call call = ua.join(focus);
            outcome = "SIP/2.0 200 OK";
            ue.listener.accept(call);
        } catch (FlowFailedException e) {
            LOG.info("{}: joining {} after a REFER from {} failed: {}", ue.self, focus, k.initiator(),
                    e.getMessage());
            outcome = e.status() >= 300 ? "SIP/2.0 " + e.status() + " " + ReferNotify.reasonOf(e.status())
                    : "SIP/2.0 500 Server Internal Error";
        }
        progress.get().done(outcome);
    }
}
