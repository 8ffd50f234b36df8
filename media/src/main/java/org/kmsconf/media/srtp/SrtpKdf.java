package org.kmsconf.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
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

    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        if (masterSalt.length != 14) {
            throw new IllegalArgumentException("master salt must be 14 bytes, got " + masterSalt.length);
        }
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, 14);
        iv[7] ^= (byte) label;
        SecretKeySpec key = new SecretKeySpec(masterKey, "AES");
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            return aes.doFinal(new byte[length]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR missing from the JDK", e);
        }
    }
}
