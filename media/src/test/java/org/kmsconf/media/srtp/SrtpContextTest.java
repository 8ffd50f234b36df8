package org.kmsconf.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kmsconf.media.srtp.SrtpKnownAnswerTest.rtp;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;

class SrtpContextTest {
    private static final int SSRC = 0x01020304;

    static SrtpKeys keys(SrtpPolicy profile, int seed) {
        byte[] k = new byte[profile.masterKeyLength()];
        byte[] s = new byte[profile.masterSaltLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (seed * 31 + i);
        }
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (seed * 17 + i * 3);
        }
        return new SrtpKeys(1, k, s, profile);
    }

    private static PacketBuffer packet(byte[] bytes) {
        return PacketBuffer.allocate(bytes.length).copyFrom(bytes, 0, bytes.length);
    }

    @ParameterizedTest
    @EnumSource(SrtpPolicy.class)
    void roundTripAddsTheProfilesTagAndRestoresThePacket(SrtpPolicy profile) {
        SrtpContext tx = SrtpContext.sender(keys(profile, 1));
        SrtpContext rx = SrtpContext.receiver(keys(profile, 1));
        rx.addStream(Ssrc.of(SSRC), 0);
        for (int seq = 100; seq < 110; seq++) {
            byte[] plain = rtp(SSRC, seq, seq * 160, 160);
            PacketBuffer p = packet(plain);
            assertThat(tx.protectRtp(p)).isEqualTo(SrtpStatus.OK);
            assertThat(p.length()).isEqualTo(plain.length + profile.srtpTagLength());
            assertThat(Arrays.copyOfRange(p.array(), 12, plain.length))
                    .isNotEqualTo(Arrays.copyOfRange(plain, 12, plain.length));
            assertThat(rx.unprotectRtp(p)).isEqualTo(SrtpStatus.OK);
            assertThat(p.toByteArray()).isEqualTo(plain);
        }
    }

    @Test
    void replayedPacketIsRejected() {
        SrtpContext tx = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 1));
        SrtpContext rx = SrtpContext.receiver(keys(SrtpPolicy.DEFAULT, 1));
        rx.addStream(Ssrc.of(SSRC), 0);
        PacketBuffer p = packet(rtp(SSRC, 7, 0, 160));
        tx.protectRtp(p);
        byte[] wire = p.toByteArray();
        assertThat(rx.unprotectRtp(p)).isEqualTo(SrtpStatus.OK);
        assertThat(rx.unprotectRtp(packet(wire))).isEqualTo(SrtpStatus.REPLAY_FAIL);
    }

    @Test
    void packetOlderThanTheWindowIsRejectedAndReorderingInsideItIsAccepted() {
        SrtpContext tx = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 1));
        SrtpContext rx = SrtpContext.receiver(keys(SrtpPolicy.DEFAULT, 1));
        rx.addStream(Ssrc.of(SSRC), 0);
        byte[][] wire = new byte[300][];
        for (int seq = 0; seq < 300; seq++) {
            PacketBuffer p = packet(rtp(SSRC, seq, 0, 20));
            tx.protectRtp(p);
            wire[seq] = p.toByteArray();
        }
        assertThat(rx.unprotectRtp(packet(wire[299]))).isEqualTo(SrtpStatus.OK);
        assertThat(rx.unprotectRtp(packet(wire[299 - 100]))).isEqualTo(SrtpStatus.OK); // 100 behind: in the window
        assertThat(rx.unprotectRtp(packet(wire[299 - 127]))).isEqualTo(SrtpStatus.OK);
        assertThat(rx.unprotectRtp(packet(wire[299 - 128]))).isEqualTo(SrtpStatus.REPLAY_OLD);
        assertThat(rx.unprotectRtp(packet(wire[299 - 100]))).isEqualTo(SrtpStatus.REPLAY_FAIL);
    }

    @Test
    void everyFlippedBitIsRejected() {
        SrtpContext tx = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 1));
        PacketBuffer p = packet(rtp(SSRC, 1, 0, 40));
        tx.protectRtp(p);
        byte[] wire = p.toByteArray();
        for (int bit = 0; bit < wire.length * 8; bit++) {
            if (bit < 2 || bit / 8 >= 8 && bit / 8 < 12) {
                continue; // version bits make it invalid; SSRC bits make it unknown (checked below)
            }
            SrtpContext rx = SrtpContext.receiver(keys(SrtpPolicy.DEFAULT, 1));
            rx.addStream(Ssrc.of(SSRC), 0);
            byte[] bad = wire.clone();
            bad[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            assertThat(rx.unprotectRtp(packet(bad))).as("bit %d", bit)
                    .isIn(SrtpStatus.AUTH_FAIL, SrtpStatus.INVALID_PACKET);
        }
        SrtpContext rx = SrtpContext.receiver(keys(SrtpPolicy.DEFAULT, 1));
        rx.addStream(Ssrc.of(SSRC), 0);
        byte[] wrongSsrc = wire.clone();
        wrongSsrc[11] ^= 1;
        assertThat(rx.unprotectRtp(packet(wrongSsrc))).isEqualTo(SrtpStatus.UNKNOWN_SSRC);
        byte[] payloadBit = wire.clone();
        payloadBit[20] ^= 1;
        assertThat(rx.unprotectRtp(packet(payloadBit))).isEqualTo(SrtpStatus.AUTH_FAIL);
        assertThat(rx.unprotectRtp(packet(wire))).isEqualTo(SrtpStatus.OK);
    }

    @Test
    void wrongKeyIsRejected() {
        SrtpContext tx = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 1));
        SrtpContext rx = SrtpContext.receiver(keys(SrtpPolicy.DEFAULT, 2));
        rx.addStream(Ssrc.of(SSRC), 0);
        PacketBuffer p = packet(rtp(SSRC, 1, 0, 160));
        tx.protectRtp(p);
        assertThat(rx.unprotectRtp(p)).isEqualTo(SrtpStatus.AUTH_FAIL);
    }

    @Test
    void aPacketFailingAuthenticationDoesNotMoveTheReplayWindow() {
        // RFC 3711 §3.3 step 5: the replay list is updated only after the packet authenticated.
        SrtpContext tx = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 1));
        SrtpContext forger = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 2));
        SrtpContext rx = SrtpContext.receiver(keys(SrtpPolicy.DEFAULT, 1));
        rx.addStream(Ssrc.of(SSRC), 0);
        byte[][] wire = new byte[3][];
        for (int seq = 100; seq < 103; seq++) {
            PacketBuffer p = packet(rtp(SSRC, seq, 0, 160));
            tx.protectRtp(p);
            wire[seq - 100] = p.toByteArray();
        }
        assertThat(rx.unprotectRtp(packet(wire[0]))).isEqualTo(SrtpStatus.OK);
        // 1000 ahead: a fresh index that, had it been accepted, would push 101 and 102 out of the 128-packet window
        PacketBuffer ahead = packet(rtp(SSRC, 1100, 0, 160));
        forger.protectRtp(ahead);
        byte[] forged = ahead.toByteArray();
        assertThat(rx.unprotectRtp(packet(forged))).isEqualTo(SrtpStatus.AUTH_FAIL);
        assertThat(rx.unprotectRtp(packet(forged))).as("not recorded as seen either").isEqualTo(SrtpStatus.AUTH_FAIL);
        assertThat(rx.unprotectRtp(packet(wire[2]))).isEqualTo(SrtpStatus.OK);
        assertThat(rx.unprotectRtp(packet(wire[1]))).isEqualTo(SrtpStatus.OK);
    }

    @Test
    void rolloverCounterAdvancesAcrossSequenceWrap() {
        SrtpContext tx = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 1));
        SrtpContext rx = SrtpContext.receiver(keys(SrtpPolicy.DEFAULT, 1));
        rx.addStream(Ssrc.of(SSRC), 0);
        for (int n = 0, seq = 65530; n < 20; n++, seq = (seq + 1) & 0xffff) { // 65530 .. 65535, 0 .. 13
            byte[] plain = rtp(SSRC, seq, n * 160, 160);
            PacketBuffer p = packet(plain);
            assertThat(tx.protectRtp(p)).isEqualTo(SrtpStatus.OK);
            assertThat(rx.unprotectRtp(p)).as("seq %d", seq).isEqualTo(SrtpStatus.OK);
            assertThat(p.toByteArray()).isEqualTo(plain);
        }
        assertThat(tx.rolloverCounter(Ssrc.of(SSRC))).isEqualTo(1);
        assertThat(rx.rolloverCounter(Ssrc.of(SSRC))).isEqualTo(1);
    }

    @Test
    void aReceiverWithTheWrongRocFailsAuthentication() {
        SrtpContext tx = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 1));
        tx.addStream(Ssrc.of(SSRC), 5);
        SrtpContext rx = SrtpContext.receiver(keys(SrtpPolicy.DEFAULT, 1));
        rx.addStream(Ssrc.of(SSRC), 0);
        PacketBuffer p = packet(rtp(SSRC, 1, 0, 160));
        tx.protectRtp(p);
        assertThat(rx.unprotectRtp(p)).isEqualTo(SrtpStatus.AUTH_FAIL);
    }

    @ParameterizedTest
    @EnumSource(SrtpPolicy.class)
    void srtcpRoundTripReplayAndTamper(SrtpPolicy profile) {
        SrtpContext tx = SrtpContext.sender(keys(profile, 3));
        SrtpContext rx = SrtpContext.receiver(keys(profile, 3));
        rx.addStream(Ssrc.of(SSRC), 0);
        byte[] sr = senderReport(SSRC);
        PacketBuffer p = packet(sr);
        assertThat(tx.protectRtcp(p)).isEqualTo(SrtpStatus.OK);
        assertThat(p.length()).isEqualTo(sr.length + 4 + 10); // E||index, 80-bit tag for every profile
        byte[] wire = p.toByteArray();
        assertThat(wire[sr.length] & 0x80).isEqualTo(0x80); // E flag
        byte[] flipped = wire.clone();
        flipped[10] ^= 4;
        assertThat(rx.unprotectRtcp(packet(flipped))).isEqualTo(SrtpStatus.AUTH_FAIL);
        assertThat(rx.unprotectRtcp(p)).isEqualTo(SrtpStatus.OK);
        assertThat(p.toByteArray()).isEqualTo(sr);
        assertThat(rx.unprotectRtcp(packet(wire))).isEqualTo(SrtpStatus.REPLAY_FAIL);
        PacketBuffer next = packet(sr);
        tx.protectRtcp(next);
        assertThat(rx.unprotectRtcp(next)).isEqualTo(SrtpStatus.OK);
    }

    @Test
    void anySsrcReceiverKeepsOnlyStreamsThatAuthenticate() {
        SrtpContext good = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 1));
        SrtpContext forger = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 9));
        SrtpContext rx = SrtpContext.receiverForAnySsrc(keys(SrtpPolicy.DEFAULT, 1));
        PacketBuffer forged = packet(rtp(0x0BADBAD0, 1, 0, 160));
        forger.protectRtp(forged);
        assertThat(rx.unprotectRtp(forged)).isEqualTo(SrtpStatus.AUTH_FAIL);
        assertThat(rx.hasStream(Ssrc.of(0x0BADBAD0))).isFalse();
        for (int ssrc : new int[] {11, 22, 33}) {
            PacketBuffer p = packet(rtp(ssrc, 1, 0, 160));
            good.protectRtp(p);
            assertThat(rx.unprotectRtp(p)).isEqualTo(SrtpStatus.OK);
            assertThat(rx.hasStream(Ssrc.of(ssrc))).isTrue();
        }
    }

    @Test
    void authenticateOnlyLeavesTheSrtpBytesUntouched() {
        SrtpContext tx = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 1));
        SrtpContext relay = SrtpContext.receiver(keys(SrtpPolicy.DEFAULT, 1));
        relay.addStream(Ssrc.of(SSRC), 0);
        PacketBuffer p = packet(rtp(SSRC, 1, 0, 160));
        tx.protectRtp(p);
        byte[] wire = p.toByteArray();
        assertThat(relay.authenticateRtp(p)).isEqualTo(SrtpStatus.OK);
        assertThat(p.toByteArray()).isEqualTo(wire);
        assertThat(relay.authenticateRtp(p)).isEqualTo(SrtpStatus.REPLAY_FAIL);
    }

    @Test
    void headerWithCsrcsAndExtensionStaysInTheClear() {
        byte[] plain = new byte[12 + 8 + 8 + 50];
        System.arraycopy(rtp(SSRC, 9, 0, 0), 0, plain, 0, 12);
        plain[0] = (byte) 0x92; // V=2, X=1, CC=2
        plain[20] = (byte) 0xBE;
        plain[21] = (byte) 0xDE;
        plain[23] = 1; // one 32-bit word of extension
        Arrays.fill(plain, 28, plain.length, (byte) 0x55);
        SrtpContext tx = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 1));
        PacketBuffer p = packet(plain);
        assertThat(tx.protectRtp(p)).isEqualTo(SrtpStatus.OK);
        assertThat(Arrays.copyOfRange(p.array(), 0, 28)).isEqualTo(Arrays.copyOfRange(plain, 0, 28));
        assertThat(p.array()[28]).isNotEqualTo((byte) 0x55);
    }

    @Test
    void malformedPacketsAndMissingRoomAreReportedNotThrown() {
        SrtpContext tx = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 1));
        assertThat(tx.protectRtp(packet(new byte[5]))).isEqualTo(SrtpStatus.INVALID_PACKET);
        byte[] plain = rtp(SSRC, 1, 0, 10);
        assertThat(tx.protectRtp(new PacketBuffer(plain, 0, plain.length))).isEqualTo(SrtpStatus.NO_SPACE);
        SrtpContext rx = SrtpContext.receiver(keys(SrtpPolicy.DEFAULT, 1));
        assertThat(rx.unprotectRtp(packet(new byte[15]))).isEqualTo(SrtpStatus.INVALID_PACKET);
        assertThatThrownBy(() -> rx.protectRtp(packet(plain))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keysThatDoNotFitTheirPolicyCannotExist() {
        // a context is built from the keys' own policy, so a key/policy mismatch is refused where keys are made
        assertThatThrownBy(() -> new SrtpKeys(1, new byte[16], new byte[14], SrtpPolicy.AES_256_CM_HMAC_SHA1_80))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be 32 bytes");
        assertThatThrownBy(() -> new SrtpKeys(1, new byte[16], new byte[12], SrtpPolicy.AES_CM_128_HMAC_SHA1_32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be 14 bytes");
        assertThat(SrtpContext.sender(keys(SrtpPolicy.AES_256_CM_HMAC_SHA1_32, 1)).policy())
                .isEqualTo(SrtpPolicy.AES_256_CM_HMAC_SHA1_32);
    }

    @Test
    void closedContextRefusesWork() {
        SrtpContext tx = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 1));
        tx.close();
        assertThatThrownBy(() -> tx.protectRtp(packet(rtp(SSRC, 1, 0, 10)))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void senderNeverProtectsTheSameIndexTwice() {
        SrtpContext tx = SrtpContext.sender(keys(SrtpPolicy.DEFAULT, 1));
        assertThat(tx.protectRtp(packet(rtp(SSRC, 500, 0, 20)))).isEqualTo(SrtpStatus.OK);
        assertThat(tx.protectRtp(packet(rtp(SSRC, 498, 0, 20)))).isEqualTo(SrtpStatus.OK); // reordered: fine
        byte[] again = rtp(SSRC, 500, 0, 20);
        PacketBuffer p = packet(again);
        assertThat(tx.protectRtp(p)).isEqualTo(SrtpStatus.REPLAY_FAIL);
        assertThat(p.toByteArray()).as("left unencrypted and unsent").isEqualTo(again);
        assertThat(tx.protectRtp(packet(rtp(SSRC, 100, 0, 20)))).isEqualTo(SrtpStatus.REPLAY_OLD);
    }

    static byte[] senderReport(int ssrc) {
        byte[] b = new byte[28];
        b[0] = (byte) 0x80;
        b[1] = (byte) 200; // SR
        b[3] = 6; // length in 32-bit words minus one
        b[4] = (byte) (ssrc >>> 24);
        b[5] = (byte) (ssrc >>> 16);
        b[6] = (byte) (ssrc >>> 8);
        b[7] = (byte) ssrc;
        for (int i = 8; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }
}
