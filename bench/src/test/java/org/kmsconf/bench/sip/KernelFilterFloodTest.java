package org.kmsconf.bench.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The SIP flood at the highest rate this machine sends (open loop, no --rate), with the packet filter the release
 * ships (dist/src/dist/config/nftables-sip.nft) loaded in front of the conference server: no legitimate join fails.
 * Without the filter the same flood overflows the server's UDP socket faster than its one reader empties it, the
 * kernel drops bob's datagrams with the flood's, and his joins wait for retransmissions (docs/performance.md "Flood");
 * the ruleset's own counter shows that the kernel, not the server, dropped most of the flood. Runs in a network namespace of its own
 * ({@code unshare -n}: its own loopback, its own rules; nothing on the host changes), as root, with nft, ip and
 * unshare installed by scripts/install-external.sh; it fails when they are missing.
 *
 * <p>Tagged "measurement", not "external". Until the stack's UDP socket handed each datagram on in an array of its own
 * length, the server's heap filled with 16 KiB read buffers under this flood and one run in three lost a join. After
 * that fix it passed 3 of 3 under Maven and four CI runs (39, 33, 13 and 3 joins), then failed the fifth with 2 joins
 * (p50 7.7 s): on two cores the flooding threads, bob's user agent and both servers share the CPU while the servers,
 * just started, still compile their code, so the joins in its 15 s depend on the machine's speed of the minute. Run
 * it with {@code ./mvnw -Pexternal verify -pl bench -Dsurefire.excludedGroups= -Dtest=KernelFilterFloodTest}.
 */
@Tag("measurement")
class KernelFilterFloodTest {
    private static final int SIP_PORT = 15060;

    @Test
    void withTheShippedPacketFilterAFloodAtFullSpeedRefusesNoJoin() throws Exception {
        Path rules = Path.of("..", "dist", "src", "dist", "config", "nftables-sip.nft").toAbsolutePath().normalize();
        assertThat(rules).exists();
        for (String tool : new String[] {"unshare", "nft", "ip"}) {
            assertThat(onPath(tool)).as(tool + " is missing: run scripts/install-external.sh as root").isTrue();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "ip link set lo up && nft -D SIP_PORT=" + SIP_PORT + " -f '" + rules + "' && '" + java
                + "' -cp '" + System.getProperty("java.class.path") + "' " + ConferenceFlood.class.getName()
                + " --seconds 15 --skew 2s --threads 4 --sip-port " + SIP_PORT
                + "; rc=$?; nft list table inet kmsconf_sip; exit $rc";
        Process p = new ProcessBuilder("unshare", "-n", "sh", "-c", script).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                p.getInputStream().transferTo(out);
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.start();
        boolean ended = p.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        reader.join(5000);
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        assertThat(ended).as("the flood stops by itself").isTrue();
        assertThat(p.exitValue()).as("ConferenceFlood's exit status (1: a legitimate join failed)").isZero();

        Matcher legit = Pattern.compile("legitimate: (\\d+) joins \\(join \\+ leave\\), (\\d+) failed").matcher(text);
        assertThat(legit.find()).as("ConferenceFlood's report").isTrue();
        assertThat(Integer.parseInt(legit.group(2))).isZero();
        assertThat(Integer.parseInt(legit.group(1))).isGreaterThanOrEqualTo(3);
        Matcher rate = Pattern.compile("flood: (\\d+) INVITEs and datagrams in [0-9.]+ s \\((\\d+)/s\\)").matcher(text);
        assertThat(rate.find()).isTrue();
        // the kernel, not the server, dropped most of the flood: the rule's counter
        Matcher dropped = Pattern.compile("saddr limit rate over .*? counter packets (\\d+)").matcher(text);
        assertThat(dropped.find()).as("the ruleset's counters").isTrue();
        assertThat(Long.parseLong(dropped.group(1))).isGreaterThan(Long.parseLong(rate.group(1)) / 2);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }
}
