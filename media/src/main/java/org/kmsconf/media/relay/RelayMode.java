package org.kmsconf.media.relay;

/** How the focus forwards an authenticated packet. */
public enum RelayMode {
    /**
     * The product: each packet is authenticated, replay-checked and decrypted with the sending participant's
     * participant→focus keys, then re-encrypted and re-tagged for every other participant with that leg's
     * focus→participant keys (docs/profile.md §5: no group keys).
     */
    PER_LEG_KEYS,
    /**
     * <b>Benchmark baseline only</b>, never used by the conference server: what a shared group key would allow.
     * Each SRTP packet is authenticated and replay-checked once with the sender's leg key (no decryption) and the
     * received SRTP bytes are forwarded untouched to every other participant. SRTCP still takes the per-leg path.
     * Receivers can only decrypt such packets if every leg has the same keys, which is exactly what we refuse.
     */
    FORWARD_AUTHENTICATED_UNTOUCHED
}
