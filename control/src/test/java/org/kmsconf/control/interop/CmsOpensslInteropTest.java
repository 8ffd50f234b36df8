package org.kmsconf.control.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmsconf.control.cms.KekId;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.control.confinfo.ConferenceInfoXml;
import org.kmsconf.control.confinfo.Endpoint;
import org.kmsconf.control.confinfo.EndpointStatus;
import org.kmsconf.control.confinfo.JoiningMethod;
import org.kmsconf.control.confinfo.Media;
import org.kmsconf.control.confinfo.State;
import org.kmsconf.control.confinfo.User;
import org.kmsconf.control.event.NotifyBody;
import org.kmsconf.mikey.crypto.KeyMaterial;

/**
 * A NOTIFY body sealed by us decrypts with OpenSSL's CMS implementation given only the KEK and its kekid
 * ({@code openssl cms -decrypt -inform DER -secretkey ... -secretkeyid ...}), for both KEK lengths, and yields our
 * inner MIME entity byte for byte; with another KEK OpenSSL refuses it.
 */
@Tag("external")
class CmsOpensslInteropTest {
    static final String FOCUS = "sip:focus7.conference1@operator";

    static ConferenceInfo roster() {
        return new ConferenceInfo(FOCUS, State.FULL, 1, Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(new User("sip:bob@operator", State.FULL, Optional.empty(), List.of(), List.of(
                        new Endpoint("sip:bob@192.0.2.2", State.FULL, Optional.empty(),
                                Optional.of(EndpointStatus.CONNECTED), Optional.of(JoiningMethod.DIALED_IN),
                                Optional.empty(), List.of(Media.audio("1", 0x55667788L)))))));
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 32})
    void opensslCmsDecryptsOurBodyWithTheKek(int kekBytes, @TempDir Path dir) throws Exception {
        byte[] k = new byte[kekBytes];
        new SecureRandom().nextBytes(k);
        KeyMaterial kek = KeyMaterial.of(k);
        int csb = 0x0a0b0c0d;
        byte[] body = NotifyBody.seal(roster(), csb, kek, new SecureRandom());
        Path in = dir.resolve("notify.p7m");
        Files.write(in, body);
        Path out = dir.resolve("plain.bin");
        ExternalTool.Result r = ExternalTool.run(List.of("openssl", "cms", "-decrypt", "-binary", "-inform", "DER",
                "-in", in.toString(), "-out", out.toString(), "-secretkey", HexFormat.of().formatHex(k),
                "-secretkeyid", HexFormat.of().formatHex(new KekId(csb).bytes())), Duration.ofSeconds(30));
        assertThat(r.exitCode()).as("openssl cms: %s", r.stderr()).isZero();
        byte[] plain = Files.readAllBytes(out);
        byte[] expected = ("Content-Type: " + ConferenceInfo.MEDIA_TYPE + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(new String(plain, 0, expected.length, StandardCharsets.US_ASCII))
                .isEqualTo(new String(expected, StandardCharsets.US_ASCII));
        byte[] xml = java.util.Arrays.copyOfRange(plain, expected.length, plain.length);
        assertThat(ConferenceInfoXml.parse(xml)).isEqualTo(roster());

        byte[] other = new byte[kekBytes];
        new SecureRandom().nextBytes(other);
        ExternalTool.Result wrong = ExternalTool.run(List.of("openssl", "cms", "-decrypt", "-binary", "-inform",
                "DER", "-in", in.toString(), "-out", dir.resolve("x").toString(), "-secretkey",
                HexFormat.of().formatHex(other), "-secretkeyid", HexFormat.of().formatHex(new KekId(csb).bytes())),
                Duration.ofSeconds(30));
        assertThat(wrong.exitCode()).isNotZero();
    }
}
