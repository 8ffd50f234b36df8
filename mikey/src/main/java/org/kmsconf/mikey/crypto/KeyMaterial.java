package org.kmsconf.mikey.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Secret key bytes (PSK, MPK, MPKi, MPKr, TGK, TPK, derived encr/auth/salt keys) behind an opaque type.
 * The bytes are never printed ({@link #toString()} shows only the length), {@link #equals(Object)} compares in
 * constant time and {@link #destroy()} zeroes them. Copies made by the JCE for {@code Mac}/{@code Cipher} keys
 * are outside our reach; they die with the key schedule.
 */
public final class KeyMaterial {
    private final byte[] bytes;
    private volatile boolean destroyed;

    private KeyMaterial(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A key holding a copy of {@code bytes}; the caller may zero its array afterwards. */
    public static KeyMaterial of(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("key bytes must not be null");
        }
        return new KeyMaterial(bytes.clone());
    }

    /** A key holding a copy of {@code length} bytes of {@code buf} from {@code off}. */
    public static KeyMaterial of(byte[] buf, int off, int length) {
        return new KeyMaterial(Arrays.copyOfRange(buf, off, off + length));
    }

    /** Takes ownership of a freshly derived array without copying it (crypto package only). */
    static KeyMaterial adopt(byte[] bytes) {
        return new KeyMaterial(bytes);
    }

    /** An independent copy (destroying one leaves the other intact). */
    public KeyMaterial copy() {
        checkAlive();
        return new KeyMaterial(bytes.clone());
    }

    /** Length in bytes. */
    public int length() {
        return bytes.length;
    }

    /** A copy of the key bytes; the caller should zero it when done. */
    public byte[] bytes() {
        checkAlive();
        return bytes.clone();
    }

    /** The internal array, not copied (crypto package only: callers never keep or modify it). */
    byte[] raw() {
        checkAlive();
        return bytes;
    }

    /** Zeroes the bytes; any later use throws {@link IllegalStateException}. */
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("key material was destroyed");
        }
    }

    /** Constant-time comparison (for a given length); a destroyed key equals only itself. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof KeyMaterial other) || destroyed || other.destroyed) {
            return false;
        }
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    /** Depends on the length only, so hashing leaks nothing about the bytes. */
    @Override
    public int hashCode() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "KeyMaterial[" + (bytes.length * 8) + " bit, redacted" + (destroyed ? ", destroyed" : "") + "]";
    }
}
