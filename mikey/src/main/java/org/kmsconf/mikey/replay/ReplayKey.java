package org.kmsconf.mikey.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;

/**
 * What identifies one initiator message in a {@link ReplayCache} (RFC 3830 §5.4): the initiator's identity, the
 * CSB ID and the timestamp, plus optionally the message's MAC so that two distinct messages that happen to share
 * all three are told apart. The key is kept only as a SHA-256 digest of those fields, so every cache entry has the
 * same small size whatever the identity length.
 */
public final class ReplayKey {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    });

    private final byte[] digest;
    private final Instant timestamp;

    private ReplayKey(byte[] digest, Instant timestamp) {
        this.digest = digest;
        this.timestamp = timestamp;
    }

    /**
     * @param initiator the initiator's identity (IDRi ID data bytes)
     * @param csbId     the CSB ID of the message
     * @param timestamp the message's T, as an instant
     * @param mac       the message's MAC or V field, or null
     */
    public static ReplayKey of(byte[] initiator, int csbId, Instant timestamp, byte[] mac) {
        MessageDigest md = SHA256.get();
        md.update(intBytes(initiator.length));
        md.update(initiator);
        md.update(intBytes(csbId));
        md.update(longBytes(timestamp.getEpochSecond()));
        md.update(intBytes(timestamp.getNano()));
        if (mac != null) {
            md.update(intBytes(mac.length));
            md.update(mac);
        } else {
            md.update(intBytes(-1));
        }
        return new ReplayKey(md.digest(), timestamp);
    }

    /** Convenience for a textual identity (e.g. a SIP URI), UTF-8 encoded. */
    public static ReplayKey of(String initiator, int csbId, Instant timestamp, byte[] mac) {
        return of(initiator.getBytes(StandardCharsets.UTF_8), csbId, timestamp, mac);
    }

    /** A key read back from a durable record of {@link #digestBytes()} and {@link #timestamp()}. */
    public static ReplayKey fromDigest(byte[] digest, Instant timestamp) {
        if (digest.length != 32) {
            throw new IllegalArgumentException("a replay key digest has 32 bytes");
        }
        return new ReplayKey(digest.clone(), timestamp);
    }

    public Instant timestamp() {
        return timestamp;
    }

    /** A copy of the 32-byte digest (public message fields only: nothing secret). */
    public byte[] digestBytes() {
        return digest.clone();
    }

    /** The SHA-256 digest identifying the message (not a copy: package use only). */
    byte[] digest() {
        return digest;
    }

    /**
     * The digest as 64 lowercase hex digits: stable across processes and nodes (no per-process salt), so a store
     * shared by several receivers can key on it. It reveals nothing secret: its inputs are public message fields.
     */
    public String digestHex() {
        return java.util.HexFormat.of().formatHex(digest);
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplayKey k && Arrays.equals(digest, k.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "ReplayKey[t=" + timestamp + "]";
    }
}
