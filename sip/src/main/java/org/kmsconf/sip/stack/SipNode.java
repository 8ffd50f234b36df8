package org.kmsconf.sip.stack;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.header.CSeqHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.sip.trace.FlowEvent.Direction;
import org.kmsconf.sip.trace.FlowEvent.MikeyContent;
import org.kmsconf.sip.trace.FlowListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SIP party's stack ({@link SipStacks}) with its listener: hands requests to the party's {@link SipHandler},
 * completes the futures of outstanding client transactions, reports every message to the flow trace
 * ({@link MessageTrace}), and runs blocking work (KMS exchanges) behind a {@link RequestGate} that answers 503 with
 * Retry-After when the node is over its {@link Capacity}.
 */
public final class SipNode implements SipListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipNode.class);

    private final SipStackImpl stack;
    private final SipProvider provider;
    private final String host;
    private final int port;
    private final SipHandler handler;
    private final FlowListener trace;
    private final MessageTrace messages;
    private final RequestGate gate;
    private final Overload overload;
    private final DatagramBudget budget;
    private final MessageFactory messageFactory;
    private final HeaderFactory headerFactory;
    private final AddressFactory addressFactory;

    private SipNode(SipStacks.Opened opened, String host, SipHandler handler, FlowListener trace, String name,
                    Capacity capacity) throws Exception {
        this.stack = opened.stack();
        this.provider = opened.provider();
        this.host = host;
        this.port = opened.port();
        this.budget = opened.budget();
        this.handler = handler;
        this.trace = trace;
        this.messages = new MessageTrace(trace);
        SipFactory sf = SipFactory.getInstance();
        sf.setPathName("gov.nist");
        this.messageFactory = sf.createMessageFactory();
        this.headerFactory = sf.createHeaderFactory();
        this.addressFactory = sf.createAddressFactory();
        this.gate = new RequestGate(name, capacity);
        this.overload = new Overload(gate, messageFactory, headerFactory, trace, host + ":" + port);
    }

    /**
     * Starts a stack listening on {@code host:port} over UDP and TCP; port 0 picks a port free for both.
     *
     * @param name a readable prefix of the stack name; a sequence number makes it unique
     */
    public static SipNode start(String name, String host, int port, SipHandler handler, FlowListener trace)
            throws IOException {
        return start(name, host, port, handler, trace, Capacity.DEFAULT);
    }

    /** As {@link #start(String, String, int, SipHandler, FlowListener)} with the given capacity. */
    public static SipNode start(String name, String host, int port, SipHandler handler, FlowListener trace,
                                Capacity capacity) throws IOException {
        SipStacks.Opened opened = SipStacks.open(name, host, port, capacity.maxMessageBytes(),
                new DatagramBudget(capacity.perSource().datagrams()));
        try {
            SipNode node = new SipNode(opened, host, handler, trace == null ? FlowListener.NONE : trace, name,
                    capacity);
            opened.provider().addSipListener(node);
            return node;
        } catch (Exception e) {
            opened.stack().stop();
            throw new IOException("cannot start the SIP node on " + host + ":" + opened.port() + ": "
                    + e.getMessage(), e);
        }
    }

    public SipProvider provider() {
        return provider;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public MessageFactory messageFactory() {
        return messageFactory;
    }

    public HeaderFactory headerFactory() {
        return headerFactory;
    }

    public AddressFactory addressFactory() {
        return addressFactory;
    }

    /** Where blocking work goes (KMS exchanges, waiting for a call-out), so no SIP callback ever blocks. */
    public ExecutorService executor() {
        return gate.executor();
    }

    public FlowListener trace() {
        return trace;
    }

    /**
     * Hands the handling of a request to a worker, unless its source is over its rate or every worker and queue slot
     * is taken: then answers 503 with Retry-After at once, and the work never runs.
     */
    public void dispatch(ServerTransaction stx, Request req, Runnable work) {
        InetAddress source = req instanceof SIPMessage m ? m.getPeerPacketSourceAddress() : null;
        RequestGate.Verdict verdict = gate.submit(source, work);
        switch (verdict) {
            case RUNS, CLOSED -> { }
            case OVER_RATE, BUSY -> overload.refusal(req, verdict, source).ifPresent(r -> respond(stx, r));
        }
    }

    /**
     * Requests answered 503 because their source was over its rate, and because no worker was free; and UDP datagrams
     * dropped unread because their source was over its datagram budget ({@link DatagramBudget}).
     */
    public long[] overloadRefusals() {
        long[] r = gate.refusals();
        return new long[] {r[0], r[1], budget.dropped()};
    }

    /** A request in flight: its client transaction and the future of its final response. */
    public record Outgoing(ClientTransaction transaction, CompletableFuture<Response> answer) { }

    /**
     * Sends a request in a new client transaction (in the transaction's dialog when {@code inDialog}) and returns the
     * future of its final response. Provisional responses are ignored; the future fails on a transaction timeout.
     */
    public Outgoing send(Request request, boolean inDialog) throws SipException {
        ClientTransaction ct = provider.getNewClientTransaction(request);
        CompletableFuture<Response> done = new CompletableFuture<>();
        ct.setApplicationData(done); // before sending: the answer may arrive first
        traceMessage(request, Direction.SENT);
        if (inDialog) {
            ct.getDialog().sendRequest(ct);
        } else {
            ct.sendRequest();
        }
        return new Outgoing(ct, done);
    }

    /** ACKs a 2xx to an INVITE or re-INVITE (the ACK of a 2xx is the UAC's job, RFC 3261 §13.2.2.4). */
    public void ack(Dialog dialog, Response ok) throws SipException {
        try {
            Request ack = dialog.createAck(((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber());
            traceMessage(ack, Direction.SENT);
            dialog.sendAck(ack);
        } catch (InvalidArgumentException e) {
            throw new SipException("cannot ACK: " + e.getMessage(), e);
        }
    }

    /** Sends a response on a server transaction and reports it to the trace. */
    public void respond(ServerTransaction stx, Response response) {
        try {
            traceMessage(response, Direction.SENT);
            stx.sendResponse(response);
        } catch (Exception e) {
            LOG.warn("cannot send {} response: {}", response.getStatusCode(), e.getMessage());
        }
    }

    /** The server transaction of a request, created when the stack did not make one (out-of-dialog requests). */
    public ServerTransaction serverTransaction(RequestEvent event) throws SipException {
        ServerTransaction stx = event.getServerTransaction();
        if (stx == null) {
            stx = provider.getNewServerTransaction(event.getRequest());
        }
        return stx;
    }

    @Override
    public void processRequest(RequestEvent event) {
        traceMessage(event.getRequest(), Direction.RECEIVED);
        Optional<Response> early = overload.statelessRefusal(event);
        if (early.isPresent()) {
            try {
                traceMessage(early.get(), Direction.SENT);
                provider.sendResponse(early.get()); // stateless: no transaction, no timer (RFC 3261 §8.2.7)
            } catch (SipException e) {
                LOG.debug("cannot answer an over-rate request statelessly: {}", e.getMessage());
            }
            return;
        }
        try {
            handler.onRequest(event);
        } catch (RuntimeException e) {
            LOG.warn("request handler failed: {}", e.toString(), e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
        traceMessage(response, Direction.RECEIVED);
        ClientTransaction ct = event.getClientTransaction();
        if (ct != null && response.getStatusCode() >= 200
                && ct.getApplicationData() instanceof CompletableFuture<?> f) {
            ((CompletableFuture<Response>) f).complete(response);
        }
        try {
            handler.onResponse(event);
        } catch (RuntimeException e) {
            LOG.warn("response handler failed: {}", e.toString(), e);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction() && event.getClientTransaction() != null
                && event.getClientTransaction().getApplicationData() instanceof CompletableFuture<?> f) {
            f.completeExceptionally(new SipException("no answer to "
                    + event.getClientTransaction().getRequest().getMethod() + " (transaction timeout)"));
        }
        handler.onTimeout(event);
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.warn("SIP I/O error towards {}:{} ({})", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // nothing: futures are completed on final responses or timeouts
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        handler.onDialogTerminated(event);
    }

    /** Reports a SIP message to the flow trace: who, what, and which MIKEY message it carries. */
    public void traceMessage(Message message, Direction direction) {
        messages.report(message, direction);
    }

    /** Which MIKEY message a SIP message carries, from the data type byte of its MIKEY header (RFC 3830 §6.1). */
    public static MikeyContent mikeyContent(Message message) {
        return MessageTrace.mikeyContent(message);
    }

    /** Stops the stack (the RI sleeps a second in stop(); use {@link SipStacks#closeAll} for several). */
    @Override
    public void close() {
        gate.close();
        provider.removeSipListener(this);
        stack.stop();
    }
}
