package org.kmsconf.kms.store;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One of the KMS's ticket protection keys (TPK, RFC 6043 App. A.1): the key and its id (carried as the base ticket's
 * IDRpsk). {@link #toString()} never shows the key.
 */
public final class TicketKey {
    private final byte[] keyId;
    private final byte[] key;

    public TicketKey(byte[] keyId, byte[] key) {
        this.keyId = keyId.clone();
        this.key = key.clone();
    }

    public byte[] keyId() {
        return keyId.clone();
    }

    public String keyIdHex() {
        return HexFormat.of().formatHex(keyId);
    }

    /** A copy of the key; the caller zeroes it when done. */
    public byte[] key() {
        return key.clone();
    }

    public void destroy() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "TicketKey[id=" + keyIdHex() + ", key redacted]";
    }
}
