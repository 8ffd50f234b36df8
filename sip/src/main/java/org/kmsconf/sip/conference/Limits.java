package org.kmsconf.sip.conference;

import java.time.Duration;

/**
 * The service limits of a conference system (docs/sip.md "Limits"): how many conferences in all and per creator,
 * how many participants per conference, and how long a conference without any connected participant lives.
 */
public record Limits(int maxConferences, int maxConferencesPerCreator, int maxParticipants, Duration idleExpiry) {
    public static final Limits DEFAULT = new Limits(1000, 10, 50, Duration.ofMinutes(10));

    public Limits {
        if (maxConferences < 1 || maxConferencesPerCreator < 1 || maxParticipants < 1) {
            throw new IllegalArgumentException("limits must be at least 1");
        }
        if (idleExpiry == null || idleExpiry.isNegative() || idleExpiry.isZero()) {
            throw new IllegalArgumentException("idle expiry must be positive");
        }
    }

    public Limits withMaxConferences(int n) {
        return new Limits(n, maxConferencesPerCreator, maxParticipants, idleExpiry);
    }

    public Limits withMaxConferencesPerCreator(int n) {
        return new Limits(maxConferences, n, maxParticipants, idleExpiry);
    }

    public Limits withMaxParticipants(int n) {
        return new Limits(maxConferences, maxConferencesPerCreator, n, idleExpiry);
    }

    public Limits withIdleExpiry(Duration d) {
        return new Limits(maxConferences, maxConferencesPerCreator, maxParticipants, d);
    }
}
