package org.kmsconf.control.tls;

import java.time.Duration;
import java.util.Objects;

/**
 * What a BFCP TLS endpoint accepts (docs/profile.md §6): TLS 1.3 with an external PSK, psk_dhe_ke only,
 * TLS_AES_128_GCM_SHA256, x25519 then secp256r1, the PSK bound to SHA-256. {@code allowTls12} adds TLS 1.2 with
 * TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256 (0xD001) and the extended master secret, for peers without TLS 1.3; it is
 * off unless configured. Never: pure-PSK suites, certificate suites, TLS below 1.2, renegotiation, session
 * resumption or tickets. {@code handshakeTimeout} bounds the handshake (and the wait for the first bytes).
 */
public record TlsPolicy(boolean allowTls12, Duration handshakeTimeout) {
    public TlsPolicy {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive");
        }
    }

    /** The default: TLS 1.3 only, 10 s to complete a handshake. */
    public static TlsPolicy tls13Only() {
        return new TlsPolicy(false, Duration.ofSeconds(10));
    }

    /** The same with the TLS 1.2 ECDHE-PSK fallback enabled. */
    public TlsPolicy withTls12EcdhePsk() {
        return new TlsPolicy(true, handshakeTimeout);
    }

    public TlsPolicy withHandshakeTimeout(Duration d) {
        return new TlsPolicy(allowTls12, d);
    }
}
