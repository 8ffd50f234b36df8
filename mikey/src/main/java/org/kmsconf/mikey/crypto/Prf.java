package org.kmsconf.mikey.crypto;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MIKEY PRF (RFC 3830 §4.1.2) and its PRF-HMAC-SHA-256 variant (RFC 6043 §6.1).
 *
 * <pre>
 * P(s, label, m) = HMAC(s, A_1 || label) || ... || HMAC(s, A_m || label),  A_0 = label, A_i = HMAC(s, A_{i-1})
 * PRF(inkey, label) = P(s_1, label, m) XOR ... XOR P(s_n, label, m)
 * </pre>
 * where s_1..s_n are the 256-bit pieces of inkey (the last may be shorter) and m = ceil(outkey_len / block).
 * Note A_0 is the label itself (some implementations start from an empty A_0 or return A_1; RFC 3830 §4.1.2 says A_0 =
 * label).
 * One {@link Mac} per thread and function is reused and re-keyed with a public constant after each call, so nothing
 * secret is kept between calls.
 */
public final class Prf {
    /** Inkey is split into pieces of 256 bits (RFC 3830 §4.1.2), for both PRF functions. */
    static final int PIECE_BYTES = 32;

    private static final ThreadLocal<Mac> HMAC_SHA1 = ThreadLocal.withInitial(() -> newMac("HmacSHA1"));
    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> newMac("HmacSHA256"));

    private Prf() {
    }

    /** PRF(inkey, label) truncated to {@code outBytes} bytes. */
    public static byte[] derive(PrfFunc func, byte[] inkey, byte[] label, int outBytes) {
        return deriveAll(func, inkey, new byte[][] {label}, new int[] {outBytes})[0];
    }

    /**
     * Several PRF outputs from one inkey, {@code PRF(inkey, labels[j])} truncated to {@code outBytes[j]}: the same
     * values as separate {@link #derive} calls, but each 256-bit piece of the inkey keys the HMAC only once
     * (message keys need encr, auth and salt from one key).
     */
    public static byte[][] deriveAll(PrfFunc func, byte[] inkey, byte[][] labels, int[] outBytes) {
        if (inkey.length == 0) {
            throw new IllegalArgumentException("PRF inkey must not be empty");
        }
        if (labels.length != outBytes.length) {
            throw new IllegalArgumentException("one output length per label");
        }
        Mac mac = mac(func);
        int block = func.blockBytes();
        byte[][] out = new byte[labels.length][];
        int maxBlocks = 0;
        for (int j = 0; j < labels.length; j++) {
            if (outBytes[j] < 0) {
                throw new IllegalArgumentException("negative PRF output length");
            }
            int m = (outBytes[j] + block - 1) / block;
            out[j] = new byte[m * block];
            maxBlocks = Math.max(maxBlocks, m);
        }
        byte[] piece = new byte[maxBlocks * block];
        byte[] a = new byte[block];
        try {
            for (int off = 0; off < inkey.length; off += PIECE_BYTES) {
                int len = Math.min(PIECE_BYTES, inkey.length - off);
                mac.init(new SecretKeySpec(inkey, off, len, func.jceName()));
                for (int j = 0; j < labels.length; j++) {
                    int m = out[j].length / block;
                    if (m == 0) {
                        continue;
                    }
                    p(mac, labels[j], m, block, a, piece);
                    for (int i = 0; i < out[j].length; i++) {
                        out[j][i] ^= piece[i];
                    }
                }
            }
        } catch (InvalidKeyException | ShortBufferException e) {
            throw new IllegalStateException("HMAC failed", e);
        } finally {
            Scrub.mac(mac);
            Arrays.fill(piece, (byte) 0);
            Arrays.fill(a, (byte) 0);
        }
        for (int j = 0; j < out.length; j++) {
            if (out[j].length != outBytes[j]) {
                byte[] full = out[j];
                out[j] = Arrays.copyOf(full, outBytes[j]);
                Arrays.fill(full, (byte) 0);
            }
        }
        return out;
    }

    /** PRF on a {@link KeyMaterial} inkey, returning a new {@link KeyMaterial}. */
    public static KeyMaterial derive(PrfFunc func, KeyMaterial inkey, byte[] label, int outBytes) {
        return KeyMaterial.adopt(derive(func, inkey.raw(), label, outBytes));
    }

    /** P(s, label, m) into {@code out} (m blocks); {@code mac} is already keyed with s. */
    private static void p(Mac mac, byte[] label, int m, int block, byte[] a, byte[] out) throws ShortBufferException {
        // A_1 = HMAC(s, A_0) with A_0 = label
        mac.update(label);
        mac.doFinal(a, 0);
        for (int i = 0; i < m; i++) {
            mac.update(a);
            mac.update(label);
            mac.doFinal(out, i * block);
            if (i + 1 < m) {
                mac.update(a);
                mac.doFinal(a, 0); // A_{i+1} = HMAC(s, A_i)
            }
        }
    }

    private static Mac mac(PrfFunc func) {
        return switch (func) {
            case MIKEY_1 -> HMAC_SHA1.get();
            case HMAC_SHA_256 -> HMAC_SHA256.get();
        };
    }

    static Mac newMac(String name) {
        try {
            return Mac.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " missing from the JDK", e);
        }
    }
}
