package org.kmsconf.sip;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ReferToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.sip.keys.IncomingTransfer;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.ResolvedTransfer;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.kmsconf.sip.stack.SipNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a user agent answers on its own: a focus calling it out (flow 4 c: resolve the focus's ticket, check IDRi =
 * From, TRANSFER_RESP in the 200) or re-offering, and a REFER from an owner (flow 5 b: resolve, check the focus is in
 * the owner's ticket, 202 + TRANSFER_RESP, join as flow 3, NOTIFY the outcome). Runs on the node's executor.
 */
final class UeIncoming {
    private static final Logger LOG = LoggerFactory.getLogger(UeIncoming.class);
    private final UserAgent ua;
    private final UserAgent.Config config;
    private final String self;
    private final SipNode node;
    private final SipMessages msgs;
    private final Tracer tracer;
    private final Map<String, Call> calls;

    UeIncoming(UserAgent ua, UserAgent.Config config, SipNode node, SipMessages msgs, Tracer tracer,
               Map<String, Call> calls) {
        this.ua = ua;
        this.config = config;
        this.self = config.identity();
        this.node = node;
        this.msgs = msgs;
        this.tracer = tracer;
        this.calls = calls;
    }

    /** Flow 4, participant side: the focus calls us out with its own ticket; we resolve it and answer. */
    void onInvite(ServerTransaction stx, Request req) {
        String from = SipMessages.fromIdentity(req);
        Optional<byte[]> init = KeyMgmtSdp.readKeyMgmt(SipMessages.bodyText(req));
        Call current = calls.get(from);
        if (init.isEmpty() && current != null && current.isActive() && current.dialog().equals(stx.getDialog())) {
            // Our profile: a re-offer without a=key-mgmt inside a keyed call only moves media and the keys stay;
            // new keys come only with a new TRANSFER_INIT. The focus sends one once its relay leg exists (call-out).
            current.rekey(current.leg(), KeyMgmtSdp.mediaAddress(SipMessages.bodyText(req)).orElse(null));
            current.peerSdp(SipMessages.bodyText(req));
            Response ok = msgs.response(200, req);
            SipMessages.setBody(ok, KeyMgmtSdp.build(SipMessages.userOf(self), config.media(), null), msgs.sdpType());
            ua.callListener().accept(current); // media moved: the listener restarts RTP towards the new address
            node.respond(stx, ok);
            return;
        }
        if (init.isEmpty()) {
            tracer.check(self, "offer-has-key-mgmt", false, from);
            node.respond(stx, msgs.refusal(488, req, "no a=key-mgmt:mikey in the offer", null));
            return;
        }
        ResolvedTransfer resolved;
        try {
            IncomingTransfer in = config.keyAgent().receive(init.get());
            resolved = ua.resolve(in, self);
        } catch (KeyManagementException e) {
            node.respond(stx, msgs.refusal(req, e, null));
            return;
        }
        boolean sameAsFrom = resolved.initiator().equals(from);
        tracer.check(self, "initiator-is-from", sameAsFrom, resolved.initiator());
        if (!sameAsFrom) {
            node.respond(stx, msgs.refusal(403, req, "ticket initiator " + resolved.initiator()
                    + " is not the caller " + from,
                    resolved.refusal(ErrorCode.INVALID_ID)));
            return;
        }
        boolean accept = ua.callPolicy().test(from);
        tracer.check(self, "call-accepted", accept, from);
        if (!accept) {
            node.respond(stx, msgs.refusal(603, req, "call from " + from + " declined",
                    resolved.refusal(ErrorCode.INVALID_ID)));
            return;
        }
        Ssrcs offered = resolved.offeredSsrcs();
        Ssrcs ssrcs = new Ssrcs(offered.cs1(), offered.cs2() != 0 ? offered.cs2() : UserAgent.randomSsrc());
        Leg leg;
        try {
            leg = resolved.answer(ssrcs);
        } catch (KeyManagementException e) {
            node.respond(stx, msgs.refusal(req, e, null));
            return;
        }
        Response ok = msgs.response(200, req);
        SipMessages.setBody(ok, KeyMgmtSdp.build(SipMessages.userOf(self), config.media(), leg.transferResp()),
                msgs.sdpType());
        Call existing = calls.get(from);
        InetSocketAddress peerMedia = KeyMgmtSdp.mediaAddress(SipMessages.bodyText(req)).orElse(null);
        Call call;
        if (existing != null && existing.isActive() && existing.dialog().equals(stx.getDialog())) {
            existing.rekey(leg, peerMedia);
            call = existing;
        } else {
            call = new Call(self, from, stx.getDialog(), leg, config.media(), peerMedia);
            calls.put(from, call);
        }
        call.peerSdp(SipMessages.bodyText(req));
        tracer.legKeys(self, SipMessages.callIdOf(req), leg); // before the answer leaves: traces stay in order
        node.respond(stx, ok);
        ua.callListener().accept(call);
    }

    /** Flow 5, referee side: authenticate the owner, check the focus is in its ticket, answer, join, NOTIFY. */
    void onRefer(ServerTransaction stx, Request req) {
        String from = SipMessages.fromIdentity(req);
        byte[] body = SipMessages.body(req);
        if (body.length == 0 || !SipMessages.hasContentType(req, "application", "mikey")) {
            tracer.check(self, "referrer-authenticated", false, "REFER without TRANSFER_INIT");
            node.respond(stx, msgs.refusal(403, req, "REFER must carry a TRANSFER_INIT (application/mikey)", null));
            return;
        }
        ReferToHeader referTo = (ReferToHeader) req.getHeader(ReferToHeader.NAME);
        if (referTo == null) {
            node.respond(stx, msgs.refusal(400, req, "REFER without Refer-To", null));
            return;
        }
        String focus = SipMessages.identityOf(referTo.getAddress());
        ResolvedTransfer resolved;
        try {
            resolved = ua.resolve(config.keyAgent().receive(body), self);
        } catch (KeyManagementException e) {
            int status = e.reason() == KeyManagementException.Reason.KMS_UNAVAILABLE ? 503 : 403;
            node.respond(stx, msgs.refusal(status, req, KmsStatus.describe(e), null));
            return;
        }
        boolean sameAsFrom = resolved.initiator().equals(from);
        tracer.check(self, "initiator-is-from", sameAsFrom, resolved.initiator());
        boolean focusInTicket = resolved.responders().contains(focus);
        tracer.check(self, "refer-to-in-ticket", focusInTicket, focus);
        Referral referral = new Referral(from, focus);
        boolean follow = sameAsFrom && focusInTicket && ua.referralPolicy().test(referral);
        if (sameAsFrom && focusInTicket) {
            tracer.check(self, "referral-accepted", follow, focus);
        }
        if (!follow) {
            String why = !sameAsFrom ? "ticket initiator " + resolved.initiator() + " is not the referrer " + from
                    : !focusInTicket ? "Refer-To " + focus + " is not a recipient of the referrer's ticket"
                    : "referral to " + focus + " declined";
            node.respond(stx, msgs.refusal(403, req, why, resolved.refusal(ErrorCode.INVALID_ID)));
            return;
        }
        Leg leg;
        try {
            leg = resolved.answer(Ssrcs.UNASSIGNED);
        } catch (KeyManagementException e) {
            node.respond(stx, msgs.refusal(req, e, null));
            return;
        }
        leg.destroy();
        Response accepted = msgs.response(202, req);
        SipMessages.setBody(accepted, leg.transferResp(), msgs.mikeyType());
        node.respond(stx, accepted);
        Dialog dialog = stx.getDialog();
        long cseq = ((CSeqHeader) req.getHeader(CSeqHeader.NAME)).getSeqNumber();
        notifyProgress(dialog, cseq, "SIP/2.0 100 Trying", false);
        String outcome;
        try {
            Call call = ua.join(focus);
            outcome = "SIP/2.0 200 OK";
            ua.callListener().accept(call);
        } catch (FlowFailedException e) {
            LOG.info("{}: joining {} after a REFER from {} failed: {}", self, focus, from, e.getMessage());
            outcome = e.status() >= 300 ? "SIP/2.0 " + e.status() + " " + ReferNotify.reasonOf(e.status())
                    : "SIP/2.0 500 Server Internal Error";
        }
        notifyProgress(dialog, cseq, outcome, true);
    }

    /**
     * NOTIFY with a message/sipfrag body (RFC 3515 §2.4.4); waits for its final response before returning, so
     * NOTIFYs never overtake each other (JAIN-SIP.md pitfall 5).
     */
    void notifyProgress(Dialog dialog, long referCseq, String statusLine, boolean last) {
        ReferNotify.send(node, msgs, dialog, referCseq, statusLine, last, config.timeout());
    }
}
