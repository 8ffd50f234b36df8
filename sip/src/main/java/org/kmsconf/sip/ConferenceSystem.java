package org.kmsconf.sip;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.message.Request;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.sip.keys.IncomingTransfer;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.ResolvedTransfer;
import org.kmsconf.sip.stack.SipNode;
import org.kmsconf.sip.trace.FlowEvent.KmsExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the factory and focus flows share: configuration, SIP node, trace, and the conferences. */
final class ConferenceSystem {
    private static final Logger LOG = LoggerFactory.getLogger(ConferenceSystem.class);
    final ConferenceServer.Config config;
    final String factory;
    final SipNode node;
    final SipMessages msgs;
    final Tracer tracer;
    final Map<String, Conference> conferences = new ConcurrentHashMap<>();
    private final AtomicLong focusCounter = new AtomicLong();

    ConferenceSystem(ConferenceServer.Config config, SipNode node, SipMessages msgs, Tracer tracer) {
        this.config = config;
        this.factory = config.factoryUri();
        this.node = node;
        this.msgs = msgs;
        this.tracer = tracer;
    }

    String allocateFocusUri() {
        while (true) {
            String uri = Directory.normalise(config.focusPattern().replace("{N}",
                    Long.toString(focusCounter.incrementAndGet())));
            if (!conferences.containsKey(uri)) {
                return uri;
            }
        }
    }

    ResolvedTransfer resolve(String party, IncomingTransfer in, String as) throws KeyManagementException {
        try {
            ResolvedTransfer r = in.resolve(as);
            tracer.kms(party, KmsExchange.RESOLVE, List.of(as), true, "");
            tracer.check(party, "initiator-authenticated", true, r.initiator());
            return r;
        } catch (KeyManagementException e) {
            tracer.kms(party, KmsExchange.RESOLVE, List.of(as), false, e.getMessage());
            tracer.check(party, "initiator-authenticated", false, e.getMessage());
            throw e;
        }
    }

    /** An (unauthenticated) MIKEY error message for a TRANSFER_INIT that could not be resolved, if it parsed. */
    static byte[] errorBody(IncomingTransfer in, KeyManagementException e) {
        return in == null ? null : in.refusal(e.mikeyError().orElse(ErrorCode.UNSPECIFIED));
    }

    /** The authenticated IDRi must be the From identity of the request that carried the TRANSFER_INIT. */
    boolean checkFrom(String party, ResolvedTransfer resolved, String from, ServerTransaction stx,
                              Request req) {
        boolean same = resolved.initiator().equals(from);
        tracer.check(party, "initiator-is-from", same, resolved.initiator());
        if (!same) {
            node.respond(stx, msgs.refusal(403, req, "ticket initiator " + resolved.initiator()
                    + " is not the sender " + from,
                    resolved.refusal(ErrorCode.INVALID_ID)));
        }
        return same;
    }

    void sendBye(Dialog dialog) {
        try {
            SipNode.Outgoing out = node.send(dialog.createRequest(Request.BYE), true);
            out.answer().get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SipException | ExecutionException | TimeoutException e) {
            LOG.info("BYE failed: {}", e.toString());
        }
    }

    static void close(Conference conf, Participant p) {
        p.port.close();
        conf.room.releaseSsrc(p.identity);
        p.leg.destroy();
    }
}
