package org.kmsconf.mikey.payload;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/**
 * Bounds-checked big-endian reader over a slice of a byte array. Every read checks the remaining input before it
 * allocates or indexes, and a failure is always a {@link MikeyException} carrying the absolute offset into the
 * original message, never an index or allocation error.
 */
public final class WireReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    public WireReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    private WireReader(byte[] buf, int start, int end) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    /** Absolute offset of the next byte to be read. */
    public int offset() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    public boolean atEnd() {
        return pos == end;
    }

    private void need(int n, String what) {
        if (n < 0 || n > end - pos) {
            throw new MikeyException(ErrorCode.UNSPECIFIED,
                    "truncated " + what + ": need " + n + " bytes, " + (end - pos) + " left", pos);
        }
    }

    public int u8(String what) {
        need(1, what);
        return buf[pos++] & 0xff;
    }

    public int u16(String what) {
        need(2, what);
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    /** A 32-bit field as the int with the same bits. */
    public int u32(String what) {
        need(4, what);
        int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8)
                | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    /** A 64-bit field as the long with the same bits. */
    public long u64(String what) {
        long hi = u32(what) & 0xffffffffL;
        long lo = u32(what) & 0xffffffffL;
        return (hi << 32) | lo;
    }

    /** The next {@code n} bytes as a fresh array; the length is checked against the input first. */
    public byte[] bytes(int n, String what) {
        need(n, what);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** A reader over the next {@code n} bytes (offsets stay absolute); this reader skips past them. */
    public WireReader slice(int n, String what) {
        need(n, what);
        WireReader sub = new WireReader(buf, pos, pos + n);
        pos += n;
        return sub;
    }

    /** Fails unless every byte was consumed (MIKEY has no padding: trailing bytes are an error). */
    public void expectEnd(String what) {
        if (pos != end) {
            throw new MikeyException(ErrorCode.UNSPECIFIED, (end - pos) + " trailing bytes after " + what, pos);
        }
    }

    /** A parse failure at the current offset. */
    public MikeyException error(ErrorCode code, String message) {
        return new MikeyException(code, message, pos);
    }

    /** A parse failure at a given absolute offset. */
    public MikeyException errorAt(ErrorCode code, String message, int offset) {
        return new MikeyException(code, message, offset);
    }
}
