package org.kmsconf.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Which RTCP compound packets speak only for the leg's own SSRC (RFC 3550 §6.1, §6.4-§6.7). */
class RtcpCompoundTest {
    static final int ME = 0x11111111;
    static final int OTHER = 0x22222222;

    /** A packet header: V=2, count, type, length in 32-bit words minus one, then the body words. */
    static byte[] packet(int count, int type, int... words) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x80 | count);
        b.write(type);
        b.write(words.length >>> 8);
        b.write(words.length);
        for (int w : words) {
            b.write(w >>> 24);
            b.write(w >>> 16);
            b.write(w >>> 8);
            b.write(w);
        }
        return b.toByteArray();
    }

    static byte[] compound(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    static boolean onlyMe(byte[] c) {
        return RtcpCompound.onlyFrom(c, 0, c.length, ME);
    }

    static byte[] sr(int ssrc) {
        return packet(0, 200, ssrc, 1, 2, 3, 4, 5); // sender info, no report block
    }

    /** SDES with one chunk: SSRC, CNAME "ab", end of list, padded to 32 bits. */
    static byte[] sdes(int ssrc) {
        return packet(1, 202, ssrc, 0x01026162, 0x00000000);
    }

    @Test
    void aCompoundOfTheLegsOwnReportsPasses() {
        assertThat(onlyMe(compound(sr(ME), sdes(ME)))).isTrue();
        // a report block about another stream names that stream: that is allowed
        byte[] srWithBlock = packet(1, 200, ME, 1, 2, 3, 4, 5, OTHER, 0, 0, 0, 0, 0);
        assertThat(onlyMe(compound(srWithBlock, sdes(ME), packet(1, 203, ME)))).isTrue();
    }

    @Test
    void anotherSourceAnywhereInTheCompoundIsRefused() {
        assertThat(onlyMe(compound(sr(ME), sdes(OTHER)))).isFalse();
        assertThat(onlyMe(compound(sr(ME), sdes(ME), packet(1, 203, OTHER)))).isFalse(); // BYE for someone else
        assertThat(onlyMe(compound(sr(ME), packet(0, 201, OTHER)))).isFalse(); // an RR sent as someone else
        assertThat(onlyMe(compound(sr(ME), packet(2, 202, ME, 0x01026162, 0, OTHER, 0x01026162, 0)))).isFalse();
        assertThat(onlyMe(compound(sr(ME), packet(2, 203, ME, OTHER)))).isFalse();
    }

    @Test
    void malformedCompoundsAreRefused() {
        byte[] good = compound(sr(ME), sdes(ME));
        assertThat(RtcpCompound.onlyFrom(good, 0, good.length - 4, ME)).as("truncated").isFalse();
        byte[] badVersion = good.clone();
        badVersion[0] = 0x40;
        assertThat(onlyMe(badVersion)).isFalse();
        byte[] lying = good.clone();
        lying[3] = 100; // a length past the end
        assertThat(onlyMe(lying)).isFalse();
        assertThat(onlyMe(packet(1, 203))).as("BYE with a count and no source").isFalse();
        assertThat(onlyMe(new byte[4])).isFalse();
    }
}
