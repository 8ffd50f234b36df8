package org.kmsconf.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WarningHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.kmsconf.sip.stack.SipNode;

/** Building and reading the SIP messages of the flows: identities in From/To, contacts from the {@link Directory}. */
final class SipMessages {
    static final String WARN_AGENT = "kmsconf";
    /** RFC 3261 §20.43: 399 = miscellaneous warning. */
    static final int WARN_CODE = 399;

    private final SipNode node;

    SipMessages(SipNode node) {
        this.node = node;
    }

    /** The user part of a public identity ("sip:alice@operator" -> "alice"). */
    static String userOf(String identity) {
        String id = Directory.normalise(identity);
        int colon = id.indexOf(':');
        int at = id.indexOf('@');
        return at > colon ? id.substring(colon + 1, at) : id.substring(colon + 1);
    }

    /** The public identity in an Address (From/To/Refer-To): scheme:user@host, parameters dropped. */
    static String identityOf(Address address) {
        URI uri = address.getURI();
        if (uri instanceof SipURI sip) {
            String user = sip.getUser();
            return Directory.normalise((sip.isSecure() ? "sips:" : "sip:") + (user == null ? "" : user + "@")
                    + sip.getHost());
        }
        return Directory.normalise(uri.toString());
    }

    static String fromIdentity(Message m) {
        return identityOf(((FromHeader) m.getHeader(FromHeader.NAME)).getAddress());
    }

    static String toIdentity(Message m) {
        return identityOf(((ToHeader) m.getHeader(ToHeader.NAME)).getAddress());
    }

    static String transportOf(Message m) {
        ViaHeader via = (ViaHeader) m.getHeader(ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
    }

    static String callIdOf(Message m) {
        return ((javax.sip.header.CallIdHeader) m.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId();
    }

    static byte[] body(Message m) {
        byte[] raw = m.getRawContent();
        return raw == null ? new byte[0] : raw;
    }

    static String bodyText(Message m) {
        return new String(body(m), StandardCharsets.UTF_8);
    }

    static boolean hasContentType(Message m, String type, String subType) {
        ContentTypeHeader ct = (ContentTypeHeader) m.getHeader(ContentTypeHeader.NAME);
        return ct != null && ct.getContentType().equalsIgnoreCase(type)
                && ct.getContentSubType().equalsIgnoreCase(subType);
    }

    /** The text of the first Warning header, or the reason phrase. */
    static String warningOf(Response r) {
        WarningHeader w = (WarningHeader) r.getHeader(WarningHeader.NAME);
        return w != null ? w.getText() : r.getReasonPhrase();
    }

    /** An Address for a public identity, as it goes in From, To and Refer-To. */
    Address address(String identity) {
        try {
            return node.addressFactory().createAddress(Directory.normalise(identity));
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a SIP URI: " + identity);
        }
    }

    /** Our Contact for {@code identity}: sip:user@our-host:our-port;transport=t (pitfall 12: keep the transport). */
    ContactHeader contact(String identity, String transport) {
        try {
            SipURI uri = node.addressFactory().createSipURI(userOf(identity), node.host());
            uri.setPort(node.port());
            uri.setTransportParam(transport);
            return node.headerFactory().createContactHeader(node.addressFactory().createAddress(uri));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An out-of-dialog request from one public identity to another, sent to the other's contact. */
    Request request(String method, String from, String to, Contact target) {
        try {
            SipURI ruri = node.addressFactory().createSipURI(userOf(to), target.host());
            ruri.setPort(target.port());
            ruri.setTransportParam(target.transport());
            List<ViaHeader> vias = new ArrayList<>();
            vias.add(node.headerFactory().createViaHeader(node.host(), node.port(), target.transport(), null));
            Request r = node.messageFactory().createRequest(ruri, method, node.provider().getNewCallId(),
                    node.headerFactory().createCSeqHeader(1L, method),
                    node.headerFactory().createFromHeader(address(from), UUID.randomUUID().toString().substring(0, 8)),
                    node.headerFactory().createToHeader(address(to), null), vias,
                    node.headerFactory().createMaxForwardsHeader(70));
            r.addHeader(contact(from, target.transport()));
            return r;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot build " + method + ": " + e.getMessage(), e);
        }
    }

    Response response(int status, Request request) {
        try {
            Response r = node.messageFactory().createResponse(status, request);
            if (status / 100 == 2 || status == 101 || (status / 100 == 1 && status != 100)) {
                r.addHeader(contact(toIdentity(request), transportOf(request)));
            }
            return r;
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A refusal with {@code Warning: 399 kmsconf "<reason>"} and, when given, a MIKEY error message as body. */
    /**
     * The refusal for a failed key-management step: status and Warning text from {@link KmsStatus}, plus the MIKEY
     * error message as body where there is one.
     */
    Response refusal(Request request, org.kmsconf.sip.keys.KeyManagementException e, byte[] mikeyError) {
        return refusal(KmsStatus.statusFor(e), request, KmsStatus.describe(e), mikeyError);
    }

    Response refusal(int status, Request request, String reason, byte[] mikeyError) {
        try {
            Response r = response(status, request);
            r.addHeader(node.headerFactory().createWarningHeader(WARN_AGENT, WARN_CODE, oneLine(reason)));
            if (mikeyError != null && mikeyError.length > 0) {
                r.setContent(mikeyError, mikeyType());
            }
            return r;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }

    static String oneLine(String s) {
        String t = s == null ? "" : s.replaceAll("[\\r\\n\"\\\\]+", " ").strip();
        return t.length() > 200 ? t.substring(0, 200) : t;
    }

    ContentTypeHeader sdpType() {
        try {
            return node.headerFactory().createContentTypeHeader("application", "sdp");
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    ContentTypeHeader mikeyType() {
        try {
            return node.headerFactory().createContentTypeHeader("application", "mikey");
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    ContentTypeHeader sipfragType() {
        try {
            ContentTypeHeader t = node.headerFactory().createContentTypeHeader("message", "sipfrag");
            t.setParameter("version", "2.0");
            return t;
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static void setBody(Message m, byte[] body, ContentTypeHeader type) {
        try {
            m.setContent(body, type);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static void setBody(Message m, String body, ContentTypeHeader type) {
        setBody(m, body.getBytes(StandardCharsets.UTF_8), type);
    }
}
