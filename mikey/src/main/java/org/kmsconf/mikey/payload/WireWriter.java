package org.kmsconf.mikey.payload;

import java.io.ByteArrayOutputStream;

/** Big-endian writer; field widths are checked so that a value that does not fit is never silently truncated. */
public final class WireWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    public WireWriter u8(int v) {
        check(v, 0xff, "8-bit");
        out.write(v);
        return this;
    }

    public WireWriter u16(int v) {
        check(v, 0xffff, "16-bit");
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    /** Writes the 32 bits of {@code v} as they are (unsigned on the wire). */
    public WireWriter u32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public WireWriter u64(long v) {
        u32((int) (v >>> 32));
        return u32((int) v);
    }

    public WireWriter bytes(byte[] b) {
        out.write(b, 0, b.length);
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
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private static void check(int v, int max, String what) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException("value " + v + " does not fit a " + what + " field");
        }
    }
}
