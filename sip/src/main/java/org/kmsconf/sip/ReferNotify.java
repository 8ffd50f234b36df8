package org.kmsconf.sip;

import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.stack.SipNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** REFER progress (RFC 3515 §2.4.4-2.4.5): NOTIFYs with a message/sipfrag status line, sent and read. */
public final class ReferNotify {
    private static final Logger LOG = LoggerFactory.getLogger(ReferNotify.class);

    private ReferNotify() { }

    /**
     * Sends one NOTIFY in the REFER's dialog ({@code Event: refer;id=<REFER CSeq>}; the last one with
     * {@code Subscription-State: terminated}) and waits for its final response, so NOTIFYs never overtake each
     * other (docs/sip.md "JAIN-SIP set-up", pitfall 5). Failures are logged, not thrown: progress reports are best
     * effort.
     */
    public static void send(SipNode node, SipMessages msgs, Dialog dialog, long referCseq, String statusLine, boolean last,
                     Duration timeout) {
        try {
            Request n = dialog.createRequest(Request.NOTIFY);
            EventHeader e = node.headerFactory().createEventHeader("refer");
            e.setEventId(Long.toString(referCseq));
            n.addHeader(e);
            SubscriptionStateHeader ss = node.headerFactory().createSubscriptionStateHeader(
                    last ? SubscriptionStateHeader.TERMINATED : SubscriptionStateHeader.ACTIVE);
            if (last) {
                ss.setReasonCode("noresource");
            } else {
                ss.setExpires(60);
            }
            n.addHeader(ss);
            SipMessages.setBody(n, statusLine + "\r\n", msgs.sipfragType());
            SipNode.Outgoing out = node.send(n, true);
            out.answer().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ParseException | javax.sip.InvalidArgumentException | SipException | ExecutionException
                 | TimeoutException e) {
            LOG.info("NOTIFY '{}' not delivered: {}", statusLine, e.toString());
        }
    }

    /** The NOTIFYs of one accepted REFER's implicit subscription (RFC 3515 §2.4.4). */
    public static final class Progress {
        private final SipNode node;
        private final SipMessages msgs;
        private final Dialog dialog;
        private final long cseq;
        private final Duration timeout;

        private Progress(SipNode node, SipMessages msgs, Dialog dialog, long cseq, Duration timeout) {
            this.node = node;
            this.msgs = msgs;
            this.dialog = dialog;
            this.cseq = cseq;
            this.timeout = timeout;
        }

        /** The last NOTIFY: the outcome of what the REFER asked for. */
        public void done(String statusLine) {
            send(node, msgs, dialog, cseq, statusLine, true, timeout);
        }
    }

    /**
     * Accepts an authenticated REFER: 202 whose body is our TRANSFER_RESP (it authenticates us to the referrer; a
     * REFER keys no media, so the leg's keys are dropped at once), then the first NOTIFY, 100 Trying. Empty when the
     * TRANSFER_RESP cannot be built (the REFER is then refused).
     */
    public static Optional<Progress> accept(SipNode node, SipMessages msgs, ServerTransaction stx, Request req,
                                            ResponderStep.Keyed k, Duration timeout) {
        Leg leg;
        try {
            leg = k.transfer().answer(Ssrcs.UNASSIGNED);
        } catch (KeyManagementException e) {
            k.refuse(e);
            return Optional.empty();
        }
        leg.destroy();
        Response accepted = msgs.response(202, req);
        SipMessages.setBody(accepted, leg.transferResp(), msgs.mikeyType());
        node.respond(stx, accepted);
        Progress p = new Progress(node, msgs, stx.getDialog(),
                ((CSeqHeader) req.getHeader(CSeqHeader.NAME)).getSeqNumber(), timeout);
        send(node, msgs, p.dialog, p.cseq, "SIP/2.0 100 Trying", false, timeout);
        return Optional.of(p);
    }

    /** The status code of a sipfrag status line ("SIP/2.0 200 OK" -> 200), 0 if unreadable. */
    public static int statusOf(String sipfragLine) {
        String[] parts = sipfragLine.split(" ");
        try {
            return parts.length >= 2 ? Integer.parseInt(parts[1]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A reason phrase for a status line we report. */
    public static String reasonOf(int status) {
        return switch (status) {
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 480 -> "Temporarily Unavailable";
            case 486 -> "Busy Here";
            case 488 -> "Not Acceptable Here";
            case 503 -> "Service Unavailable";
            case 603 -> "Decline";
            default -> "Failed";
        };
    }
}
