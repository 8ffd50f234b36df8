package org.kmsconf.mikey.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The SRTP master key and master salt of one crypto session, as derived from a (forked) TGK
 * (RFC 3830 §4.1.3 with the RFC 6043 label; PROFILE.md: salt derived with 0x39A2C14B, 14 bytes by default).
 * The bytes never appear in {@link #toString()}; {@link #fingerprint()} gives a short, non-reversible tag for logs.
 */
public final class SrtpKeys {
    private final int csId;
    private final byte[] masterKey;
    private final byte[] masterSalt;

    public SrtpKeys(int csId, byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != 16 && masterKey.length != 32) {
            throw new IllegalArgumentException("SRTP master key must be 16 or 32 bytes, got " + masterKey.length);
        }
        if (masterSalt.length < 12 || masterSalt.length > 14) {
            throw new IllegalArgumentException("SRTP master salt must be 12 to 14 bytes, got " + masterSalt.length);
        }
        this.csId = csId;
        this.masterKey = masterKey.clone();
        this.masterSalt = masterSalt.clone();
    }

    /** The crypto session (GENERIC-ID CS ID) these keys belong to. */
    public int csId() {
        return csId;
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
        return "SrtpKeys[cs=" + csId + ", key=" + (masterKey.length * 8) + " bit, fp=" + fingerprint() + "]";
    }
}
