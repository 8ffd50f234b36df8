package org.kmsconf.media.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SRTP key derivation (RFC 3711 §4.3.1, §4.3.3) with key derivation rate 0: r = 0, so
 * key_id = label || 0x000000000000 and x = key_id XOR master_salt, the label landing on byte 7 of the 14-byte salt.
 * The session key is the AES-CM keystream of the master key started at x·2^16. AES-256 master keys use AES-256
 * the same way (RFC 6188 §3).
 */
final class SrtpKdf {
    static final int LABEL_RTP_ENCRYPTION = 0x00;
    static final int LABEL_RTP_AUTH = 0x01;
    static final int LABEL_RTP_SALT = 0x02;
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    static final int LABEL_RTCP_AUTH = 0x04;
    static final int LABEL_RTCP_SALT = 0x05;

    private SrtpKdf() {
    }

    /** One session key or salt: {@link #all} with one label. */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        return all(masterKey, masterSalt, new int[] {label}, new int[] {length})[0];
    }

    /**
     * The session keys and salts of {@code labels}, {@code lengths[i]} bytes for {@code labels[i]}, under one AES key
     * schedule: the counter blocks x·2^16 + j of every label go through AES in one call (AES-CM is AES of the counter
     * blocks), where deriving label by label would expand the master key once per label.
     */
    static byte[][] all(byte[] masterKey, byte[] masterSalt, int[] labels, int[] lengths) {
        if (masterSalt.length != 14) {
            throw new IllegalArgumentException("master salt must be 14 bytes, got " + masterSalt.length);
        }
        int blocks = 0;
        for (int length : lengths) {
            blocks += blocks(length);
        }
        if (blocks > 0x10000) {
            throw new IllegalArgumentException("at most 2^16 keystream blocks in all");
        }
        byte[] counters = new byte[blocks * 16];
        int at = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < blocks(lengths[i]); j++, at += 16) {
                System.arraycopy(masterSalt, 0, counters, at, 14);
                counters[at + 7] ^= (byte) labels[i];
                counters[at + 14] = (byte) (j >>> 8);
                counters[at + 15] = (byte) j;
            }
        }
        byte[] stream;
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
            stream = aes.doFinal(counters);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES missing from the JDK", e);
        }
        byte[][] out = new byte[labels.length][];
        at = 0;
        for (int i = 0; i < labels.length; i++) {
            out[i] = Arrays.copyOfRange(stream, at, at + lengths[i]);
            at += blocks(lengths[i]) * 16;
        }
        Arrays.fill(stream, (byte) 0);
        return out;
    }

    /** AES blocks of keystream for {@code length} bytes. */
    private static int blocks(int length) {
        return (length + 15) / 16;
    }
}
