package org.kmsconf.sip.ue;

import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import javax.sip.Dialog;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.mikey.exchange.NonMediaSession;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.SipStatus;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.keys.Ticket;
import org.kmsconf.sip.keys.TransferOffer;
import org.kmsconf.sip.sdp.BfcpLine;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.kmsconf.sip.stack.SipNode;
import org.kmsconf.sip.trace.SignallingCheck;

/**
 * The initiator's step of a keyed offer (flows 1 a/c, 2, 3 a/c, re-keys): the TRANSFER_INIT goes in the SDP offer
 * of an INVITE, re-INVITE or UPDATE; the answer's TRANSFER_RESP is verified. Who answered is the caller's to check
 * ({@link #expectResponder}): the focus on a join or re-key, a focus URI of the factory on creation.
 */
final class Initiator {
    /** How an owner carries a new ticket on its call. */
    enum Method { INVITE, REINVITE, UPDATE }

    /** An answered offer: the dialog, the verified leg, the answer. */
    record Answered(Dialog dialog, Leg leg, Response response, String callId, KeyMgmtSdp.Read peerSdp) {
        InetSocketAddress peerMedia() {
            return peerSdp.mediaAddress().orElse(null);
        }

        /** The BFCP m-line of the answer, if any (the focus's floor control server, or refused). */
        Optional<BfcpLine> peerBfcp() {
            return peerSdp.bfcp();
        }
    }

    private final UeContext ue;

    Initiator(UeContext ue) {
        this.ue = ue;
    }

    /**
     * What an offer keys besides SRTP (on a leg to a focus: the event package's KEK, and the BFCP TLS PSK with floor
     * control) and whether it carries a BFCP m-line.
     */
    record Extras(Set<NonMediaSession> nonMedia, Optional<BfcpLine> bfcp) {
        static final Extras NONE = new Extras(Set.of(), Optional.empty());

        /** A leg to a focus, asking for floor control or not. */
        static Extras focusLeg(boolean floorControl) {
            return floorControl
                    ? new Extras(EnumSet.of(NonMediaSession.EVENT_PACKAGE_KEK, NonMediaSession.BFCP_TLS_PSK),
                            Optional.of(BfcpLine.client()))
                    : new Extras(EnumSet.of(NonMediaSession.EVENT_PACKAGE_KEK), Optional.empty());
        }
    }

    /** A new call: INVITE to {@code peer} with a TRANSFER_INIT addressed to it; the leg verified, the 2xx ACKed. */
    Answered invite(String peer, Ticket ticket, Ssrcs ssrcs, Extras extras) throws FlowFailedException {
        TransferOffer offer = ue.offer(ticket, peer, ssrcs, extras.nonMedia());
        Request req = ue.msgs.request(Request.INVITE, ue.self, peer, ue.contactOf(peer));
        return send(req, false, Method.INVITE, peer, offer, extras.bfcp());
    }

    /** A re-offer on an existing call (re-INVITE or UPDATE) with a new TRANSFER_INIT. */
    Answered reoffer(Call call, Ticket ticket, Method method, Extras extras) throws FlowFailedException {
        TransferOffer offer = ue.offer(ticket, call.peer(), new Ssrcs(call.ssrc(), Ssrc.UNASSIGNED),
                extras.nonMedia());
        Request req = ue.inDialog(call.dialog(), method == Method.UPDATE ? Request.UPDATE : Request.INVITE);
        return send(req, true, method, call.peer(), offer, extras.bfcp());
    }

    private Answered send(Request req, boolean inDialog, Method method, String peer, TransferOffer offer,
                          Optional<BfcpLine> bfcp) throws FlowFailedException {
        SipMessages.setBody(req, KeyMgmtSdp.build(SipMessages.userOf(ue.self), ue.config.media(), offer.message(),
                bfcp), ue.msgs.sdpType());
        SipNode.Outgoing out = ue.send(req, inDialog);
        Response resp = ue.await(out.answer(), method + " to " + peer);
        if (resp.getStatusCode() / 100 != 2) {
            throw refused(method.name(), peer, resp, offer);
        }
        Dialog dialog = out.transaction().getDialog();
        if (method != Method.UPDATE) {
            ue.ackQuietly(dialog, resp);
        }
        KeyMgmtSdp.Read answer = KeyMgmtSdp.read(SipMessages.bodyText(resp));
        try {
            return new Answered(dialog, complete(offer, answer, peer), resp, SipMessages.callIdOf(req), answer);
        } catch (FlowFailedException e) {
            if (!inDialog) {
                ue.bye(dialog);
            }
            throw e;
        }
    }

    private Leg complete(TransferOffer offer, KeyMgmtSdp.Read answer, String peer) throws FlowFailedException {
        Optional<byte[]> transferResp = answer.keyMgmt();
        if (transferResp.isEmpty()) {
            ue.tracer.check(ue.self, SignallingCheck.RESPONDER_AUTHENTICATED, false, "answer without a=key-mgmt");
            throw new FlowFailedException(0, peer + " answered without a TRANSFER_RESP");
        }
        try {
            Leg leg = offer.complete(transferResp.get());
            ue.tracer.check(ue.self, SignallingCheck.RESPONDER_AUTHENTICATED, true, leg.responder());
            return leg;
        } catch (KeyManagementException e) {
            ue.tracer.check(ue.self, SignallingCheck.RESPONDER_AUTHENTICATED, false, e.getMessage());
            throw new FlowFailedException(0, "TRANSFER_RESP from " + peer + ": " + SipStatus.describe(e));
        }
    }

    /**
     * The authenticated responder must be {@code expected}: otherwise the leg's keys are zeroed, the call is hung
     * up ({@code hangUp}, for a new call) and the flow fails.
     */
    void expectResponder(Answered a, String expected, boolean hangUp) throws FlowFailedException {
        boolean ok = a.leg().responder().equals(expected);
        ue.tracer.check(ue.self, SignallingCheck.RESPONDER_IS_CALLED_PARTY, ok, a.leg().responder());
        if (!ok) {
            a.leg().destroy();
            if (hangUp) {
                ue.bye(a.dialog());
            }
            throw new FlowFailedException(0, "TRANSFER_RESP names " + a.leg().responder() + ", not " + expected);
        }
    }

    /**
     * A SIP refusal as an exception: status, Warning text and, when the refusal carries a MIKEY error message
     * (application/mikey body), what it says and whether its MAC verified (keyed from MPKi like our TRANSFER_INIT).
     */
    static FlowFailedException refused(String method, String peer, Response resp, TransferOffer offer) {
        String mikey = "";
        if (SipMessages.hasContentType(resp, "application", "mikey") && SipMessages.body(resp).length > 0) {
            try {
                offer.complete(SipMessages.body(resp)).destroy();
                mikey = "; body is not a MIKEY error";
            } catch (KeyManagementException e) {
                mikey = "; " + e.getMessage();
            }
        }
        return new FlowFailedException(resp.getStatusCode(), method + " to " + peer + " refused: "
                + resp.getStatusCode() + " " + SipMessages.warningOf(resp) + mikey);
    }
}
