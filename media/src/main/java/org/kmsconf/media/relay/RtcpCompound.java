package org.kmsconf.media.relay;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads the sources an RTCP compound packet (RFC 3550 §6.1) speaks for, so the relay can refuse a compound whose
 * first report is the leg's own but whose later parts claim another participant's SSRC. Checked after SRTCP
 * decryption (the parts after the first 8 bytes are encrypted). The SSRC fields checked are the ones naming the
 * sender: SR/RR/APP/RTPFB/PSFB/XR sender SSRC (RFC 3550 §6.4, §6.7; RFC 4585 §6.1; RFC 3611 §2), every SDES chunk
 * (§6.5) and every BYE source (§6.6). Report blocks and feedback "media source" fields name other streams and are
 * left alone.
 */
final class RtcpCompound {
    private static final VarHandle BIG_ENDIAN_INT = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.BIG_ENDIAN);
    private static final int SR = 200;
    private static final int SDES = 202;
    private static final int BYE = 203;

    private RtcpCompound() { }

    /** True when the compound is well formed and every source it names as its sender is {@code ssrc}. */
    static boolean onlyFrom(byte[] b, int off, int len, int ssrc) {
        int end = off + len;
        int p = off;
        if (len < 8) {
            return false;
        }
        while (p < end) {
            if (end - p < 4 || (b[p] & 0xc0) != 0x80) {
                return false;
            }
            int count = b[p] & 0x1f;
            int pt = b[p + 1] & 0xff;
            int bytes = 4 * (((b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff)) + 1);
            if (bytes > end - p || pt < SR || pt > 223) {
                return false;
            }
            boolean ok = switch (pt) {
                case SDES -> sdesChunksFrom(b, off, p + 4, p + bytes, count, ssrc);
                case BYE -> byeSourcesFrom(b, p + 4, p + bytes, count, ssrc);
                default -> bytes >= 8 && readInt(b, p + 4) == ssrc;
            };
            if (!ok) {
                return false;
            }
            p += bytes;
        }
        return true;
    }

    /** SDES chunks from {@code p}: each an SSRC, items, and null octets up to the next 32-bit boundary. */
    private static boolean sdesChunksFrom(byte[] b, int base, int p, int end, int chunks, int ssrc) {
        for (int c = 0; c < chunks; c++) {
            if (end - p < 4 || readInt(b, p) != ssrc) {
                return false;
            }
            p += 4;
            while (true) {
                if (p >= end) {
                    return false;
                }
                if (b[p] == 0) { // end of the item list: skip to the next 32-bit boundary (§6.5)
                    p = base + ((p - base + 4) & ~3);
                    break;
                }
                if (end - p < 2) {
                    return false;
                }
                p += 2 + (b[p + 1] & 0xff);
            }
        }
        return p <= end;
    }

    private static boolean byeSourcesFrom(byte[] b, int p, int end, int sources, int ssrc) {
        if (sources == 0 || end - p < 4 * sources) {
            return false;
        }
        for (int i = 0; i < sources; i++) {
            if (readInt(b, p + 4 * i) != ssrc) {
                return false;
            }
        }
        return true;
    }

    private static int readInt(byte[] b, int i) {
        return (int) BIG_ENDIAN_INT.get(b, i);
    }
}
