package org.kmsconf.mikey.exchange;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import org.kmsconf.mikey.replay.ReplayCache;

/**
 * What every party of an exchange needs from its environment: a clock (timestamps, skew checks), a source of
 * randomness (CSB IDs, RANDs, keys) and the replay cache of the MIKEY messages it receives (RFC 3830 §5.4; its skew
 * window is the allowed clock skew, ±300 s by default). Inject fixed ones in tests.
 */
public record PartyContext(Clock clock, SecureRandom random, ReplayCache replayCache) {

    public PartyContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(replayCache, "replayCache");
    }

    /** System UTC clock, a strong random source and a default replay cache (±300 s). */
    public static PartyContext system() {
        return new PartyContext(Clock.systemUTC(), new SecureRandom(), new ReplayCache());
    }

    byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    int randomInt() {
        return random.nextInt();
    }
}
