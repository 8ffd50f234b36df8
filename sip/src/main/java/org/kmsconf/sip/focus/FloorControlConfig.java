package org.kmsconf.sip.focus;

import org.kmsconf.control.tls.TlsPolicy;

/**
 * Floor control at the conference server (BFCP over TLS, RFC 8855 and RFC 8856, with each leg's MIKEY-derived PSK):
 * the TCP port of its BFCP TLS server (0: any free one) on the server's SIP address, and the TLS policy (TLS 1.3
 * with {@code psk_dhe_ke} only, unless TLS 1.2 ECDHE-PSK is configured). A conference is floor-controlled when its
 * creator asks for it (a BFCP m-line in the creation INVITE): its owner is the chair, and the relay forwards only
 * the floor holder's audio.
 */
public record FloorControlConfig(int port, TlsPolicy tls) {
    public FloorControlConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("BFCP port " + port);
        }
        tls = tls == null ? TlsPolicy.tls13Only() : tls;
    }

    /** Any free port, TLS 1.3 only, a 10 s handshake timeout. */
    public static FloorControlConfig defaults() {
        return new FloorControlConfig(0, TlsPolicy.tls13Only());
    }
}
