package org.kmsconf.sip.stack;

import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import java.text.ParseException;
import java.time.Instant;
import java.util.Optional;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.FlowListener;
import org.kmsconf.sip.trace.SignallingCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 503 answers of a node over its {@link Capacity} (RFC 3261 §21.5.4, with Retry-After), each reported to the trace
 * as a failed {@code within-capacity} check. A request that would start a dialog or a subscription from a source
 * already over its rate is refused before the stack spends anything on it: answered statelessly, without a server
 * transaction, a retransmission timer or a handler, so a flooding source costs the parse and one datagram back.
 */
final class Overload {
    private static final Logger LOG = LoggerFactory.getLogger(Overload.class);

    private final RequestGate gate;
    private final MessageFactory messageFactory;
    private final HeaderFactory headerFactory;
    private final FlowListener trace;
    private final String hostPort;

    Overload(RequestGate gate, MessageFactory messageFactory, HeaderFactory headerFactory, FlowListener trace,
             String hostPort) {
        this.gate = gate;
        this.messageFactory = messageFactory;
        this.headerFactory = headerFactory;
        this.trace = trace;
        this.hostPort = hostPort;
    }

    /**
     * The stateless 503 for a request without To tag (not ACK or CANCEL) and outside any transaction whose source is
     * already over its rate (no token taken); empty when the request goes on to its handler.
     */
    Optional<Response> statelessRefusal(RequestEvent event) {
        Request req = event.getRequest();
        String method = req.getMethod();
        ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
        if (event.getServerTransaction() != null || Request.ACK.equals(method) || Request.CANCEL.equals(method)
                || (to != null && to.getTag() != null)) {
            return Optional.empty();
        }
        InetAddress source = req instanceof SIPMessage m ? m.getPeerPacketSourceAddress() : null;
        if (!gate.refuseEarly(source)) {
            return Optional.empty();
        }
        return refusal(req, RequestGate.Verdict.OVER_RATE, source);
    }

    /** The 503 for a request the gate refused ({@code OVER_RATE} or {@code BUSY}); empty if it cannot be built. */
    Optional<Response> refusal(Request req, RequestGate.Verdict verdict, InetAddress source) {
        String why = verdict == RequestGate.Verdict.BUSY ? "every worker is busy"
                : "too many requests from " + (source == null ? "?" : source.getHostAddress());
        ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
        trace.onEvent(new FlowEvent.Check(Instant.now(), to == null ? hostPort : to.getAddress().getURI().toString(),
                SignallingCheck.WITHIN_CAPACITY, false, req.getMethod() + ": " + why));
        try {
            Response r = messageFactory.createResponse(Response.SERVICE_UNAVAILABLE, req);
            r.addHeader(headerFactory.createRetryAfterHeader(gate.retryAfterSeconds(verdict)));
            r.addHeader(headerFactory.createWarningHeader("kmsconf", 399, why));
            return Optional.of(r);
        } catch (ParseException | InvalidArgumentException e) {
            LOG.warn("cannot build 503: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
