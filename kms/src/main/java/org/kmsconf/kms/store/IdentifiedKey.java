package org.kmsconf.kms.store;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A secret key opened from the store, with the id that names it on the wire (an IDRpsk's ID data). Copies go in and
 * out; {@link #destroy()} zeroes the held key; subclasses' {@code toString()} never show it.
 */
abstract class IdentifiedKey {
    private final byte[] keyId;
    private final byte[] key;

    IdentifiedKey(byte[] keyId, byte[] key) {
        this.keyId = keyId.clone();
        this.key = key.clone();
    }

    /** The id naming this key (IDRpsk ID data). */
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

    public int bits() {
        return key.length * 8;
    }

    public void destroy() {
        Arrays.fill(key, (byte) 0);
    }
}
