package org.kmsconf.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.app.Main;
import picocli.CommandLine;

/** The README's main command, run in-process with real sockets: every step must pass and the key log be well formed. */
class DemoCommandTest {

    @Test
    void demoOverTcpPassesEveryStepAndWritesTheKeyLog(@TempDir Path dir) throws Exception {
        Path keylog = dir.resolve("keys.log");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("demo", "--transport", "tcp", "--tone-seconds", "1", "--keylog", keylog.toString());

        String text = out.toString();
        assertThat(code).as(text + err).isZero();
        java.util.regex.Matcher created = java.util.regex.Pattern.compile("✓ flow 1: factory created "
                + "sip:(focus[0-9]{1,20})\\.conference1@operator, creator authenticated focus via IDRr").matcher(text);
        assertThat(created.find()).as(text).isTrue();
        String focus = created.group(1);
        for (String label : List.of("flow 1 refused", "flow 2", "flow 3", "flow 4", "flow 5", "intruder", "keys",
                "remove", "leave")) {
            assertThat(text).contains("✓ " + label + ": ");
        }
        assertThat(text).doesNotContain("✗ flow").doesNotContain("Exception").contains("✓ all 21 steps");
        // the attacker steps for the creation right, focus impersonation and unauthenticated media moves
        assertThat(text).containsPattern("✓ attack: mallory's ticket named focus[0-9]+\\.conference1 and bob, not the "
                + "factory: 403 before any KMS exchange")
                .contains("✗ alice  focus-uri-authenticated (sip:bob@operator)",
                        "✓ attack: an UPDATE forged inside bob's call, moving his media without a TRANSFER_INIT: 488");
        // the forged stream reaches the HMAC check (not the replay window) and does not disturb bob's own stream
        assertThat(text).contains("✓ media: 50 packets under bob's SSRC with a wrong key: all 50 failed authentication"
                + " at the focus, none relayed; bob's own stream still accepted")
                .contains("→ focus rejected 50 (50 failed authentication), relayed 0; bob's next 10 packets still"
                        + " accepted");
        assertThat(text).contains("mallory ──INVITE [TRANSFER_INIT]──▶ " + focus + ".conference1   TCP",
                focus + ".conference1 ──403 INVITE");
        assertThat(err.toString()).contains("FOR DEBUGGING ONLY");

        List<String> lines = Files.readAllLines(keylog);
        assertThat(lines).contains("PSK sip:factory.conference1@operator " + pskOf(lines, "sip:" + focus + ".conference1@operator"));
        for (String l : lines) {
            assertThat(l).matches("# .*|PSK sip:\\S+ [0-9a-f]{32}|SRTP sip:\\S+ sip:\\S+ 0x[0-9a-f]{8} [0-9a-f]{32} [0-9a-f]{28} "
                    + "AES_CM_128_HMAC_SHA1_80");
        }
        assertThat(lines).filteredOn(l -> l.startsWith("SRTP sip:bob@operator sip:" + focus + ".conference1@operator 0x"))
                .hasSize(1);
        // the focus keys every stream it relays to bob (alice's, carol's, dave's) with bob's leg key
        assertThat(lines).filteredOn(l -> l.startsWith("SRTP sip:" + focus + ".conference1@operator sip:bob@operator 0x")
                && !l.contains(" 0x00000000 ")).hasSize(3);
    }

    private static String pskOf(List<String> lines, String uri) {
        return lines.stream().filter(l -> l.startsWith("PSK " + uri + " ")).map(l -> l.split(" ")[2]).findFirst()
                .orElse("<none>");
    }
}
