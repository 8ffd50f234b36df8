package org.kmsconf.mikey.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.message.MikeyCodec;

/**
 * The Lua dissector on hostile input: altered and truncated copies of real messages (fixed seed) and the codec's
 * fuzz corpus. It must never raise a Lua error, and wherever our decoder accepts an altered message the dissector
 * must show exactly what our decoder reads (a differential check of the two decoders). Needs tshark.
 */
@Tag("external")
class LuaDissectorHostileInputTest {
    private static final int MUTANTS_PER_MESSAGE = 8;

    static List<byte[]> mutants(List<byte[]> seeds, long seed) {
        Random rnd = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (byte[] s : seeds) {
            for (int i = 0; i < MUTANTS_PER_MESSAGE; i++) {
                byte[] m = s.clone();
                switch (i % 4) {
                    case 0 -> m = Arrays.copyOf(m, 1 + rnd.nextInt(m.length - 1)); // truncated
                    case 1 -> m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8)); // one bit
                    case 2 -> { // a few bytes replaced
                        for (int k = 0; k < 3; k++) {
                            m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                        }
                    }
                    default -> { // bytes appended
                        byte[] tail = new byte[1 + rnd.nextInt(8)];
                        rnd.nextBytes(tail);
                        m = Arrays.copyOf(m, m.length + tail.length);
                        System.arraycopy(tail, 0, m, m.length - tail.length, tail.length);
                    }
                }
                out.add(m);
            }
        }
        return out;
    }

    @Test
    void alteredMessagesNeverBreakTheDissectorAndAcceptedOnesAreShownAsWeReadThem(@TempDir Path tmp)
            throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        InteropExchange.messages(AlgorithmSet.SET_128, 1).forEach(m -> seeds.add(m.bytes()));
        InteropExchange.messages(AlgorithmSet.SET_256, 2).forEach(m -> seeds.add(m.bytes()));
        seeds.add(InteropMessages.rfc3830Kitchen());
        seeds.add(InteropMessages.rfc6043Corners());
        List<byte[]> inputs = mutants(seeds, 6043);
        Path corpus = ExternalTools.repoRoot()
                .resolve("mikey/src/test/resources/org/kmsconf/mikey/fuzz/MikeyDecodeFuzzTestInputs");
        try (Stream<Path> files = Files.walk(corpus)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                byte[] b = Files.readAllBytes(f);
                if (b.length > 0 && b.length < 60000) {
                    inputs.add(b);
                }
            }
        }
        Pcap pcap = new Pcap();
        inputs.forEach(b -> pcap.udp(40000, 2269, b));
        Path file = tmp.resolve("hostile.pcap");
        pcap.write(file);
        ExternalTools.Run r = ExternalTools.run(List.of(ExternalTools.tshark(), "-r", file.toString(), "-X",
                "lua_script:" + ExternalTools.repoRoot().resolve("tools/wireshark/mikey-ticket.lua"),
                "--disable-protocol", "mikey", "-T", "pdml"), 120);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().lines().filter(l -> l.contains("Lua Error") || l.contains("_ws.lua.error")).toList())
                .as("Lua errors").isEmpty();
        List<Pdml.Packet> packets = Pdml.parse(r.stdout());
        assertThat(packets).hasSize(inputs.size());

        int accepted = 0;
        for (int i = 0; i < inputs.size(); i++) {
            Pdml.Packet p = packets.get(i);
            assertThat(p.all("mikeyticket")).as("packet %d dissected", i + 1).hasSize(1);
            List<String> expected;
            try {
                expected = DissectorFields.expected(MikeyCodec.decode(inputs.get(i)));
            } catch (MikeyException refusedByUs) {
                continue; // our decoder refuses it; the dissector only has to stay on its feet (checked above)
            } catch (DissectorFields.NotText binaryId) {
                continue; // an ID that is not UTF-8 any more: printed differently by each tool, nothing to compare
            }
            accepted++;
            List<String> shown = p.all("mikeyticket").get(0).fields().stream()
                    .filter(f -> !f.name().isEmpty() && !f.name().equals("_ws.lua.fake"))
                    .map(f -> f.name() + "=" + DissectorFields.normalize(f.name(), f.show())).toList();
            assertThat(shown).as("packet %d, accepted by our decoder", i + 1).containsExactlyElementsOf(expected);
        }
        System.out.printf("%d inputs, %d accepted by our decoder and shown identically%n", inputs.size(), accepted);
        assertThat(accepted).as("some altered messages are still valid MIKEY (e.g. a flipped MAC bit)")
                .isGreaterThan(20);
    }
}
