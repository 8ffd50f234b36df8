package org.kmsconf.mikey.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the independent verifier {@code mikey/src/test/python/verify_transcript.py} (written from RFC 3830,
 * RFC 6043 and docs/profile.md alone, sharing no code with the Java side) over the committed exchange transcripts,
 * which
 * {@code exchange.ExchangeTranscriptTest} pins byte for byte: every MAC, KEMAC, fork and SRTP key must re-derive.
 * It must also refuse a transcript with one byte altered, so this test can fail. Needs a python3 with the
 * {@code cryptography} package (Debian: python3-cryptography).
 */
@Tag("external")
class TranscriptVerifierTest {
    /** Checks the verifier makes per transcript (REQUEST .. TRANSFER_RESP, ticket, forks, 2 SRTP sessions). */
    private static final int CHECKS_PER_TRANSCRIPT = 24;

    private static Path verifier() {
        return ExternalTools.repoRoot().resolve("mikey/src/test/python/verify_transcript.py");
    }

    private static Path transcript(String set) {
        return ExternalTools.repoRoot()
                .resolve("mikey/src/test/resources/org/kmsconf/mikey/exchange/transcript-" + set + ".txt");
    }

    private static ExternalTools.Run verify(Path... transcripts) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ExternalTools.pythonWithCryptography(), verifier().toString()));
        for (Path t : transcripts) {
            cmd.add(t.toString());
        }
        return ExternalTools.run(cmd, 60);
    }

    @Test
    void everyCheckOfBothCommittedTranscriptsPasses() throws IOException {
        ExternalTools.Run r = verify(transcript("128"), transcript("256"));
        assertThat(r.exitCode()).as("verifier exit code; output:%n%s", r.both()).isZero();
        assertThat(r.stderr()).isEmpty();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).filteredOn(l -> l.startsWith("== ")).hasSize(2);
        assertThat(lines).filteredOn(l -> !l.startsWith("== ")).allSatisfy(l -> assertThat(l).startsWith("ok   "));
        assertThat(lines).filteredOn(l -> l.startsWith("ok   ")).hasSize(2 * CHECKS_PER_TRANSCRIPT);
        assertThat(lines).contains("ok   TRANSFER_RESP V (MPKr')", "ok   RESOLVE_RESP TGK' = fork(TGK, IDRr, RANDRkms)",
                "ok   ticket V (TPK)", "ok   Initiator Data Vr (unforked MPKr, 0x04)", "ok   SRTP master key CS 2");
    }

    /**
     * The transcripts of a leg to a focus with floor control (docs/profile.md §6, kmsconf extension): the same checks,
     * plus the non-media crypto sessions in TRANSFER_RESP and K(0xB0), K(0xE0) re-derived from TGK'.
     */
    @Test
    void everyCheckOfTheFocusLegTranscriptsPassesIncludingTheNonMediaKeys() throws IOException {
        ExternalTools.Run r = verify(transcript("focus-128"), transcript("focus-256"));
        assertThat(r.exitCode()).as("verifier exit code; output:%n%s", r.both()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).filteredOn(l -> !l.startsWith("== ")).allSatisfy(l -> assertThat(l).startsWith("ok   "));
        assertThat(lines).filteredOn(l -> l.startsWith("ok   ")).hasSize(2 * (CHECKS_PER_TRANSCRIPT + 3));
        assertThat(lines).contains("ok   non-media key K(0xb0) from the forked TGK",
                "ok   non-media key K(0xe0) from the forked TGK",
                "ok   TRANSFER_INIT CS 1, 2, 0xb0, 0xe0 with the TGK's SPI");
    }

    /**
     * One byte altered (XOR 0x01) in a committed transcript: the verifier exits non-zero and names the failing
     * check. {@code line} is the transcript line's key, {@code index} the byte (negative: from the end).
     */
    @ParameterizedTest(name = "{0}: {1} byte {2}")
    @CsvSource({
            "128, REQUEST_INIT_PSK, -1, FAIL REQUEST_INIT V",
            "128, REQUEST_RESP, -1, FAIL REQUEST_RESP V",
            "128, TRANSFER_INIT, -1, FAIL TRANSFER_INIT V (MPKi)",
            "128, RESOLVE_RESP, -1, FAIL RESOLVE_RESP V",
            "128, TRANSFER_RESP, -1, FAIL TRANSFER_RESP V (MPKr')",
            "128, srtp 1, 0, FAIL SRTP master key CS 1",
            "256, TRANSFER_RESP, -1, FAIL TRANSFER_RESP V (MPKr')",
            "256, srtp 2, -1, FAIL SRTP master salt CS 2",
            "focus-128, key b0, 0, FAIL non-media key K(0xb0) from the forked TGK",
            "focus-256, key e0, -1, FAIL non-media key K(0xe0) from the forked TGK",
    })
    void aTranscriptWithOneByteAlteredFails(String set, String line, int index, String expectedFailure,
            @TempDir Path tmp) throws IOException {
        String original = Files.readString(transcript(set), StandardCharsets.UTF_8);
        String altered = alterOneByte(original, line, index);
        assertThat(altered).isNotEqualTo(original);
        Path copy = tmp.resolve("transcript-" + set + "-altered.txt");
        Files.writeString(copy, altered, StandardCharsets.UTF_8);

        ExternalTools.Run r = verify(copy);
        assertThat(r.exitCode()).as("verifier must refuse; output:%n%s", r.both()).isNotZero();
        assertThat(r.stdout().lines()).as("output:%n%s", r.both()).contains(expectedFailure);
    }

    /**
     * XORs 0x01 into one byte of the hex value on the line starting with {@code key}: the message's hex for a
     * message line, the master key (byte {@code index} >= 0) or master salt (from the end, {@code index} < 0) of a
     * {@code srtp N} line.
     */
    static String alterOneByte(String transcript, String key, int index) {
        StringBuilder out = new StringBuilder();
        boolean done = false;
        for (String l : transcript.split("\n", -1)) {
            if (!done && l.startsWith(key + " ")) {
                String[] parts = l.split(" ");
                int field = key.startsWith("srtp") ? (index >= 0 ? 2 : 3) : key.startsWith("key") ? 2 : 1;
                byte[] b = HexFormat.of().parseHex(parts[field]);
                int at = index >= 0 ? index : b.length + index;
                b[at] ^= 0x01;
                parts[field] = HexFormat.of().formatHex(b);
                l = String.join(" ", parts);
                done = true;
            }
            out.append(l).append('\n');
        }
        if (!done) {
            throw new IllegalArgumentException("no line " + key);
        }
        return out.substring(0, out.length() - 1);
    }
}
