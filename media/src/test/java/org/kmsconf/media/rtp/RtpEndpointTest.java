package org.kmsconf.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;

class RtpEndpointTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static SrtpKeys keys(int csId, int seed) {
        return keys(csId, seed, SrtpPolicy.DEFAULT);
    }

    private static SrtpKeys keys(int csId, int seed, SrtpPolicy policy) {
        byte[] k = new byte[policy.masterKeyLength()];
        byte[] s = new byte[policy.masterSaltLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (seed + i);
        }
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (seed * 3 + i);
        }
        return new SrtpKeys(csId, k, s, policy);
    }

    record Frame(Ssrc ssrc, int seq, int timestamp, byte[] payload) {
    }

    @Test
    void twoEndpointsExchangeAToneWithCorrectHeadersBothWays() {
        SrtpKeys cs1 = keys(1, 10);
        SrtpKeys cs2 = keys(2, 20);
        try (RtpEndpoint alice = RtpEndpoint.open(LOOPBACK, Ssrc.of(0xA11CE), cs1, cs2, Ssrc.of(0xB0B));
             RtpEndpoint bob = RtpEndpoint.open(LOOPBACK, Ssrc.of(0xB0B), cs2, cs1, Ssrc.of(0xA11CE))) {
            alice.remote(bob.localAddress());
            bob.remote(alice.localAddress());
            List<Frame> atBob = new CopyOnWriteArrayList<>();
            bob.onMedia((ssrc, seq, ts, pkt, off, len) ->
                    atBob.add(new Frame(ssrc, seq, ts, java.util.Arrays.copyOfRange(pkt, off, off + len))));
            alice.send(new ToneSource(1000, 0.8), 10, Duration.ofMillis(2));
            bob.send(new ToneSource(), 10, Duration.ofMillis(2));
            alice.sendSenderReport();
            assertThat(bob.awaitReceived(Ssrc.of(0xA11CE), 10, WAIT)).isTrue();
            assertThat(alice.awaitReceived(Ssrc.of(0xB0B), 10, WAIT)).isTrue();
            assertThat(atBob).hasSize(10);
            for (int i = 1; i < atBob.size(); i++) {
                assertThat(atBob.get(i).seq()).isEqualTo((atBob.get(i - 1).seq() + 1) & 0xffff);
                assertThat(atBob.get(i).timestamp() - atBob.get(i - 1).timestamp()).isEqualTo(160);
            }
            // The decrypted payload is the 1 kHz tone: 8 samples per period at 8 kHz.
            byte[] p = atBob.get(3).payload();
            assertThat(p).hasSize(160);
            for (int i = 0; i + 8 < 160; i++) {
                assertThat(Math.abs(G711.ulawToLinear(p[i]) - G711.ulawToLinear(p[i + 8]))).isLessThan(1200);
            }
            assertThat(G711.ulawToLinear(p[2]) - G711.ulawToLinear(p[6])).isGreaterThan(30000); // peak to trough
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (bob.stats().rtcpAuthenticated() < 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            RtpStats s = bob.stats();
            assertThat(s.rtcpAuthenticated()).isEqualTo(1);
            assertThat(s.rejected()).isZero();
            assertThat(alice.stats().sent()).isEqualTo(10);
            assertThat(alice.stats().rtcpSent()).isEqualTo(1);
        }
    }

    @Test
    void strictReceiverCountsAnUnexpectedSsrcAndAWrongKey() {
        SrtpKeys cs1 = keys(1, 10);
        SrtpKeys cs2 = keys(2, 20);
        try (RtpEndpoint bob = RtpEndpoint.open(LOOPBACK, Ssrc.of(0xB0B), cs2, cs1, Ssrc.of(0xA11CE));
             RtpEndpoint mallory = RtpEndpoint.open(LOOPBACK, Ssrc.of(0x0BAD), cs1, cs2);
             RtpEndpoint forger = RtpEndpoint.open(LOOPBACK, Ssrc.of(0xA11CE), keys(1, 99), cs2)) {
            mallory.remote(bob.localAddress());
            forger.remote(bob.localAddress());
            mallory.send(new ToneSource(), 3, Duration.ZERO);
            forger.send(new ToneSource(), 4, Duration.ZERO);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (bob.stats().rejected() < 7 && System.nanoTime() < deadline) { // counted once classified
                Thread.onSpinWait();
            }
            RtpStats s = bob.stats();
            assertThat(s.rejectedSsrc()).isEqualTo(3);
            assertThat(s.rejectedAuth()).isEqualTo(4);
            assertThat(s.authenticated()).isZero();
        }
    }

    @Test
    void wavFileFramesAreSentAsPcmu(@TempDir Path dir) throws IOException {
        Path wav = dir.resolve("tone.wav");
        short[] pcm = new short[800];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (i % 2 == 0 ? 8000 : -8000);
        }
        Files.write(wav, wav16(pcm));
        WavSource src = WavSource.open(wav);
        byte[] frame = new byte[160];
        src.nextFrame(frame, 0);
        assertThat(frame[0]).isEqualTo(G711.linearToUlaw(8000));
        assertThat(frame[1]).isEqualTo(G711.linearToUlaw(-8000));
        SrtpKeys cs1 = keys(1, 10, SrtpPolicy.AES_CM_128_HMAC_SHA1_32);
        SrtpKeys cs2 = keys(2, 20, SrtpPolicy.AES_CM_128_HMAC_SHA1_32);
        try (RtpEndpoint a = RtpEndpoint.open(LOOPBACK, Ssrc.of(1), cs1, cs2);
             RtpEndpoint b = RtpEndpoint.open(LOOPBACK, Ssrc.of(2), cs2, cs1)) {
            a.remote(b.localAddress());
            a.send(src, 12, Duration.ZERO); // 800 samples loop after 5 frames
            assertThat(b.awaitReceived(Ssrc.of(1), 12, WAIT)).isTrue();
        }
    }

    @Test
    void badWavIsRefusedWithAOneLineReason(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("junk.wav");
        Files.write(junk, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> WavSource.open(junk)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a RIFF/WAVE");
        Path stereo = dir.resolve("stereo.wav");
        byte[] w = wav16(new short[400]);
        w[22] = 2; // channels
        Files.write(stereo, w);
        assertThatThrownBy(() -> WavSource.open(stereo)).hasMessageContaining("mono 8000 Hz");
    }

    @Test
    void sendingWithoutARemoteIsAClearError() {
        try (RtpEndpoint a = RtpEndpoint.open(LOOPBACK, Ssrc.of(1), keys(1, 1), keys(2, 2))) {
            assertThatThrownBy(() -> a.sendFrame(new ToneSource())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no remote address");
        }
    }

    @Test
    void ulawRoundTripKeepsSignAndMagnitude() {
        for (int v = -32768; v < 32768; v += 97) {
            int back = G711.ulawToLinear(G711.linearToUlaw(v));
            assertThat(Math.abs(back - v)).as("sample %d", v).isLessThanOrEqualTo(Math.max(8, Math.abs(v) / 16));
        }
    }

    private static byte[] wav16(short[] pcm) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + 2 * pcm.length).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000)
                .putShort((short) 2).putShort((short) 16);
        b.putInt(0x61746164).putInt(2 * pcm.length);
        for (short s : pcm) {
            b.putShort(s);
        }
        return b.array();
    }

    @Test
    void bindsExactlyTheAddressItIsGivenAndReceivesThere() throws Exception {
        int port;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, LOOPBACK)) {
            port = probe.getLocalPort();
        }
        java.net.InetSocketAddress advertised = new java.net.InetSocketAddress(LOOPBACK, port);
        SrtpKeys cs1 = keys(1, 10);
        SrtpKeys cs2 = keys(2, 20);
        try (RtpEndpoint alice = RtpEndpoint.open(advertised, Ssrc.of(0xA11CE), cs1, cs2, Ssrc.of(0xB0B));
             RtpEndpoint bob = RtpEndpoint.open(LOOPBACK, Ssrc.of(0xB0B), cs2, cs1, Ssrc.of(0xA11CE))) {
            assertThat(alice.localAddress()).isEqualTo(advertised);
            bob.remote(advertised); // what alice's SDP named, not something learnt from her packets
            bob.send(new ToneSource(), 5, Duration.ofMillis(2));
            assertThat(alice.awaitReceived(Ssrc.of(0xB0B), 5, WAIT)).isTrue();
            // the port is taken: a second endpoint on it fails with the address in the message
            assertThatThrownBy(() -> RtpEndpoint.open(advertised, Ssrc.of(1), keys(1, 1), keys(2, 2)))
                    .hasMessageContaining(":" + port);
        }
    }

    @Test
    void aForgedStreamAheadOfTheRealOneFailsAuthenticationAndLeavesTheRealOneAlone() {
        SrtpKeys cs1 = keys(1, 10);
        SrtpKeys cs2 = keys(2, 20);
        SrtpKeys forged = keys(1, 99);
        try (RtpEndpoint alice = RtpEndpoint.open(LOOPBACK, Ssrc.of(0xA11CE), cs1, cs2, Ssrc.of(0xB0B));
             RtpEndpoint bob = RtpEndpoint.open(LOOPBACK, Ssrc.of(0xB0B), cs2, cs1, Ssrc.of(0xA11CE));
             RtpEndpoint mallory = RtpEndpoint.open(LOOPBACK, Ssrc.of(0xA11CE), forged, forged)) {
            alice.remote(bob.localAddress());
            mallory.remote(bob.localAddress());
            alice.send(new ToneSource(), 10, Duration.ofMillis(2));
            assertThat(bob.awaitReceived(Ssrc.of(0xA11CE), 10, WAIT)).isTrue();
            // fresh indices, far ahead of alice's: they pass the replay check and reach the HMAC (RFC 3711 §3.3)
            mallory.firstSequence(alice.nextSequence() + 1000);
            mallory.send(new ToneSource(), 20, Duration.ofMillis(2));
            long end = System.nanoTime() + WAIT.toNanos();
            while (bob.stats().rejectedAuth() < 20 && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            assertThat(bob.stats().rejectedAuth()).isEqualTo(20);
            assertThat(bob.stats().rejectedReplay()).isZero();
            assertThatThrownBy(() -> mallory.firstSequence(0)).isInstanceOf(IllegalStateException.class);
            // the failed packets did not move the replay window: alice's next packets are still accepted
            alice.send(new ToneSource(), 10, Duration.ofMillis(2));
            assertThat(bob.awaitReceived(Ssrc.of(0xA11CE), 20, WAIT)).isTrue();
            assertThat(bob.stats().rejected()).isEqualTo(20);
        }
    }
}
