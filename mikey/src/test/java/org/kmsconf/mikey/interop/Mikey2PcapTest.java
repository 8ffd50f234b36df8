package org.kmsconf.mikey.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/wireshark/mikey2pcap.py (the helper docs/wireshark.md uses to look at a transcript or an SDP a=key-mgmt
 * line in tshark) turns the committed transcripts into a capture the Lua dissector reads without complaint. Needs
 * python3 and tshark.
 */
@Tag("external")
class Mikey2PcapTest {

    @Test
    void bothCommittedTranscriptsBecomeTwelveMikeyTicketPackets(@TempDir Path tmp) throws IOException {
        Path root = ExternalTools.repoRoot();
        Path pcap = tmp.resolve("transcripts.pcap");
        Path dir = root.resolve("mikey/src/test/resources/org/kmsconf/mikey/exchange");
        ExternalTools.Run conv = ExternalTools.run(List.of(ExternalTools.python3(),
                root.resolve("tools/wireshark/mikey2pcap.py").toString(), pcap.toString(),
                dir.resolve("transcript-128.txt").toString(), dir.resolve("transcript-256.txt").toString()), 30);
        assertThat(conv.exitCode()).as(conv.both()).isZero();
        assertThat(conv.stderr()).contains("12 message(s)");

        ExternalTools.Run r = ExternalTools.run(List.of(ExternalTools.tshark(), "-r", pcap.toString(), "-X",
                "lua_script:" + root.resolve("tools/wireshark/mikey-ticket.lua"), "--disable-protocol", "mikey",
                "-T", "fields", "-e", "mikeyticket.hdr.data_type", "-e", "mikeyticket.hdr.prf_func", "-e",
                "mikeyticket.malformed"), 60);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<String> once = List.of("11\t", "13\t", "14\t", "16\t", "18\t", "15\t");
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSize(12);
        for (int i = 0; i < 12; i++) {
            // data type, PRF func 0 for the 128-bit transcript and 1 for the 256-bit one, no malformed expert
            assertThat(lines.get(i)).isEqualTo(once.get(i % 6) + (i < 6 ? "0" : "1") + "\t");
        }
    }
}
