package org.kmsconf.sip.sdp;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Vector;
import javax.sdp.Attribute;
import javax.sdp.Connection;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;

/**
 * The BFCP m-line of a leg's SDP (RFC 8856 over RFC 4145 / RFC 4572 TCP media): {@code m=application <port>
 * TCP/TLS/BFCP *}. The focus is the floor control server: it listens ({@code a=setup:passive},
 * {@code a=floorctrl:s-only}) and names the BFCP conference, the participant's user and the audio floor
 * ({@code a=confid}, {@code a=userid}, {@code a=floorid:<id> mstrm:<label>} with {@code a=label} on the audio
 * m-line); the participant connects ({@code a=setup:active}, port 9, {@code a=floorctrl:c-only}). Always
 * {@code a=connection:new}: a new MIKEY exchange gives a new PSK, and the TLS connection is made again. Port 0 refuses
 * the stream (RFC 3264 §6). The TLS key is the leg's K(0xB0), covered by the SDP's one {@code a=key-mgmt}.
 *
 * @param port the server's port (server), 9 (client), 0 (refused)
 * @param address where the server listens (server only; null otherwise)
 */
public record BfcpLine(boolean server, InetSocketAddress address, int port, long confId, int userId, int floorId) {
    /** The proto of the m-line (RFC 8856 §4). */
    public static final String PROTO = "TCP/TLS/BFCP";
    /** The {@code a=label} of the audio m-line that the floor controls. */
    public static final String AUDIO_LABEL = "1";
    private static final int DISCARD_PORT = 9;

    public BfcpLine {
        if (port < 0 || port > 65535 || confId < 0 || confId > 0xFFFF_FFFFL || userId < 0 || userId > 0xFFFF
                || floorId < 0 || floorId > 0xFFFF) {
            throw new IllegalArgumentException("port, conference ID, user ID or floor ID out of range");
        }
    }

    /** A participant asking for floor control (it will connect). */
    public static BfcpLine client() {
        return new BfcpLine(false, null, DISCARD_PORT, 0, 0, 0);
    }

    /** The focus's line: where to connect, and the IDs this participant's BFCP messages must carry. */
    public static BfcpLine server(InetSocketAddress address, long confId, int userId, int floorId) {
        return new BfcpLine(true, address, address.getPort(), confId, userId, floorId);
    }

    /** Floor control refused (or not offered by this side). */
    public static BfcpLine refused() {
        return new BfcpLine(false, null, 0, 0, 0, 0);
    }

    public boolean accepted() {
        return port != 0;
    }

    /** Adds this line to an SDP under construction (after the audio m-line, which it labels when it is ours). */
    void addTo(SdpFactory f, Vector<MediaDescription> mds) throws SdpException {
        MediaDescription md = f.createMediaDescription("application", port, 1, PROTO, new String[] {"*"});
        if (server) {
            String ip = address.getAddress().getHostAddress();
            md.setConnection(f.createConnection("IN", ip.contains(":") ? "IP6" : "IP4", ip));
        }
        if (port != 0) {
            md.setAttribute("setup", server ? "passive" : "active");
            md.setAttribute("connection", "new");
            md.setAttribute("floorctrl", server ? "s-only" : "c-only");
            if (server) {
                md.setAttribute("confid", Long.toString(confId));
                md.setAttribute("userid", Integer.toString(userId));
                md.setAttribute("floorid", floorId + " mstrm:" + AUDIO_LABEL);
                mds.get(0).setAttribute("label", AUDIO_LABEL);
            }
        }
        mds.add(md);
    }

    /**
     * The first TCP/TLS/BFCP m-line of an SDP, or empty when there is none or it cannot be read. A line with
     * {@code a=floorctrl:s-only} (or {@code c-s}) and {@code a=setup:passive} is a server line; its {@code a=confid},
     * {@code a=userid} and {@code a=floorid} must be integers, else the line is unreadable (empty).
     */
    public static Optional<BfcpLine> read(String sdp) {
        return KeyMgmtSdp.read(sdp).bfcp();
    }

    /** {@link #read} of an SDP already parsed ({@link KeyMgmtSdp#read} reads every peer SDP once). */
    static Optional<BfcpLine> in(SessionDescription sd) {
        try {
            @SuppressWarnings("unchecked")
            Vector<MediaDescription> mds = sd.getMediaDescriptions(false);
            if (mds == null) {
                return Optional.empty();
            }
            for (MediaDescription md : mds) {
                if (!PROTO.equalsIgnoreCase(md.getMedia().getProtocol())) {
                    continue;
                }
                int port = md.getMedia().getMediaPort();
                if (port == 0) {
                    return Optional.of(refused());
                }
                String floorctrl = attribute(md, "floorctrl");
                boolean server = "passive".equals(attribute(md, "setup"))
                        && floorctrl != null && (floorctrl.contains("s-only") || floorctrl.contains("c-s"));
                if (!server) {
                    return Optional.of(client());
                }
                Connection c = md.getConnection() != null ? md.getConnection() : sd.getConnection();
                String floorid = attribute(md, "floorid");
                if (c == null || floorid == null) {
                    return Optional.empty();
                }
                return Optional.of(server(new InetSocketAddress(c.getAddress(), port),
                        Long.parseLong(attribute(md, "confid")), Integer.parseInt(attribute(md, "userid")),
                        Integer.parseInt(floorid.strip().split("\\s+")[0])));
            }
            return Optional.empty();
        } catch (SdpException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String attribute(MediaDescription md, String name) {
        @SuppressWarnings("unchecked")
        Vector<Attribute> attrs = md.getAttributes(false);
        if (attrs == null) {
            return null;
        }
        for (Attribute a : attrs) {
            try {
                if (name.equalsIgnoreCase(a.getName().strip())) {
                    return a.getValue() == null ? "" : a.getValue().strip();
                }
            } catch (SdpException e) {
                return null;
            }
        }
        return null;
    }
}
