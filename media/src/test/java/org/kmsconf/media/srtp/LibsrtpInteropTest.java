package org.kmsconf.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kmsconf.media.srtp.SrtpKnownAnswerTest.rtp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kmsconf.media.relay.MediaRelay;
import org.kmsconf.media.relay.RelayConference;
import org.kmsconf.media.relay.RelayLeg;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;

/**
 * Interop with libsrtp2 (Debian libsrtp2-dev): src/test/c/srtp_interop.c is compiled with gcc into target/ and
 * fed our packets (and the other way round), 20 SRTP packets across a ROC rollover (SEQ 65530 → 13) and 20 SRTCP
 * packets per policy; and a relay conference whose legs use three different policies, libsrtp protecting what
 * each participant sends and authenticating what the relay sends it, each under its own leg's policy. Fails, not
 * skips, when gcc or the libsrtp2 headers are missing.
 */
@Tag("external")
class LibsrtpInteropTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int SSRC = 0x5EC0BEEF;
    private static final int PACKETS = 20;
    private static Path helper;

    @BeforeAll
    static void compileHelper() throws Exception {
        Path src = Path.of("src/test/c/srtp_interop.c").toAbsolutePath();
        assertThat(src).as("C helper source").exists();
        Path out = Path.of("target/srtp_interop").toAbsolutePath();
        Files.createDirectories(out.getParent());
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-o", out.toString(), src.toString(), "-lsrtp2")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("gcc is not installed (needed for the libsrtp2 interop test): " + e.getMessage());
        }
        String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).as("gcc finished").isTrue();
        assertThat(gcc.exitValue()).as("gcc against libsrtp2 (install libsrtp2-dev):%n%s", log).isZero();
        helper = out;
    }

    /** Runs the helper over {@code lines} with the keys' negotiated policy (its RFC 4568 / RFC 6188 suite name). */
    static List<String> libsrtp(String mode, SrtpKeys keys, List<String> lines) throws Exception {
        Process proc = new ProcessBuilder(helper.toString(), mode, keys.policy().suiteName(),
                HEX.formatHex(keys.masterKey()), HEX.formatHex(keys.masterSalt()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        proc.getOutputStream().write(String.join("\n", lines).concat("\n").getBytes(StandardCharsets.US_ASCII));
        proc.getOutputStream().close();
        List<String> out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                .lines().toList();
        assertThat(proc.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).isZero();
        assertThat(out).hasSize(lines.size());
        return out;
    }

    private static List<byte[]> rtpAcrossRollover() {
        List<byte[]> pkts = new ArrayList<>();
        for (int n = 0, seq = 65530; n < PACKETS; n++, seq = (seq + 1) & 0xffff) {
            pkts.add(rtp(SSRC, seq, n * 160, 160));
        }
        return pkts;
    }

    private static List<byte[]> rtcpReports() {
        List<byte[]> pkts = new ArrayList<>();
        for (int n = 0; n < PACKETS; n++) {
            byte[] sr = SrtpContextTest.senderReport(SSRC);
            sr[20] = (byte) n;
            pkts.add(sr);
        }
        return pkts;
    }

    private static PacketBuffer buf(byte[] b) {
        return PacketBuffer.allocate(b.length).copyFrom(b, 0, b.length);
    }

    @ParameterizedTest
    @EnumSource(SrtpPolicy.class)
    void libsrtpUnprotectsWhatWeProtectAndOurSrtpIsByteIdenticalToItsOwn(SrtpPolicy policy) throws Exception {
        SrtpKeys keys = SrtpContextTest.keys(policy, 42);
        SrtpContext tx = SrtpContext.sender(keys);
        List<byte[]> plain = rtpAcrossRollover();
        List<String> ours = new ArrayList<>();
        List<String> plainLines = new ArrayList<>();
        for (byte[] p : plain) {
            PacketBuffer b = buf(p);
            assertThat(tx.protectRtp(b)).isEqualTo(SrtpStatus.OK);
            ours.add("rtp " + HEX.formatHex(b.toByteArray()));
            plainLines.add("rtp " + HEX.formatHex(p));
        }
        assertThat(tx.rolloverCounter(Ssrc.of(SSRC))).isEqualTo(1);
        List<String> unprotected = libsrtp("unprotect", keys, ours);
        List<String> theirs = libsrtp("protect", keys, plainLines);
        for (int i = 0; i < PACKETS; i++) {
            assertThat(unprotected.get(i)).as("packet %d", i).isEqualTo("ok " + HEX.formatHex(plain.get(i)));
            assertThat(theirs.get(i)).as("packet %d", i).isEqualTo("ok " + ours.get(i).substring(4));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpPolicy.class)
    void weUnprotectWhatLibsrtpProtects(SrtpPolicy policy) throws Exception {
        SrtpKeys keys = SrtpContextTest.keys(policy, 7);
        List<byte[]> plain = rtpAcrossRollover();
        List<String> lines = plain.stream().map(p -> "rtp " + HEX.formatHex(p)).toList();
        List<String> theirs = libsrtp("protect", keys, lines);
        SrtpContext rx = SrtpContext.receiver(keys);
        rx.addStream(Ssrc.of(SSRC), 0);
        for (int i = 0; i < PACKETS; i++) {
            assertThat(theirs.get(i)).startsWith("ok ");
            PacketBuffer b = buf(HEX.parseHex(theirs.get(i).substring(3)));
            assertThat(rx.unprotectRtp(b)).as("packet %d", i).isEqualTo(SrtpStatus.OK);
            assertThat(b.toByteArray()).isEqualTo(plain.get(i));
        }
        assertThat(rx.rolloverCounter(Ssrc.of(SSRC))).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SrtpPolicy.class)
    void srtcpBothWays(SrtpPolicy policy) throws Exception {
        SrtpKeys keys = SrtpContextTest.keys(policy, 9);
        List<byte[]> plain = rtcpReports();
        SrtpContext tx = SrtpContext.sender(keys);
        List<String> ours = new ArrayList<>();
        for (byte[] p : plain) {
            PacketBuffer b = buf(p);
            assertThat(tx.protectRtcp(b)).isEqualTo(SrtpStatus.OK);
            ours.add("rtcp " + HEX.formatHex(b.toByteArray()));
        }
        List<String> unprotected = libsrtp("unprotect", keys, ours);
        for (int i = 0; i < PACKETS; i++) {
            assertThat(unprotected.get(i)).as("SRTCP %d", i).isEqualTo("ok " + HEX.formatHex(plain.get(i)));
        }
        List<String> theirs = libsrtp("protect", keys,
                plain.stream().map(p -> "rtcp " + HEX.formatHex(p)).toList());
        SrtpContext rx = SrtpContext.receiver(keys);
        rx.addStream(Ssrc.of(SSRC), 0);
        for (int i = 0; i < PACKETS; i++) {
            PacketBuffer b = buf(HEX.parseHex(theirs.get(i).substring(3)));
            assertThat(b.length()).isEqualTo(plain.get(i).length + 4 + 10);
            assertThat(rx.unprotectRtcp(b)).as("SRTCP %d", i).isEqualTo(SrtpStatus.OK);
            assertThat(b.toByteArray()).isEqualTo(plain.get(i));
        }
    }

    /** RTP packets of one SSRC across a ROC rollover, and one sender report at the end. */
    private static List<byte[]> stream(Ssrc ssrc) {
        List<byte[]> pkts = new ArrayList<>();
        for (int n = 0, seq = 65530; n < PACKETS; n++, seq = (seq + 1) & 0xffff) {
            pkts.add(rtp(ssrc.bits(), seq, n * 160, 160));
        }
        pkts.add(SrtpContextTest.senderReport(ssrc.bits()));
        return pkts;
    }

    private static String line(byte[] p) {
        boolean rtcp = (p[1] & 0xff) >= 192 && (p[1] & 0xff) <= 223; // RFC 5761 §4
        return (rtcp ? "rtcp " : "rtp ") + HEX.formatHex(p);
    }

    @Test
    void aRelayConferenceWhoseLegsUseThreePoliciesInteroperatesWithLibsrtpOnEveryLeg() throws Exception {
        // Three participants whose SRTP is libsrtp, each leg negotiated with another policy. Each participant's
        // stream is protected by libsrtp under its own leg's policy, sent to the relay over loopback UDP, and what
        // the relay sends each participant is authenticated and decrypted by libsrtp under that participant's
        // policy: the 32-bit tags of the AES_CM_128_HMAC_SHA1_32 leg included, in both directions.
        SrtpPolicy[] policies = {SrtpPolicy.AES_CM_128_HMAC_SHA1_80, SrtpPolicy.AES_CM_128_HMAC_SHA1_32,
            SrtpPolicy.AES_256_CM_HMAC_SHA1_80};
        int n = policies.length;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (MediaRelay relay = MediaRelay.start(loopback)) {
            RelayConference conf = relay.conference("sip:focus1.conference1@operator");
            DatagramSocket[] sockets = new DatagramSocket[n];
            SrtpKeys[] up = new SrtpKeys[n];
            SrtpKeys[] down = new SrtpKeys[n];
            RelayLeg[] legs = new RelayLeg[n];
            Map<Ssrc, List<byte[]>> sent = new HashMap<>();
            try {
                for (int i = 0; i < n; i++) {
                    sockets[i] = new DatagramSocket(new InetSocketAddress(loopback, 0));
                    sockets[i].setSoTimeout(5000);
                    up[i] = SrtpContextTest.keys(policies[i], 100 + i);
                    down[i] = SrtpContextTest.keys(policies[i], 200 + i);
                    String uri = "sip:p" + i + "@operator";
                    legs[i] = conf.addLeg(uri, (InetSocketAddress) sockets[i].getLocalSocketAddress(),
                            conf.ssrcs().assign(uri), up[i], down[i]);
                }
                for (int i = 0; i < n; i++) {
                    List<byte[]> plain = stream(legs[i].ssrc());
                    sent.put(legs[i].ssrc(), plain);
                    List<String> wire = libsrtp("protect", up[i], plain.stream().map(LibsrtpInteropTest::line)
                            .toList());
                    for (String w : wire) {
                        assertThat(w).startsWith("ok ");
                        byte[] b = HEX.parseHex(w.substring(3));
                        sockets[i].send(new DatagramPacket(b, b.length, legs[i].localAddress()));
                        Thread.sleep(1);
                    }
                }
                for (int i = 0; i < n; i++) {
                    List<byte[]> received = new ArrayList<>();
                    for (int k = 0; k < (n - 1) * (PACKETS + 1); k++) {
                        DatagramPacket dp = new DatagramPacket(new byte[2048], 2048);
                        sockets[i].receive(dp);
                        received.add(Arrays.copyOf(dp.getData(), dp.getLength()));
                    }
                    List<String> opened = libsrtp("unprotect", down[i], received.stream()
                            .map(LibsrtpInteropTest::line).toList());
                    for (int k = 0; k < received.size(); k++) {
                        byte[] wire = received.get(k);
                        boolean rtcp = line(wire).startsWith("rtcp");
                        Ssrc from = Ssrc.of(readInt(wire, rtcp ? 4 : 8));
                        assertThat(from).isNotEqualTo(legs[i].ssrc()); // nothing echoed
                        assertThat(opened.get(k)).as("%s: packet %d from %s", policies[i], k, from)
                                .startsWith("ok ");
                        byte[] plain = HEX.parseHex(opened.get(k).substring(3));
                        assertThat(sent.get(from)).as("libsrtp decrypted what %s sent", from)
                                .anySatisfy(p -> assertThat(p).isEqualTo(plain));
                        if (!rtcp) {
                            // 12-byte header, 160-byte payload and this leg's tag
                            assertThat(wire).hasSize(12 + 160 + policies[i].srtpTagLength());
                        }
                    }
                    assertThat(legs[i].stats().authenticated()).isEqualTo(PACKETS + 1);
                    assertThat(legs[i].stats().rejected()).isZero();
                }
                // What a key-length guess would have done on the 16-byte-key, 32-bit-tag leg: libsrtp's packets
                // under 80-bit tags fail, every one.
                SrtpKeys guessed = new SrtpKeys(1, up[1].masterKey(), up[1].masterSalt(),
                        SrtpPolicy.AES_CM_128_HMAC_SHA1_80);
                SrtpContext rx = SrtpContext.receiver(guessed);
                rx.addStream(legs[1].ssrc(), 0);
                for (String w : libsrtp("protect", up[1], sent.get(legs[1].ssrc()).subList(0, PACKETS).stream()
                        .map(LibsrtpInteropTest::line).toList())) {
                    byte[] b = HEX.parseHex(w.substring(3));
                    assertThat(rx.unprotectRtp(PacketBuffer.allocate(b.length).copyFrom(b, 0, b.length)))
                            .isEqualTo(SrtpStatus.AUTH_FAIL);
                }
            } finally {
                for (DatagramSocket d : sockets) {
                    if (d != null) {
                        d.close();
                    }
                }
            }
        }
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }
}
