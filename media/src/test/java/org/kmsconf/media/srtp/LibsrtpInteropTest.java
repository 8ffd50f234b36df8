package org.kmsconf.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kmsconf.media.srtp.SrtpKnownAnswerTest.rtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kmsconf.mikey.crypto.SrtpKeys;

/**
 * Interop with libsrtp2 (Debian libsrtp2-dev): src/test/c/srtp_interop.c is compiled with gcc into target/ and
 * fed our packets (and the other way round), 20 SRTP packets across a ROC rollover (SEQ 65530 → 13) and 20 SRTCP
 * packets per profile. Fails, not skips, when gcc or the libsrtp2 headers are missing.
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

    private static List<String> libsrtp(String mode, SrtpProfile profile, SrtpKeys keys, List<String> lines)
            throws Exception {
        String p = switch (profile) {
            case AES_CM_128_HMAC_SHA1_80 -> "80";
            case AES_CM_128_HMAC_SHA1_32 -> "32";
            case AES_256_CM_HMAC_SHA1_80 -> "256";
        };
        Process proc = new ProcessBuilder(helper.toString(), mode, p, HEX.formatHex(keys.masterKey()),
                HEX.formatHex(keys.masterSalt())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
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
    @EnumSource(SrtpProfile.class)
    void libsrtpUnprotectsWhatWeProtectAndOurSrtpIsByteIdenticalToItsOwn(SrtpProfile profile) throws Exception {
        SrtpKeys keys = SrtpContextTest.keys(profile, 42);
        SrtpContext tx = SrtpContext.sender(keys, profile);
        List<byte[]> plain = rtpAcrossRollover();
        List<String> ours = new ArrayList<>();
        List<String> plainLines = new ArrayList<>();
        for (byte[] p : plain) {
            PacketBuffer b = buf(p);
            assertThat(tx.protectRtp(b)).isEqualTo(SrtpStatus.OK);
            ours.add("rtp " + HEX.formatHex(b.toByteArray()));
            plainLines.add("rtp " + HEX.formatHex(p));
        }
        assertThat(tx.rolloverCounter(SSRC)).isEqualTo(1);
        List<String> unprotected = libsrtp("unprotect", profile, keys, ours);
        List<String> theirs = libsrtp("protect", profile, keys, plainLines);
        for (int i = 0; i < PACKETS; i++) {
            assertThat(unprotected.get(i)).as("packet %d", i).isEqualTo("ok " + HEX.formatHex(plain.get(i)));
            assertThat(theirs.get(i)).as("packet %d", i).isEqualTo("ok " + ours.get(i).substring(4));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void weUnprotectWhatLibsrtpProtects(SrtpProfile profile) throws Exception {
        SrtpKeys keys = SrtpContextTest.keys(profile, 7);
        List<byte[]> plain = rtpAcrossRollover();
        List<String> lines = plain.stream().map(p -> "rtp " + HEX.formatHex(p)).toList();
        List<String> theirs = libsrtp("protect", profile, keys, lines);
        SrtpContext rx = SrtpContext.receiver(keys, profile);
        rx.addStream(SSRC, 0);
        for (int i = 0; i < PACKETS; i++) {
            assertThat(theirs.get(i)).startsWith("ok ");
            PacketBuffer b = buf(HEX.parseHex(theirs.get(i).substring(3)));
            assertThat(rx.unprotectRtp(b)).as("packet %d", i).isEqualTo(SrtpStatus.OK);
            assertThat(b.toByteArray()).isEqualTo(plain.get(i));
        }
        assertThat(rx.rolloverCounter(SSRC)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtcpBothWays(SrtpProfile profile) throws Exception {
        SrtpKeys keys = SrtpContextTest.keys(profile, 9);
        List<byte[]> plain = rtcpReports();
        SrtpContext tx = SrtpContext.sender(keys, profile);
        List<String> ours = new ArrayList<>();
        for (byte[] p : plain) {
            PacketBuffer b = buf(p);
            assertThat(tx.protectRtcp(b)).isEqualTo(SrtpStatus.OK);
            ours.add("rtcp " + HEX.formatHex(b.toByteArray()));
        }
        List<String> unprotected = libsrtp("unprotect", profile, keys, ours);
        for (int i = 0; i < PACKETS; i++) {
            assertThat(unprotected.get(i)).as("SRTCP %d", i).isEqualTo("ok " + HEX.formatHex(plain.get(i)));
        }
        List<String> theirs = libsrtp("protect", profile, keys,
                plain.stream().map(p -> "rtcp " + HEX.formatHex(p)).toList());
        SrtpContext rx = SrtpContext.receiver(keys, profile);
        rx.addStream(SSRC, 0);
        for (int i = 0; i < PACKETS; i++) {
            PacketBuffer b = buf(HEX.parseHex(theirs.get(i).substring(3)));
            assertThat(b.length()).isEqualTo(plain.get(i).length + 4 + 10);
            assertThat(rx.unprotectRtcp(b)).as("SRTCP %d", i).isEqualTo(SrtpStatus.OK);
            assertThat(b.toByteArray()).isEqualTo(plain.get(i));
        }
    }
}
