package org.kmsconf.sip;

import java.util.concurrent.TimeUnit;
import javax.sip.RequestEvent;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.kmsconf.sip.stack.SipHandler;
import org.kmsconf.sip.stack.SipNode;

/** A bare SIP endpoint for hostile tests: sends hand-made requests and returns the final response. */
final class RawSip implements AutoCloseable {
    final SipNode node;
    final SipMessages msgs;
    /** Every request it received (and answered 200). */
    final java.util.List<Request> received = new java.util.concurrent.CopyOnWriteArrayList<>();

    RawSip() throws Exception {
        this("127.0.0.1");
    }

    /** A raw endpoint on another loopback address (127.0.0.2 ...): another source, as far as a server can tell. */
    RawSip(String host) throws Exception {
        node = SipNode.start("raw", host, 0, new SipHandler() {
            @Override
            public void onRequest(RequestEvent event) {
                try {
                    received.add(event.getRequest());
                    if (!Request.ACK.equals(event.getRequest().getMethod())) {
                        node().respond(node().serverTransaction(event),
                                new SipMessages(node()).response(200, event.getRequest()));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }, null);
        msgs = new SipMessages(node);
    }

    private SipNode node() {
        return node;
    }

    Request invite(String from, String to, Contact target, byte[] transferInit) {
        Request r = msgs.request(Request.INVITE, from, to, target);
        String sdp = KeyMgmtSdp.build("raw", new java.net.InetSocketAddress("127.0.0.1", 49170), transferInit);
        SipMessages.setBody(r, sdp, msgs.sdpType());
        return r;
    }

    Request refer(String from, String to, Contact target, String referTo, byte[] body) {
        Request r = msgs.request(Request.REFER, from, to, target);
        r.addHeader(node.headerFactory().createReferToHeader(msgs.address(referTo)));
        if (body != null) {
            SipMessages.setBody(r, body, msgs.mikeyType());
        }
        return r;
    }

    /** Sends without waiting: the future of the final response (no ACK, no BYE). */
    java.util.concurrent.CompletableFuture<Response> sendAsync(Request r) throws Exception {
        return node.send(r, false).answer();
    }

    /** Sends, waits for the final response, ACKs and BYEs a 2xx INVITE. */
    Response send(Request r) throws Exception {
        return send(r, true);
    }

    /** Sends, waits for the final response, ACKs a 2xx INVITE and, when {@code hangUp}, BYEs it. */
    Response send(Request r, boolean hangUp) throws Exception {
        SipNode.Outgoing out = node.send(r, false);
        Response resp = out.answer().get(5, TimeUnit.SECONDS);
        if (Request.INVITE.equals(r.getMethod()) && resp.getStatusCode() / 100 == 2) {
            node.ack(out.transaction().getDialog(), resp);
        }
        if (hangUp && Request.INVITE.equals(r.getMethod()) && resp.getStatusCode() / 100 == 2) {
            node.send(out.transaction().getDialog().createRequest(Request.BYE), true).answer().get(5,
                    TimeUnit.SECONDS);
        }
        return resp;
    }

    @Override
    public void close() {
        node.close();
    }
}
