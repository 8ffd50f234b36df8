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
public final class SipMessages {
    public static final String WARN_AGENT = "kmsconf";
    /** RFC 3261 §20.43: 399 = miscellaneous warning. */
    public static final int WARN_CODE = 399;

    private final SipNode node;

    public SipMessages(SipNode node) {
        this.node = node;
    }

    /** The user part of a public identity ("sip:alice@operator" -> "alice"). */
    public static String userOf(String identity) {
        String id = Directory.normalise(identity);
        int colon = id.indexOf(':');
        int at = id.indexOf('@');
        return at > colon ? id.substring(colon + 1, at) : id.substring(colon + 1);
    }

    /** The public identity in an Address (From/To/Refer-To): scheme:user@host, parameters dropped. */
    public static String identityOf(Address address) {
        URI uri = address.getURI();
        if (uri instanceof SipURI sip) {
            String user = sip.getUser();
            return Directory.normalise((sip.isSecure() ? "sips:" : "sip:") + (user == null ? "" : user + "@")
                    + sip.getHost());
        }
        return Directory.normalise(uri.toString());
    }

    public static String fromIdentity(Message m) {
        return identityOf(((FromHeader) m.getHeader(FromHeader.NAME)).getAddress());
    }

    public static String toIdentity(Message m) {
        return identityOf(((ToHeader) m.getHeader(ToHeader.NAME)).getAddress());
    }

    public static String transportOf(Message m) {
        ViaHeader via = (ViaHeader) m.getHeader(ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
    }

    public static String callIdOf(Message m) {
        return ((javax.sip.header.CallIdHeader) m.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId();
    }

    /**
     * A participant's call as the focus identifies it from the first request on: the Call-ID and the participant's
     * own tag (From tag of what it sends, To tag of its answer to our INVITE). Unlike JAIN-SIP's dialog id it does
     * not change once our own tag is known.
     */
    public static String callKey(Message m, boolean peerIsFrom) {
        String tag = peerIsFrom ? ((FromHeader) m.getHeader(FromHeader.NAME)).getTag()
                : ((ToHeader) m.getHeader(ToHeader.NAME)).getTag();
        return callIdOf(m) + ";" + tag;
    }

    public static byte[] body(Message m) {
        byte[] raw = m.getRawContent();
        return raw == null ? new byte[0] : raw;
    }

    public static String bodyText(Message m) {
        return new String(body(m), StandardCharsets.UTF_8);
    }

    public static boolean hasContentType(Message m, String type, String subType) {
        ContentTypeHeader ct = (ContentTypeHeader) m.getHeader(ContentTypeHeader.NAME);
        return ct != null && ct.getContentType().equalsIgnoreCase(type)
                && ct.getContentSubType().equalsIgnoreCase(subType);
    }

    /** The text of the first Warning header, or the reason phrase. */
    public static String warningOf(Response r) {
        WarningHeader w = (WarningHeader) r.getHeader(WarningHeader.NAME);
        return w != null ? w.getText() : r.getReasonPhrase();
    }

    /** An Address for a public identity, as it goes in From, To and Refer-To. */
    public Address address(String identity) {
        try {
            return node.addressFactory().createAddress(Directory.normalise(identity));
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a SIP URI: " + identity);
        }
    }

    /** Our Contact for {@code identity}: sip:user@our-host:our-port;transport=t (pitfall 12: keep the transport). */
    public ContactHeader contact(String identity, String transport) {
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
    public Request request(String method, String from, String to, Contact target) {
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

    public Response response(int status, Request request) {
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
    public Response refusal(int status, Request request, String reason, byte[] mikeyError) {
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

    public static String oneLine(String s) {
        String t = s == null ? "" : s.replaceAll("[\\r\\n\"\\\\]+", " ").strip();
        return t.length() > 200 ? t.substring(0, 200) : t;
    }

    public ContentTypeHeader sdpType() {
        try {
            return node.headerFactory().createContentTypeHeader("application", "sdp");
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public ContentTypeHeader mikeyType() {
        try {
            return node.headerFactory().createContentTypeHeader("application", "mikey");
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public ContentTypeHeader sipfragType() {
        try {
            ContentTypeHeader t = node.headerFactory().createContentTypeHeader("message", "sipfrag");
            t.setParameter("version", "2.0");
            return t;
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void setBody(Message m, byte[] body, ContentTypeHeader type) {
        try {
            m.setContent(body, type);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void setBody(Message m, String body, ContentTypeHeader type) {
        setBody(m, body.getBytes(StandardCharsets.UTF_8), type);
    }
}
