package org.kmsconf.sip.sdp;

import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.Optional;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sdp.Attribute;
import javax.sdp.Connection;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;

/**
 * SDP with a MIKEY message in {@code a=key-mgmt:mikey <base64>} (RFC 4567 §3): one audio m-line, RTP/SAVP, with
 * {@code a=rtcp-mux} (RFC 5761 §5.1.1): the media module sends and receives SRTCP on the RTP port; and, on a leg
 * with floor control, a BFCP m-line ({@link BfcpLine}) whose TLS PSK the same MIKEY message keys.
 * The attribute is written at session level (as in RFC 4567's examples: CS IDs 1 and 2 then belong to the one
 * m-line) and read media level first, then session level (a media-level attribute overrides, RFC 4567 §3.1).
 */
public final class KeyMgmtSdp {
    public static final String PROTOCOL_ID = "mikey";
    private static final Pattern NOT_IN_USERNAME = Pattern.compile("[^A-Za-z0-9._-]");
    private static final AtomicLong SESSION_IDS = new AtomicLong(System.currentTimeMillis() / 1000);

    private KeyMgmtSdp() { }

    /**
     * An SDP offer or answer carrying one MIKEY message (TRANSFER_INIT in offers, TRANSFER_RESP in answers).
     *
     * @param user the o= user name (no spaces)
     * @param media where this party receives RTP
     */
    public static String build(String user, InetSocketAddress media, byte[] mikey) {
        return build(user, media, mikey, Optional.empty());
    }

    /** As {@link #build(String, InetSocketAddress, byte[])}, with a BFCP m-line after the audio one when present. */
    public static String build(String user, InetSocketAddress media, byte[] mikey, Optional<BfcpLine> bfcp) {
        try {
            SdpFactory f = SdpFactory.getInstance();
            SessionDescription sd = f.createSessionDescription();
            String ip = media.getAddress().getHostAddress();
            String addrType = ip.contains(":") ? "IP6" : "IP4";
            long id = SESSION_IDS.incrementAndGet();
            // A valid o= line (the RI's default is "o=user null null ...", docs/sip.md "JAIN-SIP set-up", pitfall 8)
            sd.setOrigin(f.createOrigin(NOT_IN_USERNAME.matcher(user).replaceAll("_"), id, 1, "IN", addrType, ip));
            sd.setSessionName(f.createSessionName("kmsconf"));
            sd.setConnection(f.createConnection("IN", addrType, ip));
            Vector<javax.sdp.TimeDescription> times = new Vector<>();
            times.add(f.createTimeDescription());
            sd.setTimeDescriptions(times);
            if (mikey != null) {
                // setAttribute() silently does nothing when the attribute is absent (docs/sip.md pitfall 7)
                @SuppressWarnings("unchecked")
                Vector<Attribute> attrs = sd.getAttributes(true);
                attrs.add(f.createAttribute("key-mgmt", PROTOCOL_ID + " " + Base64.getEncoder().encodeToString(mikey)));
            }
            MediaDescription md = f.createMediaDescription("audio", media.getPort(), 1, "RTP/SAVP", new int[] {0});
            md.setAttribute("rtpmap", "0 PCMU/8000");
            md.setAttribute("sendrecv", null);
            md.setAttribute("rtcp-mux", null); // RFC 5761 §5.1.1: RTCP on the RTP port, as RtpEndpoint and the relay do
            Vector<MediaDescription> mds = new Vector<>();
            mds.add(md);
            if (bfcp.isPresent()) {
                bfcp.get().addTo(f, mds);
            }
            sd.setMediaDescriptions(mds);
            return sd.toString();
        } catch (SdpException e) {
            throw new IllegalStateException("cannot build SDP: " + e.getMessage(), e);
        }
    }

    /**
     * What the key exchange and the media read from a peer's SDP, from one parse of it (the SDP parser is the
     * costly part of a SIP message's handling: each reader below parsing the body again cost a parse per question).
     *
     * @param keyMgmt the MIKEY message of the first m-section's (or else the session's) {@code a=key-mgmt:mikey};
     *     empty when there is none or its base64 is malformed
     * @param mediaAddress the RTP address of the first m-line (media-level c= first, then session-level c=)
     * @param rtcpMux whether the first m-line says {@code a=rtcp-mux} (RFC 5761 §5.1.1, a media-level attribute).
     *     Our media multiplexes RTCP on the RTP port in any case; a peer that did not say so would send RTCP to
     *     port + 1, which nobody reads (lost RTCP, not lost media)
     * @param bfcp the first TCP/TLS/BFCP m-line ({@link BfcpLine#read})
     */
    public record Read(Optional<byte[]> keyMgmt, Optional<InetSocketAddress> mediaAddress, boolean rtcpMux,
            Optional<BfcpLine> bfcp) {
        /** What a body that is not SDP the parser takes (or a request without SDP) says: nothing. */
        public static final Read NOTHING = new Read(Optional.empty(), Optional.empty(), false, Optional.empty());
    }

