package org.kmsconf.sip.media;

import java.net.InetSocketAddress;
import org.kmsconf.media.relay.SsrcRegistry;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.message.Ssrc;

/**
 * A media plane that relays nothing: SSRCs are still assigned and kept unique per conference (a signalling duty of
 * the focus), and every leg advertises port 0, which RFC 3264 §5.1 reads as "no media on this stream".
 */
public final class SignallingOnlyMedia implements ConferenceMedia {
    private final String host;

    /** @param host the address put in the SDP c= line */
    public SignallingOnlyMedia(String host) {
        this.host = host;
    }

    @Override
    public Room open(String focusUri) {
        SsrcRegistry ssrcs = new SsrcRegistry();
        return new Room() {
            @Override
            public SsrcRegistry ssrcs() {
                return ssrcs;
            }

            @Override
            public Port reserve(String participant) {
                return new Port() {
                    @Override
                    public InetSocketAddress localAddress() {
                        return new InetSocketAddress(host, 0);
                    }

                    @Override
                    public void activate(Ssrc participantSsrc, SrtpKeys fromParticipant, SrtpKeys toParticipant) {
                        // signalling only: no media
                    }

                    @Override
                    public void close() {
                        // nothing bound
                    }
                };
            }

            @Override
            public void close() {
                // nothing held
            }
        };
    }

    @Override
    public void close() {
        // nothing held
    }
}
