package org.kmsconf.kms;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * What provisioning a user (or rotating its key) hands back once: the user, its public identities, and the new
 * pre-shared key with its key id (IDRpsk ID data). This is the only time the KMS shows the key; give it to the user's
 * device and {@link #destroy()} it. {@link #toString()} never shows the key.
 */
public final class ProvisionedKey {
    private final String userId;
    private final List<String> identities;
    private final byte[] keyId;
    private final byte[] psk;

    public ProvisionedKey(String userId, List<String> identities, byte[] keyId, byte[] psk) {
        this.userId = userId;
        this.identities = List.copyOf(identities);
        this.keyId = keyId.clone();
        this.psk = psk.clone();
    }

    public String userId() {
        return userId;
    }

    public List<String> identities() {
        return identities;
    }

    /** The IDRpsk ID data (ID type byte string) the user puts in its REQUEST_INIT_PSK / RESOLVE_INIT_PSK. */
    public byte[] keyId() {
        return keyId.clone();
    }

    public String keyIdHex() {
        return HexFormat.of().formatHex(keyId);
    }

    /** A copy of the pre-shared key. */
    public byte[] psk() {
        return psk.clone();
    }

    /** Key size in bits (128 or 256). */
    public int bits() {
        return psk.length * 8;
    }

    public String pskHex() {
        return HexFormat.of().formatHex(psk);
    }

    public void destroy() {
        Arrays.fill(psk, (byte) 0);
    }

    @Override
    public String toString() {
        return "ProvisionedKey[user=" + userId + ", keyId=" + keyIdHex() + ", " + psk.length * 8
                + " bit, key redacted]";
    }
}
