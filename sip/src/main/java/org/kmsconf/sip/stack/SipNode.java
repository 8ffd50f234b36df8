package org.kmsconf.sip.stack;

import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
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
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.FlowEvent.Direction;
import org.kmsconf.sip.trace.FlowEvent.MikeyContent;
import org.kmsconf.sip.trace.FlowListener;
import org.kmsconf.sip.trace.SignallingCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JAIN-SIP stack with a UDP and a TCP listening point on the same address, set up as JAIN-SIP.md prescribes:
 * unique stack name, SLF4J stack logger, TCP_NODELAY network layer, reentrant listener with a thread pool,
 * unsolicited NOTIFYs delivered, 64 KiB message cap. Also owns the executor for blocking work (KMS exchanges), the
 * futures of outstanding client transactions, and the SIP part of the flow trace.
 */
public final class SipNode implements SipListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipNode.class);
    private static final AtomicLong STACK_SEQ = new AtomicLong();

    private final SipStackImpl stack;
    private final SipProvider provider;
    private final String host;
    private final int port;
    private final SipHandler handler;
    private final FlowListener trace;
    private final ThreadPoolExecutor executor;
    private final Capacity capacity;
    private final AtomicLong refusedRate = new AtomicLong();
    private final AtomicLong refusedBusy = new AtomicLong();
    private final MessageFactory messageFactory;
    private final HeaderFactory headerFactory;
    private final AddressFactory addressFactory;

    /**
     * How much work a node takes on: a bounded pool of workers with a bounded queue for the handling of requests
     * (KMS exchanges, call-outs), and a rate per source address for the costly requests. Beyond either, a request
     * is answered 503 with Retry-After (RFC 3261 §21.5.4) and counted.
     */
    public record Capacity(int workers, int queue, SourceRateLimit perSource) {
        public static final Capacity DEFAULT = new Capacity(32, 256, new SourceRateLimit(50, 100, 10_000));

        public Capacity {
            if (workers < 1 || queue < 1) {
                throw new IllegalArgumentException("a SIP node needs at least one worker and one queue slot");
            }
        }
    }

    private SipNode(SipStackImpl stack, SipProvider provider, String host, int port, SipHandler handler,
                    FlowListener trace, String name, Capacity capacity) throws Exception {
        this.stack = stack;
        this.provider = provider;
        this.host = host;
        this.port = port;
        this.handler = handler;
        this.trace = trace;
        SipFactory sf = SipFactory.getInstance();
        sf.setPathName("gov.nist");
        this.messageFactory = sf.createMessageFactory();
        this.headerFactory = sf.createHeaderFactory();
        this.addressFactory = sf.createAddressFactory();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, name + "-work-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.capacity = capacity;
        this.executor = new ThreadPoolExecutor(capacity.workers(), capacity.workers(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(capacity.queue()), tf, new ThreadPoolExecutor.AbortPolicy());
        this.executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Starts a stack listening on {@code host:port} over UDP and TCP; port 0 picks a port free for both.
     *
     * @param name a readable prefix of the stack name; a sequence number makes it unique (pitfall 2)
     */
    public static SipNode start(String name, String host, int port, SipHandler handler, FlowListener trace)
            throws IOException {
        return start(name, host, port, handler, trace, Capacity.DEFAULT);
    }

    /** As {@link #start(String, String, int, SipHandler, FlowListener)} with the given capacity. */
    public static SipNode start(String name, String host, int port, SipHandler handler, FlowListener trace,
                                Capacity capacity) throws IOException {
        if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            // The address goes into Via and Contact: peers must be able to reach it.
            throw new IllegalArgumentException("listen for SIP on a concrete address (e.g. 127.0.0.1), not '" + host
                    + "'");
        }
        IOException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            int p = port != 0 ? port : freePort(host);
            String stackName = name + "-" + STACK_SEQ.incrementAndGet() + "-" + p;
            SipStackImpl stack = null;
            try {
                stack = new SipStackImpl(properties(stackName));
                ListeningPoint udp = stack.createListeningPoint(host, p, ListeningPoint.UDP);
                ListeningPoint tcp = stack.createListeningPoint(host, p, ListeningPoint.TCP);
                SipProvider provider = stack.createSipProvider(udp);
                provider.addListeningPoint(tcp);
                provider.setAutomaticDialogSupportEnabled(true);
                SipNode node = new SipNode(stack, provider, host, p, handler,
                        trace == null ? FlowListener.NONE : trace, name, capacity);
                provider.addSipListener(node);
                LOG.info("SIP stack {} listening on {}:{} (udp, tcp)", stackName, host, p);
                return node;
            } catch (Exception e) {
                if (stack != null) {
                    stack.stop();
                }
                last = new IOException("cannot listen for SIP on " + host + ":" + p + ": " + e.getMessage(), e);
                if (port != 0) {
                    break;
                }
            }
        }
        throw last;
    }

    private static Properties properties(String stackName) {
        Properties props = new Properties();
        props.setProperty("javax.sip.STACK_NAME", stackName);
        props.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        props.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        props.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        props.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "8");
        props.setProperty("gov.nist.javax.sip.NETWORK_LAYER", NoDelayNetworkLayer.class.getName());
        props.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        props.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
        props.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        return props;
    }

    private static int freePort(String host) throws IOException {
        InetAddress addr = InetAddress.getByName(host);
        for (int i = 0; i < 50; i++) {
            try (ServerSocket ss = new ServerSocket(0, 1, addr)) {
                int p = ss.getLocalPort();
                try (DatagramSocket ds = new DatagramSocket(new InetSocketAddress(addr, p))) {
                    return p;
                } catch (IOException busy) {
                    // UDP taken, try another
                }
            }
        }
        throw new IOException("no free port on " + host);
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
        return executor;
    }

    /**
     * Hands the handling of a request to a worker, unless its source is over its rate or every worker and queue slot
     * is taken: then answers 503 with Retry-After at once, and the work never runs.
     */
    public void dispatch(ServerTransaction stx, Request req, Runnable work) {
        InetAddress source = req instanceof gov.nist.javax.sip.message.SIPMessage m
                ? m.getPeerPacketSourceAddress() : null;
        if (!capacity.perSource().tryAcquire(source, System.nanoTime())) {
            refusedRate.incrementAndGet();
            overloaded(stx, req, "too many requests from " + (source == null ? "?" : source.getHostAddress()),
                    capacity.perSource().retryAfterSeconds());
            return;
        }
        try {
            executor.execute(work);
        } catch (RejectedExecutionException e) {
            if (executor.isShutdown()) {
                return;
            }
            refusedBusy.incrementAndGet();
            overloaded(stx, req, "every worker is busy", 1);
        }
    }

    private void overloaded(ServerTransaction stx, Request req, String why, int retryAfter) {
        ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
        String party = to == null ? host + ":" + port : to.getAddress().getURI().toString();
        trace.onEvent(new FlowEvent.Check(java.time.Instant.now(), party, SignallingCheck.WITHIN_CAPACITY, false,
                req.getMethod() + ": " + why));
        try {
            Response r = messageFactory.createResponse(Response.SERVICE_UNAVAILABLE, req);
            r.addHeader(headerFactory.createRetryAfterHeader(retryAfter));
            r.addHeader(headerFactory.createWarningHeader("kmsconf", 399, why));
            respond(stx, r);
        } catch (java.text.ParseException | javax.sip.InvalidArgumentException e) {
            LOG.warn("cannot build 503: {}", e.getMessage());
        }
    }

    /** Requests answered 503 because their source was over its rate, and because no worker was free. */
    public long[] overloadRefusals() {
        return new long[] {refusedRate.get(), refusedBusy.get()};
    }

    public FlowListener trace() {
        return trace;
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
        ct.setApplicationData(done); // before sending: the answer may arrive first (pitfall 6)
        traceMessage(request, Direction.SENT);
        if (inDialog) {
            ct.getDialog().sendRequest(ct);
        } else {
            ct.sendRequest();
        }
        return new Outgoing(ct, done);
    }

    /** ACKs a 2xx to an INVITE or re-INVITE (the ACK of a 2xx is the UAC's job, RFC 3261 §13.2.2.4). */
    public void ack(javax.sip.Dialog dialog, Response ok) throws SipException {
        try {
            Request ack = dialog.createAck(((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber());
            traceMessage(ack, Direction.SENT);
            dialog.sendAck(ack);
        } catch (javax.sip.InvalidArgumentException e) {
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
        try {
            FromHeader from = (FromHeader) message.getHeader(FromHeader.NAME);
            ToHeader to = (ToHeader) message.getHeader(ToHeader.NAME);
            CSeqHeader cseq = (CSeqHeader) message.getHeader(CSeqHeader.NAME);
            CallIdHeader callId = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
            String fromUri = from == null ? "" : from.getAddress().getURI().toString();
            String toUri = to == null ? "" : to.getAddress().getURI().toString();
            String what;
            String party;
            boolean request = message instanceof Request;
            if (request) {
                what = ((Request) message).getMethod();
            } else {
                what = ((Response) message).getStatusCode() + " " + (cseq == null ? "" : cseq.getMethod());
            }
            // Our own identity is From on our requests and To on requests we receive (and the reverse for responses).
            party = (request == (direction == Direction.SENT)) ? fromUri : toUri;
            trace.onEvent(new FlowEvent.SipMessage(java.time.Instant.now(), party, direction, fromUri, toUri, what,
                    callId == null ? "" : callId.getCallId(), transportOf(message), mikeyContent(message)));
        } catch (RuntimeException e) {
            LOG.debug("trace of a SIP message failed: {}", e.toString());
        }
    }

    private static String transportOf(Message message) {
        javax.sip.header.ViaHeader via = (javax.sip.header.ViaHeader) message.getHeader(javax.sip.header.ViaHeader.NAME);
        return via == null ? "" : via.getTransport().toUpperCase(java.util.Locale.ROOT);
    }

    /** Which MIKEY message a SIP message carries, from the data type byte of its MIKEY header (RFC 3830 §6.1). */
    public static MikeyContent mikeyContent(Message message) {
        byte[] raw = message.getRawContent();
        if (raw == null || raw.length == 0) {
            return MikeyContent.NONE;
        }
        ContentTypeHeader ct = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        byte[] mikey = null;
        if (ct != null && "mikey".equalsIgnoreCase(ct.getContentSubType())) {
            mikey = raw;
        } else if (ct != null && "sdp".equalsIgnoreCase(ct.getContentSubType())) {
            mikey = KeyMgmtSdp.readKeyMgmt(new String(raw, java.nio.charset.StandardCharsets.UTF_8)).orElse(null);
        }
        if (mikey == null || mikey.length < 2) {
            return MikeyContent.NONE;
        }
        return switch (mikey[1]) {
            case 14 -> MikeyContent.TRANSFER_INIT;
            case 15 -> MikeyContent.TRANSFER_RESP;
            case 6 -> MikeyContent.ERROR;
            default -> MikeyContent.NONE;
        };
    }

    /** Stops the stack (the RI sleeps a second in stop(); use {@link #closeAll} for several). */
    @Override
    public void close() {
        executor.shutdownNow();
        provider.removeSipListener(this);
        stack.stop();
    }

    /** Stops several nodes in parallel, each stop costing about a second (JAIN-SIP.md pitfall 3). */
    public static void closeAll(Collection<? extends AutoCloseable> nodes) {
        List<Thread> threads = new ArrayList<>();
        for (AutoCloseable n : nodes) {
            if (n == null) {
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    n.close();
                } catch (Exception e) {
                    LOG.debug("stop failed: {}", e.toString());
                }
            }, "sip-stop");
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
