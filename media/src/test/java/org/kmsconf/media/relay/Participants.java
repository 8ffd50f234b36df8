package org.kmsconf.media.relay;

import java.net.InetAddress;
import java.security.SecureRandom;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;

/** Test helpers: fresh random per-leg keys with their policy, and the loopback address. */
final class Participants {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Participants() {
    }

    /** Random keys as if negotiated with {@code policy}. */
    static SrtpKeys randomKeys(int csId, SrtpPolicy policy) {
        byte[] k = new byte[policy.masterKeyLength()];
        byte[] s = new byte[policy.masterSaltLength()];
        RANDOM.nextBytes(k);
        RANDOM.nextBytes(s);
        return new SrtpKeys(csId, k, s, policy);
    }
}
