package org.kmsconf.sip;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sip.ServerTransaction;
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

/**
 * Flow 1 of TR 33.829 Figure 5.3.3.3.2-1 at the conference factory: INVITE with the creator's TRANSFER_INIT ->
 * allocate a focus URI, RESOLVE as it, check the creator, record creator and allowed set, TRANSFER_RESP.
 */
final class FactoryFlow {
    private final ConferenceSystem sys;
    private final ConferenceServer.Config config;
    private final String factory;
    private final SipNode node;
    private final SipMessages msgs;
    private final Tracer tracer;
    private final Map<String, Conference> conferences;

    FactoryFlow(ConferenceSystem sys) {
        this.sys = sys;
        this.config = sys.config;
        this.factory = sys.factory;
        this.node = sys.node;
        this.msgs = sys.msgs;
        this.tracer = sys.tracer;
        this.conferences = sys.conferences;
    }

    void createConference(ServerTransaction stx, Request req) {
        String from = SipMessages.fromIdentity(req);
        Optional<byte[]> init = KeyMgmtSdp.readKeyMgmt(SipMessages.bodyText(req));
        if (init.isEmpty()) {
            tracer.check(factory, "offer-has-key-mgmt", false, from);
            node.respond(stx, msgs.refusal(488, req, "no a=key-mgmt:mikey in the offer", null));
            return;
        }
        String focus = sys.allocateFocusUri();
        ResolvedTransfer resolved;
        IncomingTransfer in = null;
        try {
            in = config.keyAgent().receive(init.get());
            resolved = sys.resolve(factory, in, focus);
        } catch (KeyManagementException e) {
            String reason = e.reason() == KeyManagementException.Reason.KMS_REFUSED
                    ? "KMS refused to resolve the creator's ticket for " + focus + ": " + e.getMessage()
                    : KmsStatus.describe(e);
            node.respond(stx, msgs.refusal(KmsStatus.statusFor(e), req, reason, ConferenceSystem.errorBody(in, e)));
            return;
        }
        String creator = resolved.initiator();
        if (!sys.checkFrom(factory, resolved, from, stx, req)) {
            return;
        }
        if (config.allowedCreators() != null) {
            boolean may = config.allowedCreators().contains(creator);
            tracer.check(factory, "creator-authorised-by-conference-policy", may, creator);
            if (!may) {
                node.respond(stx, msgs.refusal(403, req, creator
                        + " may not create secure conferences (conference policy)",
                        resolved.refusal(ErrorCode.INVALID_ID)));
                return;
            }
        } else {
            tracer.check(factory, "creator-authorised-by-kms", true, creator);
        }
        List<String> allowed = new ArrayList<>(resolved.responders());
        allowed.remove(factory);
        allowed.remove(focus);
        allowed.remove(creator);
        Leg leg;
        try {
            leg = resolved.answer(Ssrcs.UNASSIGNED);
        } catch (KeyManagementException e) {
            node.respond(stx, msgs.refusal(req, e, null));
            return;
        }
        // Everything checked: only now does the conference exist (nothing half-created).
        Conference conf = new Conference(focus, creator, allowed, config.media().open(focus));
        conferences.put(focus, conf);
        tracer.conference(focus, focus, "created", creator, allowed, List.of());
        Response ok = msgs.response(200, req);
        // The factory takes no media: port 0 (RFC 3264 §6) in the answer that carries the TRANSFER_RESP.
        SipMessages.setBody(ok, KeyMgmtSdp.build(SipMessages.userOf(factory), new InetSocketAddress(node.host(), 0),
                leg.transferResp()), msgs.sdpType());
        // Traced before the answer leaves (traces stay in order); no key-log lines: this leg carries no media.
        tracer.legKeys(factory, SipMessages.callIdOf(req), leg, false);
        node.respond(stx, ok);
        leg.destroy();
    }
}
