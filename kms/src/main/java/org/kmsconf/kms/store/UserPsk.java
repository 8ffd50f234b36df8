package org.kmsconf.kms.store;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A user's pre-shared key, opened from the store: the owner, the key id (the IDRpsk ID data, a byte string) and the
 * key. {@link #toString()} never shows the key; call {@link #destroy()} when done to zero it.
 */
public final class UserPsk {
    private final String userId;
    private final byte[] keyId;
    private final byte[] key;

    public UserPsk(String userId, byte[] keyId, byte[] key) {
        this.userId = userId;
        this.keyId = keyId.clone();
        this.key = key.clone();
    }

    public String userId() {
        return userId;
    }

    /** The IDRpsk ID data naming this key. */
    public byte[] keyId() {
        return keyId.clone();
    }

    public String keyIdHex() {
        return HexFormat.of().formatHex(keyId);
    }

    /** A copy of the key bytes; the caller zeroes it when done. */
    public byte[] key() {
        return key.clone();
    }

    public int bits() {
        return key.length * 8;
    }

    public void destroy() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "UserPsk[user=" + userId + ", keyId=" + keyIdHex() + ", " + bits() + " bit, key redacted]";
    }
}
