package org.kmsconf.mikey.exchange;

import java.time.Duration;
import java.util.Objects;

/**
 * The KMS's own protocol settings: its identity (the IDRkms it answers to and writes into tickets), its ticket
 * protection keys, and ticket validity: applied when a request names none, and the longest it grants.
 */
public record KmsSettings(String kmsUri, TicketProtectionKeys tpks, Duration defaultTicketLifetime,
        Duration maxTicketLifetime) {

    public KmsSettings {
        Objects.requireNonNull(kmsUri, "kmsUri");
        Objects.requireNonNull(tpks, "tpks");
        if (defaultTicketLifetime.isNegative() || defaultTicketLifetime.isZero()
                || maxTicketLifetime.compareTo(defaultTicketLifetime) < 0) {
            throw new IllegalArgumentException("ticket lifetimes must be positive, max >= default");
        }
    }

    /** Tickets valid 12 hours by default, 7 days at most. */
    public static KmsSettings of(String kmsUri, TicketProtectionKeys tpks) {
        return new KmsSettings(kmsUri, tpks, Duration.ofHours(12), Duration.ofDays(7));
    }
}
