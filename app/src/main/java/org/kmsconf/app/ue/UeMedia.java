package org.kmsconf.app.ue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kmsconf.media.rtp.RtpEndpoint;
import org.kmsconf.media.rtp.RtpStats;
import org.kmsconf.media.rtp.ToneSource;
import org.kmsconf.media.srtp.SrtpProfile;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.sip.Call;

/**
 * A user agent's media: on every call, an SRTP endpoint keyed with the call's leg keys sends a tone to the focus and
 * counts what it authenticates; stopped (and its counters printed) when the call is left or re-keyed.
 */
final class UeMedia implements AutoCloseable {
    private final InetAddress bind;
    private final PrintWriter out;
    private final Map<String, RtpEndpoint> byFocus = new ConcurrentHashMap<>();
    private final InetSocketAddress advertised;

    UeMedia(String bindHost, PrintWriter out) {
        try {
            this.bind = InetAddress.getByName(bindHost);
            // The SDP needs an address before the keys exist; the focus relays symmetrically (to where this
            // party's authenticated packets come from), so the endpoint's own port is what counts.
            try (DatagramSocket s = new DatagramSocket(0, bind)) {
                this.advertised = new InetSocketAddress(bind, s.getLocalPort());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use media address " + bindHost + ": " + e.getMessage(), e);
        }
        this.out = out;
    }

    InetSocketAddress advertised() {
        return advertised;
    }

    /** Starts (or, after a re-key, restarts) sending on {@code call}. */
    synchronized void start(Call call) {
        stop(call.peer(), false);
        SrtpKeys send = call.sendKeys();
        byte[] k = send.masterKey();
        SrtpProfile profile = k.length == 32 ? SrtpProfile.AES_256_CM_HMAC_SHA1_80 : SrtpProfile.DEFAULT;
        Arrays.fill(k, (byte) 0);
        RtpEndpoint ep = RtpEndpoint.open(bind, (int) call.ssrc(), send, call.receiveKeys(), profile);
        ep.remote(call.peerMedia());
        ep.startSending(new ToneSource(440, 0.3));
        byFocus.put(call.peer(), ep);
    }

    /** Stops the media of a call and prints its counters. */
    synchronized void stop(String focus, boolean print) {
        RtpEndpoint ep = byFocus.remove(focus);
        if (ep == null) {
            return;
        }
        ep.close();
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
    }
}
