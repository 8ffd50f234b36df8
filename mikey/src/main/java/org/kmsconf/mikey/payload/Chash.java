package org.kmsconf.mikey.payload;

import java.util.Arrays;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/**
 * CHASH payload (RFC 3830 §6.8): {@code next | Hash func(8) | Hash}; the hash length is implicit:
 * 0 SHA-1 (20), 1 MD5 (16), 2 SHA-256 (32, RFC 6043).
 */
public record Chash(int hashFunc, byte[] hash) implements Payload {

    /** Hash length in bytes for a hash func value, or -1 if unknown. */
    public static int hashBytes(int hashFunc) {
        return switch (hashFunc) {
            case 0 -> 20;
            case 1 -> 16;
            case 2 -> 32;
            default -> -1;
        };
    }

    public Chash {
        hash = hash.clone();
        if (hashBytes(hashFunc) != hash.length) {
            throw new IllegalArgumentException("hash length " + hash.length + " does not match hash func " + hashFunc);
        }
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public PayloadType type() {
        return PayloadType.CHASH;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(hashFunc).bytes(hash);
    }

    static Chash decode(WireReader r) {
        int at = r.offset();
        int f = r.u8("hash func");
        int n = hashBytes(f);
        if (n < 0) {
            throw new MikeyException(ErrorCode.INVALID_HA, "unknown hash func " + f, at);
        }
        return new Chash(f, r.bytes(n, "CHASH"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Chash x && hashFunc == x.hashFunc && Arrays.equals(hash, x.hash);
    }

    @Override
    public int hashCode() {
        return 31 * hashFunc + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "CHASH[func " + hashFunc + ", " + Bytes.hex(hash) + "]";
    }
}
