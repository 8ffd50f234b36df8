package org.kmsconf.mikey.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.message.GenericIdMap;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyCodecGoldenTestAccess;
import org.kmsconf.mikey.message.MikeyMessage;

/**
 * Our codec against a decoder we did not write: tshark 4.0's built-in MIKEY dissector (no Lua script) must read the
 * RFC 3830 D.3 I_MESSAGE and R_MESSAGE and the ONVIF message field for field as {@link MikeyCodec#decode} does, and
 * must agree with us on every header and every payload it knows in our own messages that it can parse (those
 * without a GENERIC-ID map, which it cannot walk: docs/wireshark.md) — the error messages in full. Needs tshark.
 */
@Tag("external")
class BuiltinMikeyDissectorTest {
    private static final List<String> LABELS = new ArrayList<>();
    private static final List<byte[]> SENT = new ArrayList<>();
    private static List<Pdml.Packet> packets;

    @BeforeAll
    static void dissect(@TempDir Path tmp) throws IOException {
        String tshark = ExternalTools.tshark();
        for (Map.Entry<String, byte[]> e : InteropMessages.rfcMessages().entrySet()) {
            LABELS.add(e.getKey());
            SENT.add(e.getValue());
        }
        for (InteropExchange.Message m : InteropExchange.messages(AlgorithmSet.SET_128, 1)) {
            MikeyMessage decoded = MikeyCodec.decode(m.bytes());
            if (!(decoded.header().csIdMap() instanceof GenericIdMap g && g.csCount() > 0)) {
                LABELS.add(m.label());
                SENT.add(m.bytes());
            }
        }
        Pcap pcap = new Pcap();
        SENT.forEach(b -> pcap.udp(40000, 2269, b));
        Path file = tmp.resolve("mikey.pcap");
        pcap.write(file);
        ExternalTools.Run r = ExternalTools.run(List.of(tshark, "-r", file.toString(), "-T", "pdml"), 60);
        assertThat(r.exitCode()).as("tshark exit code; stderr:%n%s", r.stderr()).isZero();
        packets = Pdml.parse(r.stdout());
        assertThat(packets).hasSize(SENT.size());
    }

    private static List<String> shown(int i, boolean all) {
        List<Pdml.Proto> mikey = packets.get(i).all("mikey");
        assertThat(mikey).as("%s is dissected by tshark's mikey", LABELS.get(i)).hasSize(1);
        List<String> out = new ArrayList<>();
        for (Pdml.Field f : mikey.get(0).fields()) {
            if (BuiltinMikeyFields.known(f.name())) {
                out.add(f.name() + "=" + BuiltinMikeyFields.normalize(f.name(), f.show()));
            } else if (all && f.name().startsWith("mikey")) {
                throw new AssertionError(LABELS.get(i) + ": tshark shows a field this test does not compare: "
                        + f.name() + "=" + f.show());
            }
        }
        return out;
    }

    @Test
    void theD3MessagesAreTheGoldenTestsOnes() {
        assertThat(HexFormat.of().formatHex(InteropMessages.rfcMessages().get("D3_I_MESSAGE")))
                .isEqualToIgnoringWhitespace(MikeyCodecGoldenTestAccess.d3().toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void rfc3830AndOnvifMessagesAreReadFieldForFieldAsOurCodecReadsThem() {
        for (String name : List.of("D3_I_MESSAGE", "D3_R_MESSAGE", "ONVIF_E1")) {
            int i = LABELS.indexOf(name);
            MikeyMessage m = MikeyCodec.decode(SENT.get(i));
            assertThat(shown(i, true)).as(name).containsExactlyElementsOf(BuiltinMikeyFields.expected(m));
            assertThat(packets.get(i).allFields()).as(name)
                    .noneSatisfy(f -> assertThat(f.name()).isIn("_ws.malformed", "_ws.expert"));
        }
        // The D.3 I_MESSAGE as a reader sees it: the SRTP-ID map, both identities, the AES-CM KEMAC and its MAC.
        Pdml.Proto d3 = packets.get(LABELS.indexOf("D3_I_MESSAGE")).all("mikey").get(0);
        assertThat(d3.shows("mikey.srtp_id.ssrc")).containsExactly("0xaabbccdd");
        assertThat(d3.shows("mikey.id.data")).containsExactly("sip:alice@example.com", "sip:bob@example.com");
        assertThat(d3.shows("mikey.kemac.mac")).containsExactly("69:5c:18:54:69:5a:a7:53:b6:84:d8:1c:7f:f3:88:a1:49:df:f2:4a");
    }

    @Test
    void ourHeadersAndTheRfc3830PayloadsOfOurMessagesAgreeWithTsharksMikey() {
        for (int i = 0; i < LABELS.size(); i++) {
            MikeyMessage m = MikeyCodec.decode(SENT.get(i));
            assertThat(shown(i, false)).as(LABELS.get(i)).containsExactlyElementsOf(BuiltinMikeyFields.expected(m));
        }
        int kmsError = LABELS.indexOf("KMS error (Invalid TPpar)");
        assertThat(kmsError).isNotNegative();
        Pdml.Proto err = packets.get(kmsError).all("mikey").get(0);
        assertThat(err.shows("mikey.type")).containsExactly("6");
        assertThat(err.shows("mikey.err.no")).containsExactly("15");
        assertThat(err.shows("mikey.v.auth_alg")).containsExactly("1");
        assertThat(packets.get(kmsError).allFields()).noneSatisfy(f -> assertThat(f.name()).isEqualTo("_ws.malformed"));
    }
}
