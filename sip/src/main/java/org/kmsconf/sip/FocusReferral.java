package org.kmsconf.sip;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ReferToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.sip.conference.ConferenceMedia;
import org.kmsconf.sip.conference.ConferenceState;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.ResolvedTransfer;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.keys.Ticket;
import org.kmsconf.sip.keys.TransferOffer;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.kmsconf.sip.stack.SipNode;
import org.kmsconf.sip.trace.FlowEvent.KmsExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flow 4 at the focus: a REFER with the owner's (or a participant's) TRANSFER_INIT, resolved before anything else;
 * then the call-out of the referee with the focus's own ticket, reported by NOTIFY.
 */
final class FocusReferral {
    private static final Logger LOG = LoggerFactory.getLogger(FocusReferral.class);
    private final ConferenceSystem sys;
    private final ConferenceServer.Config config;
    private final SipNode node;
    private final SipMessages msgs;
    private final Tracer tracer;

    FocusReferral(ConferenceSystem sys) {
        this.sys = sys;
        this.config = sys.config;
        this.node = sys.node;
        this.msgs = sys.msgs;
        this.tracer = sys.tracer;
    }

    void onRefer(Conference conf, ServerTransaction stx, Request req) {
        String focus = conf.focus;
        String from = SipMessages.fromIdentity(req);
        byte[] body = SipMessages.body(req);
        // Authenticate the referrer before any other work (TR 33.829 5.3.3.3.2 flow 4 b: limits DoS).
        if (body.length == 0 || !SipMessages.hasContentType(req, "application", "mikey")) {
            tracer.check(focus, "referrer-authenticated", false, "REFER without TRANSFER_INIT");
            node.respond(stx, msgs.refusal(403, req, "REFER must carry a TRANSFER_INIT (application/mikey)", null));
            return;
        }
        ResolvedTransfer resolved;
        try {
            resolved = sys.resolve(focus, config.keyAgent().receive(body), focus);
        } catch (KeyManagementException e) {
            int status = e.reason() == KeyManagementException.Reason.KMS_UNAVAILABLE ? 503 : 403;
            node.respond(stx, msgs.refusal(status, req, KmsStatus.describe(e), null));
            return;
        }
        if (!sys.checkFrom(focus, resolved, from, stx, req)) {
            return;
        }
        String referrer = resolved.initiator();
        ReferToHeader referTo = (ReferToHeader) req.getHeader(ReferToHeader.NAME);
        String target = referTo == null ? "" : SipMessages.identityOf(referTo.getAddress());
        boolean inTicket = resolved.responders().contains(target) && !target.equals(focus);
        tracer.check(focus, "refer-to-in-ticket", inTicket, target);
        if (!inTicket) {
            node.respond(stx, msgs.refusal(403, req, "Refer-To " + target + " is not a recipient of the ticket",
                    resolved.refusal(ErrorCode.INVALID_ID)));
            return;
        }
        boolean referrerOk;
        boolean targetOk;
        synchronized (conf) {
            referrerOk = referrer.equals(conf.owner)
                    || (config.participantsMayRefer() && conf.participants.containsKey(referrer));
            targetOk = target.equals(conf.owner) || conf.allowed.contains(target);
        }
        tracer.check(focus, "referrer-may-refer", referrerOk, referrer);
        if (!referrerOk) {
            node.respond(stx, msgs.refusal(403, req, referrer + " may not ask " + focus + " to call anyone",
                    resolved.refusal(ErrorCode.INVALID_ID)));
            return;
        }
        tracer.check(focus, "referee-allowed", targetOk, target);
        if (!targetOk) {
            node.respond(stx, msgs.refusal(403, req, target + " is not allowed in " + focus,
                    resolved.refusal(ErrorCode.INVALID_ID)));
            return;
        }
        Leg leg;
        try {
            leg = resolved.answer(Ssrcs.UNASSIGNED);
        } catch (KeyManagementException e) {
            node.respond(stx, msgs.refusal(req, e, null));
            return;
        }
        leg.destroy(); // a REFER keys no media; the exchange authenticates both ends
        Response accepted = msgs.response(202, req);
        SipMessages.setBody(accepted, leg.transferResp(), msgs.mikeyType());
        node.respond(stx, accepted);
        Dialog dialog = stx.getDialog();
        long cseq = ((CSeqHeader) req.getHeader(CSeqHeader.NAME)).getSeqNumber();
        ReferNotify.send(node, msgs, dialog, cseq, "SIP/2.0 100 Trying", false, config.timeout());
        String outcome = callOut(conf, target);
        ReferNotify.send(node, msgs, dialog, cseq, outcome, true, config.timeout());
    }

