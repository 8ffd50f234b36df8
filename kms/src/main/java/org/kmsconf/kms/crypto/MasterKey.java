package org.kmsconf.kms.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The KMS master key: AES-256-GCM (JCE) sealing every key the KMS keeps at rest (user PSKs, ticket protection keys).
 * A sealed value is {@code base64(nonce(12) || ciphertext || tag(16))}; the associated data names what the value is
 * (e.g. {@code psk:<key id>}), so a sealed key copied into another row does not open there.
 * The key bytes never leave this object; {@link #toString()} is redacted.
 */
public final class MasterKey implements AutoCloseable {
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final SecretKeySpec spec;
    /** Cipher objects are not thread-safe but are costly to look up: one per thread, re-initialised per use. */
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable: " + e.getClass().getSimpleName(), e);
        }
    });

    private MasterKey(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("master key must be " + KEY_BYTES + " bytes (64 hex digits), got "
                    + key.length + " bytes");
        }
        this.key = key.clone();
        this.spec = new SecretKeySpec(this.key, "AES");
    }

    /** A master key from its raw bytes (copied). */
    public static MasterKey of(byte[] key) {
        return new MasterKey(key);
    }

    /** A fresh random master key. */
    public static MasterKey generate() {
        byte[] k = new byte[KEY_BYTES];
        RANDOM.nextBytes(k);
        try {
            return new MasterKey(k);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** Seals {@code plain} under this key, bound to {@code purpose} (the associated data). */
    public String seal(byte[] plain, String purpose) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = GCM.get();
            c.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plain);
            byte[] out = new byte[NONCE_BYTES + ct.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Opens a value sealed by {@link #seal}. Throws {@link WrongMasterKeyException} when the tag does not verify
     * (wrong master key, tampered value, or a value sealed for another purpose).
     */
    public byte[] open(String sealed, String purpose) {
        byte[] in;
        try {
            in = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new WrongMasterKeyException("sealed value for " + purpose + " is not base64");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new WrongMasterKeyException("sealed value for " + purpose + " is too short");
        }
        try {
            Cipher c = GCM.get();
            c.init(Cipher.DECRYPT_MODE, spec, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new WrongMasterKeyException("sealed value for " + purpose
                    + " does not open under this master key (wrong key or tampered store)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Zeroes the key bytes; the object is unusable afterwards. */
    @Override
    public void close() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }

    /** The master key does not open a sealed value: wrong key file/env var, or the store was tampered with. */
    public static final class WrongMasterKeyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public WrongMasterKeyException(String message) {
            super(message, null, false, false);
        }
    }
}
