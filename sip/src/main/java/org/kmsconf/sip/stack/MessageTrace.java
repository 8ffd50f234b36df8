package org.kmsconf.sip.stack;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.FlowEvent.Direction;
import org.kmsconf.sip.trace.FlowEvent.MikeyContent;
import org.kmsconf.sip.trace.FlowListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SIP part of the flow trace: who sent what to whom, over which transport, carrying which MIKEY message. */
final class MessageTrace {
    private static final Logger LOG = LoggerFactory.getLogger(MessageTrace.class);
    private final FlowListener trace;

    MessageTrace(FlowListener trace) {
        this.trace = trace;
    }

    void report(Message message, Direction direction) {
        try {
            FromHeader from = (FromHeader) message.getHeader(FromHeader.NAME);
            ToHeader to = (ToHeader) message.getHeader(ToHeader.NAME);
            CSeqHeader cseq = (CSeqHeader) message.getHeader(CSeqHeader.NAME);
            CallIdHeader callId = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
            String fromUri = from == null ? "" : from.getAddress().getURI().toString();
            String toUri = to == null ? "" : to.getAddress().getURI().toString();
            boolean request = message instanceof Request;
            String what = request ? ((Request) message).getMethod()
                    : ((Response) message).getStatusCode() + " " + (cseq == null ? "" : cseq.getMethod());
            // Our own identity is From on our requests and To on requests we receive (and the reverse for responses).
            String party = (request == (direction == Direction.SENT)) ? fromUri : toUri;
            trace.onEvent(new FlowEvent.SipMessage(Instant.now(), party, direction, fromUri, toUri, what,
                    callId == null ? "" : callId.getCallId(), transportOf(message), mikeyContent(message)));
        } catch (RuntimeException e) {
            LOG.debug("trace of a SIP message failed: {}", e.toString());
        }
    }

    private static String transportOf(Message message) {
        ViaHeader via = (ViaHeader) message.getHeader(ViaHeader.NAME);
        return via == null ? "" : via.getTransport().toUpperCase(Locale.ROOT);
    }

    /** Which MIKEY message a SIP message carries, from the data type byte of its MIKEY header (RFC 3830 §6.1). */
    static MikeyContent mikeyContent(Message message) {
        byte[] raw = message.getRawContent();
        if (raw == null || raw.length == 0) {
            return MikeyContent.NONE;
        }
        ContentTypeHeader ct = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        int type = -1;
        if (ct != null && "mikey".equalsIgnoreCase(ct.getContentSubType())) {
            type = raw.length < 2 ? -1 : raw[1] & 0xff;
        } else if (ct != null && "sdp".equalsIgnoreCase(ct.getContentSubType())) {
            type = KeyMgmtSdp.mikeyDataType(new String(raw, StandardCharsets.UTF_8));
        }
        return switch (type) {
            case 14 -> MikeyContent.TRANSFER_INIT;
            case 15 -> MikeyContent.TRANSFER_RESP;
            case 6 -> MikeyContent.ERROR;
            default -> MikeyContent.NONE;
        };
    }
}
