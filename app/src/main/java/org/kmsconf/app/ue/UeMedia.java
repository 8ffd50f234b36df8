package org.kmsconf.app.ue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kmsconf.media.rtp.RtpEndpoint;
import org.kmsconf.media.rtp.RtpStats;
import org.kmsconf.media.rtp.ToneSource;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.sip.ue.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user agent's media: on every call, an SRTP endpoint keyed with the call's leg keys sends a tone to the focus and
 * counts what it authenticates; stopped (and its counters printed) when the call is left or re-keyed.
 *
 * <p>The port in this UE's SDP is the port its RTP socket is bound to. The SDP needs the address before the keys
 * (and so the endpoint) exist, so a placeholder socket holds the port from start-up until an endpoint takes it over,
 * and again between calls: nobody else can take it while it is advertised.
 */
final class UeMedia implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UeMedia.class);

    private final InetAddress bind;
    private final PrintWriter out;
    private final Map<String, RtpEndpoint> byFocus = new ConcurrentHashMap<>();
    /** Fingerprint of the sending keys each endpoint runs with. */
    private final Map<RtpEndpoint, String> keyedWith = new ConcurrentHashMap<>();
    private final InetSocketAddress advertised;
    /** Holds the advertised port while no endpoint is bound to it; guarded by "this". */
    private DatagramSocket placeholder;
    /** The endpoint bound to the advertised port, if any; guarded by "this". */
    private RtpEndpoint onAdvertisedPort;

    UeMedia(String bindHost, PrintWriter out) {
        try {
            this.bind = InetAddress.getByName(bindHost);
            this.placeholder = new DatagramSocket(new InetSocketAddress(bind, 0));
            this.advertised = new InetSocketAddress(bind, placeholder.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use media address " + bindHost + ": " + e.getMessage(), e);
        }
        this.out = out;
    }

    InetSocketAddress advertised() {
        return advertised;
    }

    /**
     * Starts sending on {@code call} towards the media address its SDP named (the focus's relay port, bound before
     * any offer or answer names it); after a re-key, keeps the endpoint and re-keys it in place.
     */
    synchronized void start(Call call) {
        SrtpKeys send = call.sendKeys();
        RtpEndpoint current = byFocus.get(call.peer());
        if (current != null && current.ssrc().equals(call.ssrc())) {
            String keying = send.fingerprint();
            if (!keying.equals(keyedWith.get(current))) {
                // A re-key (new TRANSFER exchange on the same call): same socket and SSRC, and the sequence number
                // and ROC go on under the new keys, so the focus and the others never see the stream jump back.
                current.rekey(send, call.receiveKeys());
                keyedWith.put(current, keying);
            }
            current.remote(call.peerMedia());
            current.startSending(new ToneSource(440, 0.3));
            return;
        }
        stop(call.peer(), false);
        RtpEndpoint ep = openEndpoint(call, send); // each direction under its negotiated SRTP policy (in the keys)
        byFocus.put(call.peer(), ep);
        keyedWith.put(ep, send.fingerprint());
        ep.remote(call.peerMedia());
        ep.startSending(new ToneSource(440, 0.3));
    }

    /**
     * An endpoint on the advertised port when it is free of other calls (the placeholder hands it over: closed right
     * before the bind, no other socket of ours on the port at any time). A second call at the same time (this UE in
     * two conferences) cannot share the one port its SDP names: it gets an ephemeral one, and the focus, which
     * relays symmetrically (to where authenticated packets come from, RFC 4961), still reaches it.
     */
    private RtpEndpoint openEndpoint(Call call, SrtpKeys send) {
        if (onAdvertisedPort == null) {
            if (placeholder != null) {
                placeholder.close();
                placeholder = null;
            }
            onAdvertisedPort = RtpEndpoint.open(advertised, call.ssrc(), send, call.receiveKeys());
            return onAdvertisedPort;
        }
        LOG.warn("media of a second call (with {}) on an ephemeral port, not the advertised {}", call.peer(),
                advertised);
        return RtpEndpoint.open(bind, call.ssrc(), send, call.receiveKeys());
    }

    /** Stops the media of a call and prints its counters. */
    synchronized void stop(String focus, boolean print) {
        RtpEndpoint ep = byFocus.remove(focus);
        if (ep == null) {
            return;
        }
        keyedWith.remove(ep);
        ep.close();
        if (ep == onAdvertisedPort) {
            onAdvertisedPort = null;
            try {
                placeholder = new DatagramSocket(advertised);
            } catch (IOException e) {
                LOG.warn("cannot hold the advertised media port {} between calls: {}", advertised, e.getMessage());
            }
        }
        if (print) {
            RtpStats st = ep.stats();
            out.println("  media with " + focus + ": sent " + st.sent() + " SRTP packets, received " + st.received()
                    + ", authenticated " + st.authenticated() + " from " + st.authenticatedBySsrc().size()
                    + " stream(s), rejected " + st.rejected());
            out.flush();
        }
    }

    @Override
    public synchronized void close() {
        for (String focus : byFocus.keySet().toArray(new String[0])) {
            stop(focus, true);
        }
        if (placeholder != null) {
            placeholder.close();
            placeholder = null;
        }
    }
}
