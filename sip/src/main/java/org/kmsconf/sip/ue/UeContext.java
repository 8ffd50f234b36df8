package org.kmsconf.sip.ue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.mikey.exchange.NonMediaSession;
import org.kmsconf.sip.Contact;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.ResponderStep;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.SipStatus;
import org.kmsconf.sip.Tracer;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.keys.Ticket;
import org.kmsconf.sip.keys.TransferOffer;
import org.kmsconf.sip.sdp.BfcpLine;
import org.kmsconf.sip.stack.SipNode;
import org.kmsconf.sip.trace.FlowEvent.KmsExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the parts of a user agent share: configuration, SIP node, trace, the responder step, its calls (by focus
 * URI), the answer policy and call listener, and the small blocking helpers of outgoing requests.
 */
final class UeContext {
    private static final Logger LOG = LoggerFactory.getLogger(UeContext.class);
    final UeConfig config;
    final String self;
    final SipNode node;
    final SipMessages msgs;
    final Tracer tracer;
    final ResponderStep step;
    final Map<String, Call> calls = new ConcurrentHashMap<>();
    volatile AnswerPolicy answer;
    volatile Consumer<Call> listener = c -> { };
    volatile FloorListener floorListener = FloorListener.NONE;
    final Watching watching;

    UeContext(UeConfig config, SipNode node) {
        this.config = config;
        this.self = config.identity();
        this.node = node;
        this.msgs = new SipMessages(node);
        this.tracer = new Tracer(config.trace(), config.keyLog());
        this.step = new ResponderStep(node, msgs, tracer, config.keyAgent());
        this.answer = config.answer();
        this.watching = new Watching(this);
    }

    /**
     * A leg to a focus is up or re-keyed: follow the conference's roster (once), and connect floor control with the
     * leg's new PSK when the focus's answer gave its floor control server. A failure of either is logged; the call
     * stands.
     */
    void legUp(Call call, Optional<BfcpLine> focusBfcp) {
        watching.legUp(call);
        call.bfcp(focusBfcp.filter(BfcpLine::accepted).filter(BfcpLine::server));
        call.bfcp().ifPresentOrElse(line -> {
            try {
                call.floorSession(this).connect(line, call.leg());
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: no floor control with {}: {}", self, call.peer(), e.getMessage());
            }
        }, call::closeFloor);
    }

    /** The active call with a focus, or a flow failure saying there is none. */
    Call activeCall(String focus) throws FlowFailedException {
        Call c = calls.get(focus);
        if (c == null || !c.isActive()) {
            throw new FlowFailedException(0, "not in conference " + focus);
        }
        return c;
    }

    Ticket requestTicket(List<String> responders) throws FlowFailedException {
        try {
            Ticket t = config.keyAgent().requestTicket(self, responders);
            tracer.kms(self, KmsExchange.REQUEST, responders, true, "");
            return t;
        } catch (KeyManagementException e) {
            tracer.kms(self, KmsExchange.REQUEST, responders, false, e.getMessage());
            throw new FlowFailedException(0, "ticket request for " + responders + ": " + SipStatus.describe(e));
        }
    }

    TransferOffer offer(Ticket ticket, String responder, Ssrcs ssrcs, Set<NonMediaSession> nonMedia)
            throws FlowFailedException {
        try {
            return config.keyAgent().offer(ticket, responder, ssrcs, nonMedia);
        } catch (KeyManagementException e) {
            throw new FlowFailedException(0, "TRANSFER_INIT for " + responder + ": " + SipStatus.describe(e));
        }
    }

    Contact contactOf(String identity) throws FlowFailedException {
        return config.directory().lookup(identity).orElseThrow(() ->
                new FlowFailedException(0, "no contact known for " + identity));
    }

    Request inDialog(Dialog dialog, String method) throws FlowFailedException {
        try {
            Request r = dialog.createRequest(method);
            r.setHeader(msgs.contact(self, SipMessages.transportOf(r)));
            return r;
        } catch (SipException e) {
            throw new FlowFailedException(0, "cannot create " + method + ": " + e.getMessage());
        }
    }

    SipNode.Outgoing send(Request req, boolean inDialog) throws FlowFailedException {
        try {
            return node.send(req, inDialog);
        } catch (SipException e) {
            throw new FlowFailedException(0, "cannot send " + req.getMethod() + ": " + e.getMessage());
        }
    }

    Response await(CompletableFuture<Response> answer, String what) throws FlowFailedException {
        try {
            return answer.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new FlowFailedException(0, "no answer to " + what + " within " + config.timeout().toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new FlowFailedException(0, what + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlowFailedException(0, "interrupted waiting for " + what);
        }
    }

    void ackQuietly(Dialog dialog, Response ok) {
        try {
            node.ack(dialog, ok);
        } catch (SipException e) {
            LOG.warn("{}: cannot ACK: {}", self, e.getMessage());
        }
    }

    void bye(Dialog dialog) {
        try {
            SipNode.Outgoing out = node.send(dialog.createRequest(Request.BYE), true);
            out.answer().get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SipException | ExecutionException | TimeoutException e) {
            LOG.info("{}: BYE failed: {}", self, e.toString());
        }
    }

    /** Zeroes a ticket's keys when the step that uses it fails (nobody else holds it). */
    static <T> T destroyOnFailure(Ticket ticket, TicketStep<T> step) throws FlowFailedException {
        try {
            return step.run(ticket);
        } catch (FlowFailedException | RuntimeException e) {
            ticket.destroy();
            throw e;
        }
    }

    /** A step that uses a ticket we requested for it. */
    @FunctionalInterface
    interface TicketStep<T> {
        T run(Ticket ticket) throws FlowFailedException;
    }
}
