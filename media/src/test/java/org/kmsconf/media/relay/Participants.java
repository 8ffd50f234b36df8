package org.kmsconf.media.relay;

import java.net.InetAddress;
import java.security.SecureRandom;
import org.kmsconf.mikey.crypto.SrtpKeys;

/** Test helpers: fresh random per-leg keys and the loopback address. */
final class Participants {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Participants() {
    }

    static SrtpKeys randomKeys(int csId, int keyLength) {
        byte[] k = new byte[keyLength];
        byte[] s = new byte[14];
        RANDOM.nextBytes(k);
        RANDOM.nextBytes(s);
        return new SrtpKeys(csId, k, s);
    }
}
