package org.kmsconf.mikey.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The SRTP master key and master salt of one crypto session, as derived from a (forked) TGK
 * (RFC 3830 §4.1.3 with the RFC 6043 label; docs/profile.md: salt derived with 0x39A2C14B), with the
 * {@link SrtpPolicy} negotiated for that crypto session in the MIKEY SP payload: the keys and the transforms they
 * key travel together, so an SRTP context is built from what was agreed, never from a guess.
 * The bytes never appear in {@link #toString()}; {@link #fingerprint()} gives a short, non-reversible tag for logs.
 */
public final class SrtpKeys {
    private final int csId;
    private final byte[] masterKey;
    private final byte[] masterSalt;
    private final SrtpPolicy policy;

    /**
     * @throws IllegalArgumentException if the key or salt length is not the one {@code policy} needs
     */
    public SrtpKeys(int csId, byte[] masterKey, byte[] masterSalt, SrtpPolicy policy) {
        if (masterKey.length != policy.masterKeyLength()) {
            throw new IllegalArgumentException("SRTP master key must be " + policy.masterKeyLength() + " bytes for "
                    + policy + ", got " + masterKey.length);
        }
        if (masterSalt.length != policy.masterSaltLength()) {
            throw new IllegalArgumentException("SRTP master salt must be " + policy.masterSaltLength() + " bytes for "
                    + policy + ", got " + masterSalt.length);
        }
        this.csId = csId;
        this.masterKey = masterKey.clone();
        this.masterSalt = masterSalt.clone();
        this.policy = policy;
    }

    /** The crypto session (GENERIC-ID CS ID) these keys belong to. */
    public int csId() {
        return csId;
    }

    /** The SRTP policy negotiated for this crypto session (the MIKEY SP payload both parties agreed on). */
    public SrtpPolicy policy() {
        return policy;
    }

    /** A copy of the master key; the caller should zero it when done. */
    public byte[] masterKey() {
        return masterKey.clone();
    }

    /** A copy of the master salt. */
    public byte[] masterSalt() {
        return masterSalt.clone();
    }

    /** First 8 hex digits of SHA-256(key || salt): enough to tell legs apart in a log, useless to an attacker. */
    public String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(masterKey);
            md.update(masterSalt);
            return HexFormat.of().formatHex(md.digest(), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Zeroes the key and salt; the object is unusable afterwards. */
    public void destroy() {
        Arrays.fill(masterKey, (byte) 0);
        Arrays.fill(masterSalt, (byte) 0);
    }

    /** Constant-time comparison of key and salt. */
    public boolean sameKeysAs(SrtpKeys other) {
        return MessageDigest.isEqual(masterKey, other.masterKey) && MessageDigest.isEqual(masterSalt, other.masterSalt);
    }

    @Override
    public String toString() {
        return "SrtpKeys[cs=" + csId + ", " + policy + ", fp=" + fingerprint() + "]";
    }
}
