package org.kmsconf.sip.sdp;

import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.Optional;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicLong;
import javax.sdp.Attribute;
import javax.sdp.Connection;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SdpParseException;
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
            sd.setOrigin(f.createOrigin(user.replaceAll("[^A-Za-z0-9._-]", "_"), id, 1, "IN", addrType, ip));
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
     * The MIKEY message of the first audio m-line's (or else the session's) {@code a=key-mgmt:mikey}; empty when there
     * is none or the SDP or the base64 is malformed.
     */
    public static Optional<byte[]> readKeyMgmt(String sdp) {
        try {
            SessionDescription sd = SdpFactory.getInstance().createSessionDescription(sdp);
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

    /**
     * Whether the first m-line says {@code a=rtcp-mux} (RFC 5761 §5.1.1, a media-level attribute). Our media
     * multiplexes RTCP on the RTP port in any case; a peer that did not say so would send RTCP to port + 1, which
     * nobody reads (lost RTCP, not lost media). False when the SDP is malformed or has no m-line.
     */
    public static boolean rtcpMux(String sdp) {
        try {
            SessionDescription sd = SdpFactory.getInstance().createSessionDescription(sdp);
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

    /** The RTP address of the first audio m-line (media-level c= first, then session-level c=). */
    public static Optional<InetSocketAddress> mediaAddress(String sdp) {
        try {
            SessionDescription sd = SdpFactory.getInstance().createSessionDescription(sdp);
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
        } catch (SdpParseException e) {
            return Optional.empty();
        } catch (SdpException e) {
            return Optional.empty();
        }
    }
}
