package org.kmsconf.sip.focus;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.mikey.exchange.NonMediaSession;
import org.kmsconf.sip.Contact;
import org.kmsconf.sip.ReferNotify;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.SipStatus;
import org.kmsconf.sip.conference.Conference;
import org.kmsconf.sip.conference.Outcome;
import org.kmsconf.sip.conference.Participant;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.keys.Ticket;
import org.kmsconf.sip.keys.TransferOffer;
import org.kmsconf.sip.media.ConferenceMedia;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.kmsconf.sip.stack.SipNode;
import org.kmsconf.sip.trace.FlowEvent.KmsExchange;
import org.kmsconf.sip.trace.SignallingCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flow 4 b-d at the focus, once the model admitted the call-out: the focus's own ticket for the participant, an
 * INVITE whose offer carries the TRANSFER_INIT and the relay port (bound already, so no later unauthenticated
 * message has to tell it), the TRANSFER_RESP checked (it must come from the participant), and the model's final
 * word on the answer. Returns the sipfrag status line for the REFER's last NOTIFY.
 */
final class CallOut {
    private static final Logger LOG = LoggerFactory.getLogger(CallOut.class);
    private final ConferenceSystem sys;

    CallOut(ConferenceSystem sys) {
        this.sys = sys;
    }

    String call(Conference<FocusLeg> conf, String target) {
        String focus = conf.focusUri();
        Optional<Contact> contact = sys.config.directory().lookup(target);
        if (contact.isEmpty()) {
            conf.callOutFailed(target);
            return "SIP/2.0 404 Not Found";
        }
        Ticket ticket;
        try {
            ticket = sys.config.keyAgent().requestTicket(focus, List.of(target));
            sys.tracer.kms(focus, KmsExchange.REQUEST, List.of(target), true, "");
        } catch (KeyManagementException e) {
            sys.tracer.kms(focus, KmsExchange.REQUEST, List.of(target), false, e.getMessage());
            conf.callOutFailed(target);
            return "SIP/2.0 500 Server Internal Error";
        }
        ConferenceMedia.Port port = sys.room(conf).reserve(target);
        boolean joined = false;
        try {
            // CS 1 (focus -> participant) carries relayed streams under their own SSRCs: its SSRC field is 0. The
            // participant chooses its SSRC in TRANSFER_RESP; the model refuses it if it collides.
            // The event package's KEK (CS 0xE0) too, so that the participant can see the conference's state.
            TransferOffer offer = sys.config.keyAgent().offer(ticket, target, Ssrcs.UNASSIGNED,
                    Set.of(NonMediaSession.EVENT_PACKAGE_KEK));
            Request invite = sys.msgs.request(Request.INVITE, focus, target, contact.get());
            SipMessages.setBody(invite, KeyMgmtSdp.build(SipMessages.userOf(focus), port.localAddress(),
                    offer.message()), sys.msgs.sdpType());
            SipNode.Outgoing out = sys.node.send(invite, false);
            Response resp = out.answer().get(sys.config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (resp.getStatusCode() / 100 != 2) {
                return "SIP/2.0 " + resp.getStatusCode() + " " + resp.getReasonPhrase();
            }
            Dialog dialog = out.transaction().getDialog();
            // The 2xx is acknowledged once the focus has decided on the leg (admitted with its relay port keyed, or
            // refused): for the participant the ACK says the leg is live at the focus, and only then does it
            // subscribe to the conference state (IncomingCalls), so its SUBSCRIBE cannot beat the leg.
            String refused;
            try {
                refused = admit(conf, focus, target, offer, resp, dialog, port);
            } finally {
                sys.node.ack(dialog, resp);
            }
            if (refused != null) {
                sys.sendBye(dialog);
                return refused;
            }
            joined = true;
            sys.traceChange(conf, "called out " + target);
            sys.events.changed(conf);
            return "SIP/2.0 200 OK";
        } catch (KeyManagementException e) {
            return "SIP/2.0 500 Server Internal Error";
        } catch (TimeoutException e) {
            return "SIP/2.0 408 Request Timeout";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "SIP/2.0 500 Server Internal Error";
        } catch (SipException | ExecutionException | RuntimeException e) {
            LOG.info("{}: call-out to {} failed: {}", focus, target, e.toString());
            return "SIP/2.0 503 Service Unavailable";
        } finally {
            if (!joined) {
                port.close();
                conf.callOutFailed(target);
            }
            ticket.destroy();
        }
    }

    /**
     * Flow 4 d/e: the answer's TRANSFER_RESP verifies and the model admits the participant; its relay port is keyed.
     * Null when admitted, else the status line the REFER's NOTIFY reports (the leg's keys dropped).
     */
    private String admit(Conference<FocusLeg> conf, String focus, String target, TransferOffer offer, Response resp,
                         Dialog dialog, ConferenceMedia.Port port) {
        Leg leg = authenticate(focus, target, offer, resp);
        if (leg == null) {
            return "SIP/2.0 488 Not Acceptable Here";
        }
        Outcome<Participant<FocusLeg>> o = conf.callOutAnswered(target, SipMessages.callKey(resp, false),
                leg.ssrcs().cs2(), new FocusLeg(dialog, port, leg));
        sys.tracer.outcome(focus, o, target);
        if (o instanceof Outcome.Refused<Participant<FocusLeg>> refused) {
            leg.destroy();
            int status = SipStatus.of(refused.failed(), SipStatus.Carrier.OFFER).status();
            return "SIP/2.0 " + status + " " + ReferNotify.reasonOf(status);
        }
        // The focus initiated: CS 1 is focus -> participant, CS 2 participant -> focus.
        port.activate(leg.ssrcs().cs2(), leg.cs2(), leg.cs1());
        sys.tracer.legKeys(focus, SipMessages.callIdOf(resp), leg);
        return null;
    }

    /** Flow 4 d: the TRANSFER_RESP verifies and comes from the participant called; null (traced) if not. */
    private Leg authenticate(String focus, String target, TransferOffer offer, Response resp) {
        Optional<byte[]> transferResp = KeyMgmtSdp.readKeyMgmt(SipMessages.bodyText(resp));
        String failure = null;
        Leg leg = null;
        if (transferResp.isEmpty()) {
            failure = "answer without TRANSFER_RESP";
        } else {
            try {
                leg = offer.complete(transferResp.get());
                if (!leg.responder().equals(target)) {
                    failure = "TRANSFER_RESP names " + leg.responder();
                } else if (!leg.ssrcs().cs2().isAssigned()) {
                    failure = "participant chose no SSRC";
                }
            } catch (KeyManagementException e) {
                failure = SipStatus.describe(e);
            }
        }
        sys.tracer.check(focus, SignallingCheck.PARTICIPANT_AUTHENTICATED, failure == null,
                failure == null ? target : failure);
        if (failure != null && leg != null) {
            leg.destroy();
            return null;
        }
        return leg;
    }
}
