package org.kmsconf.sip;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.sip.conference.ConferenceState;
import org.kmsconf.sip.keys.IncomingTransfer;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.ResolvedTransfer;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.kmsconf.sip.stack.SipNode;

/**
 * The focus answering INVITEs (flows 2, 3 and 5's last leg), re-INVITEs and UPDATEs (allowed-set updates, re-keying)
 * and BYEs (a participant leaves; the owner's BYE ends the conference).
 */
final class FocusCallIn {
    private final ConferenceSystem sys;
    private final ConferenceServer.Config config;
    private final String factory;
    private final SipNode node;
    private final SipMessages msgs;
    private final Tracer tracer;
    private final Map<String, Conference> conferences;

    FocusCallIn(ConferenceSystem sys) {
        this.sys = sys;
        this.config = sys.config;
        this.factory = sys.factory;
        this.node = sys.node;
        this.msgs = sys.msgs;
        this.tracer = sys.tracer;
        this.conferences = sys.conferences;
    }

    void onFocusOffer(Conference conf, ServerTransaction stx, Request req) {
        String focus = conf.focus;
        String from = SipMessages.fromIdentity(req);
        Optional<byte[]> init = KeyMgmtSdp.readKeyMgmt(SipMessages.bodyText(req));
        if (init.isEmpty()) {
            tracer.check(focus, "offer-has-key-mgmt", false, from);
            node.respond(stx, msgs.refusal(488, req, "no a=key-mgmt:mikey in the offer", null));
            return;
        }
        ResolvedTransfer resolved;
        IncomingTransfer in = null;
        try {
            in = config.keyAgent().receive(init.get());
            resolved = sys.resolve(focus, in, focus);
        } catch (KeyManagementException e) {
            node.respond(stx, msgs.refusal(req, e, ConferenceSystem.errorBody(in, e)));
            return;
        }
        if (!sys.checkFrom(focus, resolved, from, stx, req)) {
            return;
        }
        String caller = resolved.initiator();
        List<String> named = new ArrayList<>(resolved.responders());
        named.remove(focus);
        named.remove(factory);
        named.remove(caller);
        boolean changesSet = !named.isEmpty() && !new LinkedHashSet<>(named).equals(conf.allowed);
        Leg leg;
        Participant p;
        boolean newcomer;
        synchronized (conf) {
            if (conf.ended) {
                resolved.discard();
                node.respond(stx, msgs.refusal(404, req, "conference " + focus + " has ended", null));
                return;
            }
            Participant existing = conf.participants.get(caller);
            boolean inDialog = existing != null && existing.dialog.equals(stx.getDialog());
            newcomer = !inDialog;
            if (newcomer && Request.UPDATE.equals(req.getMethod())) {
                resolved.discard();
                node.respond(stx, msgs.refusal(481, req, "UPDATE outside a call with " + focus, null));
                return;
            }
            boolean mayJoin = caller.equals(conf.owner) || conf.allowed.contains(caller);
            tracer.check(focus, "caller-allowed", mayJoin, caller);
            if (!mayJoin) {
                node.respond(stx, msgs.refusal(403, req, caller + " is not allowed in " + focus,
                        resolved.refusal(ErrorCode.INVALID_ID)));
                return;
            }
            if (changesSet) {
                boolean owner = caller.equals(conf.owner);
                tracer.check(focus, "allowed-set-change-by-owner", owner, caller);
                if (!owner) {
                    node.respond(stx, msgs.refusal(403, req, "only the owner " + conf.owner
                            + " may change the allowed participants",
                            resolved.refusal(ErrorCode.INVALID_ID)));
                    return;
                }
            }
            if (existing != null && !inDialog) {
                tracer.check(focus, "not-already-joined", false, caller);
                node.respond(stx, msgs.refusal(486, req, caller + " is already in " + focus,
                        resolved.refusal(ErrorCode.UNSPECIFIED)));
                return;
            }
            long offered = resolved.offeredSsrcs().cs1();
            long ssrc;
            if (inDialog) {
                ssrc = existing.ssrc;
            } else if (offered != 0) {
                boolean free = conf.room.claimSsrc(caller, offered);
                tracer.check(focus, "ssrc-unique", free, Ssrcs.hex(offered));
                if (!free) {
                    node.respond(stx, msgs.refusal(488, req, "SSRC " + Ssrcs.hex(offered)
                            + " is already used in " + focus,
                            resolved.refusal(ErrorCode.UNSPECIFIED)));
                    return;
                }
                ssrc = offered;
            } else {
                ssrc = conf.room.assignSsrc(caller);
                tracer.check(focus, "ssrc-unique", true, "assigned " + Ssrcs.hex(ssrc));
            }
            try {
                // CS 2 (focus -> participant) carries relayed streams under their own SSRCs: its SSRC field is 0.
                leg = resolved.answer(new Ssrcs(ssrc, 0));
            } catch (KeyManagementException e) {
                if (!inDialog) {
                    conf.room.releaseSsrc(caller);
                }
                node.respond(stx, msgs.refusal(req, e, null));
                return;
            }
            if (changesSet) {
                conf.allowed.clear();
                conf.allowed.addAll(named);
            }
            if (inDialog) {
                p = existing;
                Leg old = p.leg;
                p.leg = leg;
                old.destroy();
            } else {
                p = new Participant(caller, stx.getDialog(), ssrc, conf.room.reserve(caller), leg);
                conf.participants.put(caller, p);
            }
            // remote null: the relay learns it from the participant's first authenticated packet (symmetric RTP,
            // RFC 4961). Our UEs bind the port their SDP names, so that is what it learns; learning still reaches a
            // participant behind a NAT, whose SDP names an address the focus cannot reach.
            p.port.activate(null, ssrc, leg.cs1(), leg.cs2());
        }
        Response ok = msgs.response(200, req);
        SipMessages.setBody(ok, KeyMgmtSdp.build(SipMessages.userOf(focus), p.port.localAddress(),
                leg.transferResp()), msgs.sdpType());
        // Trace before the answer leaves, so whoever reads the trace after the caller's join sees all of it.
        tracer.legKeys(focus, SipMessages.callIdOf(req), leg);
        ConferenceState s = conf.snapshot();
        tracer.conference(focus, focus, (changesSet ? "allowed-set-replaced, " : "")
                + (newcomer ? "joined " : "re-keyed ") + caller, conf.owner, s.allowed(),
                List.copyOf(s.participantSsrcs().keySet()));
        node.respond(stx, ok);
    }

