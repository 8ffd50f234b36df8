package org.kmsconf.kms.store;

/**
 * A user's pre-shared key, opened from the store: the owner, the key id (the IDRpsk ID data, a byte string) and the
 * key. {@link #toString()} never shows the key; call {@link #destroy()} when done to zero it.
 */
public final class UserPsk extends IdentifiedKey {
    private final String userId;

    public UserPsk(String userId, byte[] keyId, byte[] key) {
        super(keyId, key);
        this.userId = userId;
    }

    public String userId() {
        return userId;
    }

    @Override
    public String toString() {
        return "UserPsk[user=" + userId + ", keyId=" + keyIdHex() + ", " + bits() + " bit, key redacted]";
    }
}
