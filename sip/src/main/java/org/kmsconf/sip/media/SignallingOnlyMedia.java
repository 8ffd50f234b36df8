package org.kmsconf.sip.conference;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import org.kmsconf.mikey.crypto.SrtpKeys;

/**
 * A media plane that relays nothing: SSRCs are still assigned and kept unique per conference (that is a signalling
 * duty of the focus), and every leg advertises port 0, which RFC 3264 §5.1 reads as "no media on this stream".
 */
public final class SignallingOnlyMedia implements ConferenceMedia {
    private final String host;

    /** @param host the address put in the SDP c= line */
    public SignallingOnlyMedia(String host) {
        this.host = host;
    }

    @Override
    public Room open(String focusUri) {
        return new SsrcRoom();
    }

    @Override
    public void close() {
        // nothing held
    }

    private final class SsrcRoom implements Room {
        private final SecureRandom random = new SecureRandom();
        private final Map<Long, String> owners = new HashMap<>();
        private final Map<String, Long> ssrcs = new HashMap<>();

        @Override
        public synchronized long assignSsrc(String participant) {
            Long have = ssrcs.get(participant);
            if (have != null) {
                return have;
            }
            long s;
            do {
                s = random.nextInt() & 0xFFFF_FFFFL;
            } while (s == 0 || owners.containsKey(s));
            owners.put(s, participant);
            ssrcs.put(participant, s);
            return s;
        }

        @Override
        public synchronized boolean claimSsrc(String participant, long ssrc) {
            String owner = owners.get(ssrc);
            if (owner != null) {
                return owner.equals(participant);
            }
            Long old = ssrcs.put(participant, ssrc);
            if (old != null) {
                owners.remove(old);
            }
            owners.put(ssrc, participant);
            return true;
        }

        @Override
        public synchronized void releaseSsrc(String participant) {
            Long s = ssrcs.remove(participant);
            if (s != null) {
                owners.remove(s);
            }
        }

        @Override
        public Port reserve(String participant) {
            return new Port() {
                @Override
                public InetSocketAddress localAddress() {
                    return new InetSocketAddress(host, 0);
                }

                @Override
                public void activate(InetSocketAddress remote, long participantSsrc, SrtpKeys fromParticipant,
                                     SrtpKeys toParticipant) {
                    // signalling only: no media
                }

                @Override
                public void close() {
                    // nothing bound
                }
            };
        }

        @Override
        public synchronized void close() {
            owners.clear();
            ssrcs.clear();
        }
    }
}
