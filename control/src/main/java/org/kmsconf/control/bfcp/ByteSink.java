package org.kmsconf.control.bfcp;

import java.util.Arrays;

/** A growable byte array with big-endian writers and back-patching (for lengths known only at the end). */
final class ByteSink {
    private byte[] buf = new byte[64];
    private int size;

    int size() {
        return size;
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }

    ByteSink u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    ByteSink u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    ByteSink u32(long v) {
        return u16((int) (v >>> 16)).u16((int) v);
    }

    ByteSink bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    /** Zero octets up to the next multiple of 4 counted from {@code start}. */
    ByteSink padFrom(int start) {
        while (((size - start) & 3) != 0) {
            u8(0);
        }
        return this;
    }

    void setU8(int at, int v) {
        buf[at] = (byte) v;
    }

    void setU16(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