    /** Reads {@code sdp} once; {@link Read#NOTHING} when it is not SDP the parser takes. */
    public static Read read(String sdp) {
        SessionDescription sd;
        try {
            sd = SdpFactory.getInstance().createSessionDescription(sdp);
        } catch (SdpException | RuntimeException e) {
            return Read.NOTHING;
        }
        return new Read(keyMgmtIn(sd), mediaAddressIn(sd), rtcpMuxIn(sd), BfcpLine.in(sd));
    }

    /** {@link Read#keyMgmt} of {@link #read}. */
    public static Optional<byte[]> readKeyMgmt(String sdp) {
        return read(sdp).keyMgmt();
    }

    /** {@link Read#rtcpMux} of {@link #read}; false when the SDP is malformed or has no m-line. */
    public static boolean rtcpMux(String sdp) {
        return read(sdp).rtcpMux();
    }

    /** {@link Read#mediaAddress} of {@link #read}. */
    public static Optional<InetSocketAddress> mediaAddress(String sdp) {
        return read(sdp).mediaAddress();
    }

    private static Optional<byte[]> keyMgmtIn(SessionDescription sd) {
        try {
            String value = null;
            @SuppressWarnings("unchecked")
            Vector<MediaDescription> mds = sd.getMediaDescriptions(false);
            if (mds != null) {
                for (MediaDescription md : mds) {
                    String v = keyMgmtOf(md.getAttribute("key-mgmt"));
                    if (v != null) {
                        value = v;
                        break;
                    }
                }
            }
            if (value == null) {
                value = keyMgmtOf(sd.getAttribute("key-mgmt"));
            }
            if (value == null) {
                return Optional.empty();
            }
            return Optional.of(Base64.getDecoder().decode(value));
        } catch (SdpException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean rtcpMuxIn(SessionDescription sd) {
        try {
            @SuppressWarnings("unchecked")
            Vector<MediaDescription> mds = sd.getMediaDescriptions(false);
            if (mds == null || mds.isEmpty()) {
                return false;
            }
            @SuppressWarnings("unchecked")
            Vector<Attribute> attrs = mds.get(0).getAttributes(false);
            if (attrs == null) {
                return false;
            }
            for (Attribute a : attrs) {
                if ("rtcp-mux".equalsIgnoreCase(a.getName().strip())) {
                    return true;
                }
            }
            return false;
        } catch (SdpException e) {
            return false;
        }
    }

    private static Optional<InetSocketAddress> mediaAddressIn(SessionDescription sd) {
        try {
            @SuppressWarnings("unchecked")
            Vector<MediaDescription> mds = sd.getMediaDescriptions(false);
            if (mds == null || mds.isEmpty()) {
                return Optional.empty();
            }
            MediaDescription md = mds.get(0);
            Connection c = md.getConnection() != null ? md.getConnection() : sd.getConnection();
            if (c == null) {
                return Optional.empty();
            }
            return Optional.of(new InetSocketAddress(c.getAddress(), md.getMedia().getMediaPort()));
        } catch (SdpException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The MIKEY data type (RFC 3830 §6.1: the second octet of the header) of the message {@link #readKeyMgmt} reads,
     * found by scanning the SDP's lines and decoding only the first base64 quantum: cheap enough to label every SIP
     * message in the flow trace, which must not parse every SDP body a second time. The same precedence (the first
     * m-section's attribute, else the session's); -1 when there is none or it does not decode. It checks nothing
     * else: {@link #readKeyMgmt} is what the key exchange uses.
     */
    public static int mikeyDataType(String sdp) {
        String media = null;
        String session = null;
        boolean inMedia = false;
        boolean sectionSeen = false; // only a section's first key-mgmt attribute counts, as for readKeyMgmt
        int at = 0;
        while (at < sdp.length() && media == null) {
            int end = sdp.indexOf('\n', at);
            if (end < 0) {
                end = sdp.length();
            }
            int stop = end > at && sdp.charAt(end - 1) == '\r' ? end - 1 : end;
            if (sdp.startsWith("m=", at)) {
                inMedia = true;
                sectionSeen = false;
            } else if (!sectionSeen && sdp.startsWith("a=key-mgmt:", at)) {
                sectionSeen = true;
                String v = keyMgmtOf(sdp.substring(at + "a=key-mgmt:".length(), stop));
                if (inMedia) {
                    media = v;
                } else {
                    session = v;
                }
            }
            at = end + 1;
        }
        String value = media != null ? media : session;
        if (value == null || value.length() < 4) {
            return -1;
        }
        try {
            return Base64.getDecoder().decode(value.substring(0, 4))[1] & 0xff;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** The base64 part of a value "mikey <base64>" (optional leading space per the ABNF), or null for other ids. */
    private static String keyMgmtOf(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        int sp = v.indexOf(' ');
        if (sp < 0 || !v.substring(0, sp).equals(PROTOCOL_ID)) {
            return null;
        }
        return v.substring(sp + 1).strip();
    }
}
