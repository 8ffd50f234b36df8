package org.kmsconf.mikey.crypto;

import java.util.HexFormat;

/** Hex helpers for the test vectors (spaces and line breaks ignored). */
final class Hex {
    private Hex() {
    }

    static byte[] b(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    static String h(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] repeat(int value, int n) {
        byte[] r = new byte[n];
        java.util.Arrays.fill(r, (byte) value);
        return r;
    }

    static byte[] seq(int from, int n) {
        byte[] r = new byte[n];
        for (int i = 0; i < n; i++) {
            r[i] = (byte) (from + i);
        }
        return r;
    }
}
