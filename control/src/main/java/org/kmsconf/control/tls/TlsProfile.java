package org.kmsconf.control.tls;

import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.PskKeyExchangeMode;

/** The protocol versions, cipher suites, groups and PSK modes of {@link TlsPolicy}, in one place. */
final class TlsProfile {
    private TlsProfile() {
    }

    /** RFC 8446 §B.4: 0x1301. */
    static final int TLS13_SUITE = CipherSuite.TLS_AES_128_GCM_SHA256;
    /** RFC 8442: 0xD001, TLS 1.2 only, forward secrecy from ECDHE. */
    static final int TLS12_SUITE = CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256;
    /** In order of preference (RFC 8446 §4.2.7 named groups). */
    static final int[] GROUPS = {NamedGroup.x25519, NamedGroup.secp256r1};
    /** RFC 8446 §4.2.9: (EC)DHE with the PSK, so that the PSK alone does not open recorded traffic. */
    static final short[] PSK_MODES = {PskKeyExchangeMode.psk_dhe_ke};
    /** The external PSK is bound to SHA-256 (RFC 8446 §4.2.11: a PSK is used only with its hash). */
    static final int PSK_PRF = PRFAlgorithm.tls13_hkdf_sha256;

    static ProtocolVersion[] versions(TlsPolicy p) {
        return p.allowTls12() ? new ProtocolVersion[] {ProtocolVersion.TLSv13, ProtocolVersion.TLSv12}
                : new ProtocolVersion[] {ProtocolVersion.TLSv13};
    }

    static int[] suites(TlsPolicy p) {
        return p.allowTls12() ? new int[] {TLS13_SUITE, TLS12_SUITE} : new int[] {TLS13_SUITE};
    }
}
