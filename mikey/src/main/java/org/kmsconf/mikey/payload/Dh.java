package org.kmsconf.mikey.payload;

import java.util.Arrays;
import java.util.Objects;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/**
 * DH payload (RFC 3830 §6.4): {@code next | DH-Group(8) | DH-value | Reserv(4) KV(4) | KV data}, kept opaque.
 * The DH value length is implicit from the group: 0 OAKLEY 5 (192 bytes), 1 OAKLEY 1 (96), 2 OAKLEY 2 (128).
 */
public record Dh(int group, byte[] value, KeyValidity validity) implements Payload {

    /** DH value length in bytes for a group, or -1 if unknown. */
    public static int valueBytes(int group) {
        return switch (group) {
            case 0 -> 192;
            case 1 -> 96;
            case 2 -> 128;
            default -> -1;
        };
    }

    public Dh {
        Objects.requireNonNull(validity, "validity");
        value = value.clone();
        if (valueBytes(group) != value.length) {
            throw new IllegalArgumentException("DH value length " + value.length + " does not match group " + group);
        }
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public PayloadType type() {
        return PayloadType.DH;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(group).bytes(value).u8(validity.kvType());
        validity.encode(w);
    }

    static Dh decode(WireReader r) {
        int at = r.offset();
        int g = r.u8("DH group");
        int n = valueBytes(g);
        if (n < 0) {
            throw new MikeyException(ErrorCode.INVALID_DH, "unknown DH group " + g, at);
        }
        byte[] v = r.bytes(n, "DH value");
        int kvAt = r.offset();
        int b = r.u8("DH reserved/KV");
        if ((b & 0xf0) != 0) {
            throw new MikeyException(ErrorCode.UNSPECIFIED, "DH reserved bits not zero", kvAt);
        }
        return new Dh(g, v, KeyValidity.decode(r, b & 0x0f, kvAt));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dh x && group == x.group && Arrays.equals(value, x.value) && validity.equals(x.validity);
    }

    @Override
    public int hashCode() {
        return Objects.hash(group, Arrays.hashCode(value), validity);
    }

    @Override
    public String toString() {
        return "DH[group " + group + ", " + validity + "]";
    }
}