    /** Flow 4 b-d: the focus's own ticket for the participant, INVITE with TRANSFER_INIT, TRANSFER_RESP checked. */
    String callOut(Conference conf, String target) {
        String focus = conf.focus;
        Contact contact = config.directory().lookup(target).orElse(null);
        if (contact == null) {
            return "SIP/2.0 404 Not Found";
        }
        synchronized (conf) {
            if (conf.participants.containsKey(target)) {
                return "SIP/2.0 486 Busy Here";
            }
        }
        Ticket ticket;
        try {
            ticket = config.keyAgent().requestTicket(focus, List.of(target));
            tracer.kms(focus, KmsExchange.REQUEST, List.of(target), true, "");
        } catch (KeyManagementException e) {
            tracer.kms(focus, KmsExchange.REQUEST, List.of(target), false, e.getMessage());
            return "SIP/2.0 500 Server Internal Error";
        }
        ConferenceMedia.Port port = conf.room.reserve(target);
        boolean joined = false;
        boolean claimed = false;
        try {
            // CS 1 (focus -> participant) carries relayed streams under their own SSRCs: its SSRC field is 0. The
            // participant chooses its SSRC in TRANSFER_RESP; the focus refuses it below if it collides.
            TransferOffer offer = config.keyAgent().offer(ticket, target, Ssrcs.UNASSIGNED);
            Request invite = msgs.request(Request.INVITE, focus, target, contact);
            SipMessages.setBody(invite, KeyMgmtSdp.build(SipMessages.userOf(focus), port.localAddress(),
                    offer.message()), msgs.sdpType());
            SipNode.Outgoing out = node.send(invite, false);
            Response resp = out.answer().get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (resp.getStatusCode() / 100 != 2) {
                return "SIP/2.0 " + resp.getStatusCode() + " " + resp.getReasonPhrase();
            }
            Dialog dialog = out.transaction().getDialog();
            node.ack(dialog, resp);
            Optional<byte[]> transferResp = KeyMgmtSdp.readKeyMgmt(SipMessages.bodyText(resp));
            Leg leg = null;
            String failure = null;
            if (transferResp.isEmpty()) {
                failure = "answer without TRANSFER_RESP";
            } else {
                try {
                    leg = offer.complete(transferResp.get());
                    if (!leg.responder().equals(target)) {
                        failure = "TRANSFER_RESP names " + leg.responder();
                    } else if (leg.ssrcs().cs2() == 0) {
                        failure = "participant chose no SSRC";
                    } else {
                        claimed = conf.room.claimSsrc(target, leg.ssrcs().cs2());
                        tracer.check(focus, "ssrc-unique", claimed, Ssrcs.hex(leg.ssrcs().cs2()));
                        if (!claimed) {
                            failure = "SSRC " + Ssrcs.hex(leg.ssrcs().cs2()) + " already used in the conference";
                        }
                    }
                } catch (KeyManagementException e) {
                    failure = KmsStatus.describe(e);
                }
            }
            tracer.check(focus, "participant-authenticated", failure == null, failure == null ? target : failure);
            if (failure != null) {
                sys.sendBye(dialog);
                return "SIP/2.0 488 Not Acceptable Here";
            }
            synchronized (conf) {
                if (conf.ended) {
                    sys.sendBye(dialog);
                    return "SIP/2.0 404 Not Found";
                }
                // The focus initiated: CS 1 is focus -> participant, CS 2 participant -> focus.
                long ssrc = leg.ssrcs().cs2();
                port.activate(null, ssrc, leg.cs2(), leg.cs1()); // symmetric RTP, as for call-in
                conf.participants.put(target, new Participant(target, dialog, ssrc, port, leg));
                joined = true;
            }
            tracer.legKeys(focus, SipMessages.callIdOf(invite), leg);
            InetSocketAddress advertised = KeyMgmtSdp.mediaAddress(SipMessages.bodyText(invite)).orElse(null);
            if (advertised != null && !advertised.equals(port.localAddress())) {
                moveMedia(dialog, focus, port.localAddress());
            }
            ConferenceState s = conf.snapshot();
            tracer.conference(focus, focus, "called out " + target, conf.owner, s.allowed(),
                    List.copyOf(s.participantSsrcs().keySet()));
            return "SIP/2.0 200 OK";
        } catch (KeyManagementException e) {
            return "SIP/2.0 500 Server Internal Error";
        } catch (TimeoutException e) {
            return "SIP/2.0 408 Request Timeout";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "SIP/2.0 500 Server Internal Error";
        } catch (SipException | ExecutionException e) {
            LOG.info("{}: call-out to {} failed: {}", focus, target, e.toString());
            return "SIP/2.0 503 Service Unavailable";
        } finally {
            if (!joined) {
                port.close();
                if (claimed) {
                    conf.room.releaseSsrc(target);
                }
            }
            ticket.destroy();
        }
    }

    /**
     * Tells a called-out participant where its relay leg listens, now that the leg (and its socket) exists: an UPDATE
     * whose SDP has no a=key-mgmt, so the keys of the call-out stay as they are.
     */
    void moveMedia(Dialog dialog, String focus, InetSocketAddress local) {
        try {
            Request update = dialog.createRequest(Request.UPDATE);
            update.setHeader(msgs.contact(focus, SipMessages.transportOf(update)));
            SipMessages.setBody(update, KeyMgmtSdp.build(SipMessages.userOf(focus), local, null), msgs.sdpType());
            Response r = node.send(update, true).answer().get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (r.getStatusCode() / 100 != 2) {
                LOG.info("{}: media UPDATE refused: {}", focus, r.getStatusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SipException | ExecutionException | TimeoutException e) {
            LOG.info("{}: media UPDATE failed: {}", focus, e.toString());
        }
    }
}
