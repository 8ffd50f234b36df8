package org.kmsconf.mikey.crypto;

import java.util.Optional;

/**
 * The SRTP and SRTCP protection negotiated for one crypto session: every RFC 3711 §8.2 parameter that key
 * management supplies. These are the policies this implementation runs, named as the SDES crypto-suites of
 * RFC 4568 §6.2 (AES-128) and RFC 6188 (AES-256). All use AES counter mode with the AES-CM PRF, HMAC-SHA-1
 * with a 160-bit session authentication key, a 112-bit master salt, key derivation rate 0, SRTP and SRTCP
 * encryption on, SRTP authentication on and no MKI in packets. The {@code _32} policies shorten only the SRTP tag:
 * SRTCP keeps an 80-bit tag (RFC 3711 §7.5, RFC 4568 §6.2; libsrtp documents its
 * {@code srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32} as "intended for use in SRTP, but not in SRTCP").
 *
 * <p>A policy is chosen once, from the MIKEY SP payload the two parties agreed on
 * ({@code SecurityPolicy.srtpPolicy()}, which refuses everything else with a MIKEY error), travels with the keys it
 * applies to ({@link SrtpKeys#policy()}), and is what the SRTP contexts are built from: never guessed from a key
 * length.
 */
public enum SrtpPolicy {
    AES_CM_128_HMAC_SHA1_80(16, 10),
    AES_CM_128_HMAC_SHA1_32(16, 4),
    AES_256_CM_HMAC_SHA1_80(32, 10),
    AES_256_CM_HMAC_SHA1_32(32, 4);

    /** {@link #values()} clones its array on every call; look-ups on the decode path use this one. */
    private static final SrtpPolicy[] ALL = values();

    /** RFC 3711 §8.2 defaults; what our 128-bit algorithm set offers. */
    public static final SrtpPolicy DEFAULT = AES_CM_128_HMAC_SHA1_80;

    private final int masterKeyLength;
    private final int srtpTagLength;

    SrtpPolicy(int masterKeyLength, int srtpTagLength) {
        this.masterKeyLength = masterKeyLength;
        this.srtpTagLength = srtpTagLength;
    }

    /** The policy with this master key length and SRTP tag length, bytes, if we run one. */
    public static Optional<SrtpPolicy> of(int masterKeyLength, int srtpTagLength) {
        for (SrtpPolicy p : ALL) {
            if (p.masterKeyLength == masterKeyLength && p.srtpTagLength == srtpTagLength) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The RFC 4568 / RFC 6188 crypto-suite name, e.g. {@code AES_CM_128_HMAC_SHA1_32}. */
    public String suiteName() {
        return name();
    }

    /** Master key length = session encryption key length (SP type 1), bytes: 16 or 32. */
    public int masterKeyLength() {
        return masterKeyLength;
    }

    /** Master salt length = session salt length (SP type 4), bytes (RFC 3711: 112 bits). */
    public int masterSaltLength() {
        return 14;
    }

    /** Session authentication key length (SP type 3), bytes: HMAC-SHA-1's 160 bits. */
    public int sessionAuthKeyLength() {
        return 20;
    }

    /** SRTP authentication tag length (SP type 11), bytes: 10 or 4. */
    public int srtpTagLength() {
        return srtpTagLength;
    }

    /** SRTCP authentication tag length, bytes: 10 for every policy (RFC 3711 §7.5). */
    public int srtcpTagLength() {
        return 10;
    }

    /** Key derivation rate (SP type 6): 0, session keys are derived once (re-keying is a new MIKEY exchange). */
    public long keyDerivationRate() {
        return 0;
    }

    /** SRTP encryption (SP type 7): on. */
    public boolean srtpEncryption() {
        return true;
    }

    /** SRTCP encryption (SP type 8): on; an SRTCP packet with E = 0 is refused. */
    public boolean srtcpEncryption() {
        return true;
    }

    /** SRTP authentication (SP type 10): on. */
    public boolean srtpAuthentication() {
        return true;
    }

    /** MKI length in SRTP/SRTCP packets (RFC 3711 §3.1): 0; the GENERIC-ID SPI names the TGK, packets carry none. */
    public int mkiLength() {
        return 0;
    }
}
