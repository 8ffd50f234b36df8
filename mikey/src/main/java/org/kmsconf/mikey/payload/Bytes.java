package org.kmsconf.mikey.payload;

import java.util.HexFormat;

/** Small helpers for the byte-array components of the payload records (copies, hex for toString). */
public final class Bytes {
    private static final HexFormat HEX = HexFormat.of();

    private Bytes() {
    }

    /** A defensive copy; null stays null. */
    public static byte[] copy(byte[] b) {
        return b == null ? null : b.clone();
    }

    public static String hex(byte[] b) {
        return b == null ? "null" : HEX.formatHex(b);
    }

    /** Hex of public wire bytes, shortened for log lines. */
    public static String shortHex(byte[] b) {
        if (b == null) {
            return "null";
        }
        return b.length <= 32 ? HEX.formatHex(b) : HEX.formatHex(b, 0, 32) + "...(" + b.length + " bytes)";
    }

    /** Concatenation of the given arrays. */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