    void onBye(Conference conf, ServerTransaction stx, Request req) {
        String from = SipMessages.fromIdentity(req);
        List<Participant> others = List.of();
        synchronized (conf) {
            Participant p = conf.participants.get(from);
            if (p == null || !p.dialog.equals(stx.getDialog())) {
                node.respond(stx, msgs.response(200, req));
                return;
            }
            conf.participants.remove(from);
            ConferenceSystem.close(conf, p);
            if (from.equals(conf.owner)) {
                conf.ended = true;
                others = new ArrayList<>(conf.participants.values());
                conf.participants.clear();
                conferences.remove(conf.focus, conf);
            }
        }
        node.respond(stx, msgs.response(200, req)); // after the state change: the BYE's sender sees it done
        ConferenceState s = conf.snapshot();
        tracer.conference(conf.focus, conf.focus, "left " + from, conf.owner, s.allowed(),
                List.copyOf(s.participantSsrcs().keySet()));
        if (conf.ended) {
            List<Participant> toEnd = others;
            node.executor().execute(() -> endConference(conf, toEnd));
        }
    }

    /** The owner left: BYE to everybody else, free the media (TR: the owner ends the conference). */
    void endConference(Conference conf, List<Participant> others) {
        for (Participant p : others) {
            ConferenceSystem.close(conf, p);
            sys.sendBye(p.dialog);
        }
        conf.room.close();
        tracer.conference(conf.focus, conf.focus, "ended", conf.owner, List.of(), List.of());
    }
}
