package org.kmsconf.app.mikey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.app.Main;
import picocli.CommandLine;

/** {@code kmsconf mikey decode} run through the real command line. */
class MikeyCommandTest {
    /** docs/test-vectors.md §D.3 I_MESSAGE (RFC 3830 PSK init, AES-CM-128 KEMAC). */
    static final String D3_HEX = "0100058012345678010000aabbccdd000000000b00e9a1b2c3000000000610101112131415161718"
            + "191a1b1c1d1e1f060100157369703a616c696365406578616d706c652e636f6d0a0100137369703a626f62406578616d706c65"
            + "2e636f6d010000002100010101011002010103011404010e0501000601000701010801010a01010b010a00010014eb20a9f9f0"
            + "53dac33f3f21c0c82514203f764dab01695c1854695aa753b684d81c7ff388a149dff24a";
    /** RFC 4567 §5.1 Initiator message (docs/test-vectors.md §B). */
    static final String RFC4567_B64 = "AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ6gAAAAAGEEoo2pee4hp2UaDX8ZE22YwKAAAPZG9uYWxkQGR1Y2suY29tAQAAAAAAAQAk0JKpgaVkDaawi9whVBtBt0KZ14ymNuu62+Nv3ozPLygwK/GbAV9iemnGUIZ19fWQUOSrzKTAv9zV";

    record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void decodesHexToANamedTree() {
        Run r = run("mikey", "decode", D3_HEX);
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Common header (HDR): version 1, data type PSK_INIT (0), next payload T (5), V 1, "
                + "PRF func MIKEY-1 (0), CSB ID 0x12345678")
                .contains("ID: next payload ID (6), ID type URI (1), length 21, data \"sip:alice@example.com\"")
                .contains("encr data eb20a9f9f053dac33f3f21c0c82514203f764dab (ciphertext)");
    }

    @Test
    void decodesAnSdpKeyMgmtLine() {
        Run r = run("mikey", "decode", "a=key-mgmt:mikey " + RFC4567_B64);
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("CSB ID 0xcd177e50").contains("data \"donald@duck.com\"")
                .contains("ID type NAI (0)");
    }

    @Test
    void jsonIsValidAndCarriesCodes() throws Exception {
        Run r = run("mikey", "decode", "--json", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(D3_HEX)));
        assertThat(r.code()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("kind").asText()).isEqualTo("mikey");
        assertThat(root.get("length").asInt()).isEqualTo(178);
        JsonNode hdr = root.get("children").get(0);
        assertThat(hdr.get("kind").asText()).isEqualTo("HDR");
        assertThat(hdr.get("dataType").get("name").asText()).isEqualTo("PSK_INIT");
        assertThat(hdr.get("csbId").asText()).isEqualTo("0x12345678");
        JsonNode kemac = root.get("children").get(root.get("children").size() - 1);
        assertThat(kemac.get("kind").asText()).isEqualTo("KEMAC");
        assertThat(kemac.get("encrAlg").get("value").asInt()).isEqualTo(1);
        assertThat(kemac.get("encrDataNote").asText()).isEqualTo("ciphertext");
    }

    @Test
    void readsStandardInputWithDash() {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(("v=0\r\na=key-mgmt:mikey " + RFC4567_B64 + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            Run r = run("mikey", "decode", "-");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("data type PSK_INIT (0)");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void readsBinaryAndTextFiles(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("m.mikey");
        Files.write(bin, HexFormat.of().parseHex(D3_HEX));
        Run r = run("mikey", "decode", "--file", bin.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("CSB ID 0x12345678");
        Path txt = dir.resolve("m.txt");
        Files.writeString(txt, D3_HEX + "\n");
        assertThat(run("mikey", "decode", "--file", txt.toString()).out()).contains("CSB ID 0x12345678");
    }

    @Test
    void truncatedMessageGivesOneLineAndExitCode2() {
        Run r = run("mikey", "decode", D3_HEX.substring(0, 60));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("kmsconf mikey decode: ").contains("offset");
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void inputThatIsNeitherHexNorBase64GivesOneLineAndExitCode2() {
        Run r = run("mikey", "decode", "not a message!");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("kmsconf mikey decode: ").contains("neither hex nor base64");
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void missingFileGivesOneLineAndExitCode2(@TempDir Path dir) {
        Run r = run("mikey", "decode", "--file", dir.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("kmsconf mikey decode: no such file: " + dir.resolve("nope"));
    }

    @Test
    void noInputIsAUsageError() {
        assertThat(run("mikey", "decode").code()).isEqualTo(2);
    }

    @Test
    void helpDescribesTheCommand() {
        Run r = run("mikey", "decode", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--json").contains("--file").contains("a=key-mgmt:mikey");
        assertThat(run("mikey", "--help").out()).contains("decode");
    }
}
