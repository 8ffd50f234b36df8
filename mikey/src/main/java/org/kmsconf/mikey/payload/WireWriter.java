package org.kmsconf.mikey.payload;

import java.util.Arrays;

/**
 * Big-endian writer into a growable byte array (not thread-safe: one writer per encoding, so no locking per byte as
 * with {@code ByteArrayOutputStream}); field widths are checked so that a value that does not fit is never silently
 * truncated.
 */
public final class WireWriter {
    private byte[] buf;
    private int size;

    public WireWriter() {
        this(256);
    }

    /** With room for {@code capacity} bytes before the first growth. */
    public WireWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        int need = size + more;
        if (need > buf.length) {
            byte[] old = buf;
            buf = Arrays.copyOf(old, Math.max(need, old.length << 1));
            Arrays.fill(old, 0, size, (byte) 0); // it may have held key data (KEMAC plaintext)
        }
    }

    public WireWriter u8(int v) {
        check(v, 0xff, "8-bit");
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    public WireWriter u16(int v) {
        check(v, 0xffff, "16-bit");
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    /** Writes the 32 bits of {@code v} as they are (unsigned on the wire). */
    public WireWriter u32(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    public WireWriter u64(long v) {
        u32((int) (v >>> 32));
        return u32((int) v);
    }

    public WireWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    /** A 16-bit length followed by the bytes. */
    public WireWriter lenBytes16(byte[] b) {
        return u16(b.length).bytes(b);
    }

    /** An 8-bit length followed by the bytes. */
    public WireWriter lenBytes8(byte[] b) {
        return u8(b.length).bytes(b);
    }

    public int size() {
        return size;
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** A copy of the bytes written so far, then zeroes this writer's buffer (for plaintext key data). */
    public byte[] toByteArrayAndWipe() {
        byte[] out = Arrays.copyOf(buf, size);
        Arrays.fill(buf, 0, size, (byte) 0);
        return out;
    }

    private static void check(int v, int max, String what) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException("value " + v + " does not fit a " + what + " field");
        }
    }
}
