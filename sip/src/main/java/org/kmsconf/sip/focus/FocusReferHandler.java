package org.kmsconf.sip.focus;

import java.util.Optional;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.ReferToHeader;
import javax.sip.message.Request;
import org.kmsconf.sip.ReferNotify;
import org.kmsconf.sip.ResponderStep.Keyed;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.SipStatus.Carrier;
import org.kmsconf.sip.conference.Actor;
import org.kmsconf.sip.conference.Conference;
import org.kmsconf.sip.conference.Departed;
import org.kmsconf.sip.conference.Outcome;
import org.kmsconf.sip.conference.Participant;
import org.kmsconf.sip.trace.SignallingCheck;

/**
 * A REFER to a focus, with the referrer's TRANSFER_INIT as its body, resolved before anything else (TR 33.829 flow
 * 4 b: authenticating the referrer early limits denial of service). Its Refer-To must be a recipient of the
 * referrer's ticket (docs/profile.md). Then either:
 * <ul>
 *   <li>flow 4: the focus calls the Refer-To participant out ({@link CallOut});</li>
 *   <li>removal (RFC 4579 §5.11: Refer-To with {@code method=BYE}): the owner takes the participant out of the
 *       allowed set and off its call.</li>
 * </ul>
 * The 202 carries the focus's TRANSFER_RESP (mutual authentication); NOTIFYs report the outcome (RFC 3515).
 */
final class FocusReferHandler {
    private final ConferenceSystem sys;
    private final CallOut callOut;

    FocusReferHandler(ConferenceSystem sys) {
        this.sys = sys;
        this.callOut = new CallOut(sys);
    }

    void onRefer(Conference<FocusLeg> conf, ServerTransaction stx, Request req) {
        String focus = conf.focusUri();
        Optional<Keyed> keyed = sys.step.receive(stx, req, Carrier.REFER, focus, focus)
                .flatMap(rx -> rx.resolve(focus));
        if (keyed.isEmpty()) {
            return;
        }
        Keyed k = keyed.get();
        ReferToHeader referTo = (ReferToHeader) req.getHeader(ReferToHeader.NAME);
        String target = referTo == null ? "" : SipMessages.identityOf(referTo.getAddress());
        boolean inTicket = k.ticket().names(target);
        sys.tracer.check(focus, SignallingCheck.REFER_TO_IN_TICKET, inTicket, target);
        if (!inTicket) {
            k.refuse(SignallingCheck.REFER_TO_IN_TICKET, "Refer-To " + target
                    + " is not a recipient of the ticket");
            return;
        }
        boolean removal = referTo.getAddress().getURI() instanceof SipURI uri
                && Request.BYE.equalsIgnoreCase(uri.getMethodParam());
        if (removal) {
            remove(conf, stx, req, k, target);
        } else {
            callOut(conf, stx, req, k, target);
        }
    }

    private void remove(Conference<FocusLeg> conf, ServerTransaction stx, Request req, Keyed k, String target) {
        Outcome<Departed<FocusLeg>> o = conf.remove(Actor.user(k.initiator()), target);
        if (o instanceof Outcome.Refused<Departed<FocusLeg>> refused) {
            k.refuse(refused);
            return;
        }
        sys.tracer.outcome(conf.focusUri(), o, target);
        Optional<ReferNotify.Progress> progress = ReferNotify.accept(sys.node, sys.msgs, stx, req, k,
                sys.config.timeout());
        o.ifAdmitted(d -> sys.departed(conf, d, null, "removed"));
        progress.ifPresent(p -> p.done("SIP/2.0 200 OK"));
    }

    private void callOut(Conference<FocusLeg> conf, ServerTransaction stx, Request req, Keyed k, String target) {
        Outcome<Participant<FocusLeg>> o = conf.referToCallOut(k.initiator(), sys.config.participantsMayRefer(),
                target);
        if (o instanceof Outcome.Refused<Participant<FocusLeg>> refused) {
            k.refuse(refused);
            return;
        }
        sys.tracer.outcome(conf.focusUri(), o, target);
        Optional<ReferNotify.Progress> progress = ReferNotify.accept(sys.node, sys.msgs, stx, req, k,
                sys.config.timeout());
        if (progress.isEmpty()) {
            conf.callOutFailed(target);
            return;
        }
        progress.get().done(callOut.call(conf, target));
    }
}
