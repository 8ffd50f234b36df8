package org.kmsconf.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;

/** Properties of the SRTP transforms over generated packets. */
class SrtpPropertiesTest {

    @Property(tries = 300)
    void arbitraryBytesNeverThrowAndNeverAuthenticate(@ForAll @Size(max = 300) byte[] junk,
                                                      @ForAll boolean rtcp) {
        SrtpContext rx = SrtpContext.receiverForAnySsrc(SrtpContextTest.keys(SrtpPolicy.DEFAULT, 1));
        PacketBuffer p = PacketBuffer.allocate(junk.length).copyFrom(junk, 0, junk.length);
        SrtpStatus st = rtcp ? rx.unprotectRtcp(p) : rx.unprotectRtp(p);
        assertThat(st).isNotEqualTo(SrtpStatus.OK);
        assertThat(p.length()).isEqualTo(junk.length);
    }

    @Provide
    Arbitrary<SrtpPolicy> profiles() {
        return Arbitraries.of(SrtpPolicy.class);
    }

    @Property(tries = 200)
    void anyWellFormedRtpPacketRoundTrips(@ForAll("profiles") SrtpPolicy profile,
                                          @ForAll @IntRange(max = 15) int csrcs,
                                          @ForAll @IntRange(max = 3) int extensionWords,
                                          @ForAll boolean withExtension,
                                          @ForAll @Size(max = 400) byte[] payload,
                                          @ForAll int ssrc, @ForAll @IntRange(max = 65535) int seq) {
        int hl = 12 + 4 * csrcs + (withExtension ? 4 + 4 * extensionWords : 0);
        byte[] rtp = new byte[hl + payload.length];
        rtp[0] = (byte) (0x80 | (withExtension ? 0x10 : 0) | csrcs);
        rtp[2] = (byte) (seq >>> 8);
        rtp[3] = (byte) seq;
        rtp[8] = (byte) (ssrc >>> 24);
        rtp[9] = (byte) (ssrc >>> 16);
        rtp[10] = (byte) (ssrc >>> 8);
        rtp[11] = (byte) ssrc;
        for (int i = 12; i < hl; i++) {
            rtp[i] = (byte) (i * 5);
        }
        if (withExtension) {
            int e = 12 + 4 * csrcs;
            rtp[e + 2] = 0;
            rtp[e + 3] = (byte) extensionWords;
        }
        System.arraycopy(payload, 0, rtp, hl, payload.length);
        SrtpContext tx = SrtpContext.sender(SrtpContextTest.keys(profile, 5));
        SrtpContext rx = SrtpContext.receiverForAnySsrc(SrtpContextTest.keys(profile, 5));
        PacketBuffer p = PacketBuffer.allocate(rtp.length).copyFrom(rtp, 0, rtp.length);
        assertThat(tx.protectRtp(p)).isEqualTo(SrtpStatus.OK);
        assertThat(p.length()).isEqualTo(rtp.length + profile.srtpTagLength());
        for (int i = 0; i < hl; i++) {
            assertThat(p.array()[i]).as("header byte %d stays clear", i).isEqualTo(rtp[i]);
        }
        assertThat(rx.unprotectRtp(p)).isEqualTo(SrtpStatus.OK);
        assertThat(p.toByteArray()).isEqualTo(rtp);
    }

    @Property(tries = 100)
    void anyRtcpPacketRoundTrips(@ForAll("profiles") SrtpPolicy profile, @ForAll @Size(min = 8, max = 400) byte[] body,
                                 @ForAll int ssrc) {
        body[0] = (byte) (0x80 | (body[0] & 0x3f));
        body[1] = (byte) 200;
        body[4] = (byte) (ssrc >>> 24);
        body[5] = (byte) (ssrc >>> 16);
        body[6] = (byte) (ssrc >>> 8);
        body[7] = (byte) ssrc;
        SrtpContext tx = SrtpContext.sender(SrtpContextTest.keys(profile, 6));
        SrtpContext rx = SrtpContext.receiverForAnySsrc(SrtpContextTest.keys(profile, 6));
        PacketBuffer p = PacketBuffer.allocate(body.length).copyFrom(body, 0, body.length);
        assertThat(tx.protectRtcp(p)).isEqualTo(SrtpStatus.OK);
        assertThat(rx.unprotectRtcp(p)).isEqualTo(SrtpStatus.OK);
        assertThat(p.toByteArray()).isEqualTo(body);
    }
}
