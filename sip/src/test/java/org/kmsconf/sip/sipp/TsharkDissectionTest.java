package org.kmsconf.sip.sipp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.focus.ServerConfig;
import org.kmsconf.sip.keys.MikeyKeyAgent;
import org.kmsconf.sip.stack.SipStacks;
import org.kmsconf.sip.ue.UeConfig;
import org.kmsconf.sip.ue.UserAgent;

/**
 * Our SIP traffic, captured on loopback, dissects as well-formed SIP with its SDP in Wireshark's own dissectors
 * (tshark; MIKEY dissector disabled: Wireshark 4.0's throws on MIKEY-TICKET, docs/wireshark.md). Tagged
 * {@code external}: needs tshark and the right to capture on {@code lo}; fails if either is missing.
 */
@Tag("external")
class TsharkDissectionTest {
    static final String FACTORY = "sip:factory.conference1@operator";

    @TempDir
    Path dir;

    @Test
    void conferenceCreationAndCallInDissectAsSipWithSdp() throws Exception {
        Path pcap = dir.resolve("sip.pcapng");
        try (KmsServer kms = KmsServer.start(KmsConfig.inMemory().build());
             KmsClient client = KmsClient.builder().address(kms.uri()).build()) {
            ProvisionedKey cs = kms.admin().addUser(NewUser.of("confsys", FACTORY));
            kms.admin().addFactory(FACTORY);
            ProvisionedKey a = kms.admin().addUser(NewUser.of("alice", "sip:alice@operator").canCreateConferences(true));
            Directory directory = new Directory();
            ConferenceServer server = ConferenceServer.start(ServerConfig.of(FACTORY, "127.0.0.1", 0,
                    directory, new MikeyKeyAgent(client, kms.kmsIdentity(), cs.keyId(), KeyMaterial.of(cs.psk()),
                    AlgorithmSet.SET_128, PartyContext.system())).withTimeout(Duration.ofSeconds(5)));
            UserAgent alice = UserAgent.start(UeConfig.of("sip:alice@operator", "127.0.0.1", 0,
                    new InetSocketAddress("127.0.0.1", 40994), directory, new MikeyKeyAgent(client, kms.kmsIdentity(),
                    a.keyId(), KeyMaterial.of(a.psk()), AlgorithmSet.SET_128, PartyContext.system()))
                    .withTimeout(Duration.ofSeconds(5)));
            try {
                server.register(directory, "udp");
                directory.put("sip:alice@operator", alice.contact("udp"));
                int port = server.contact("udp").port();
                Process tshark = startCapture(port, pcap);
                try {
                    String focus = alice.createConference(FACTORY, List.of()).focusUri();
                    alice.join(focus);
                    alice.leave(focus);
                    Thread.sleep(500);
                } finally {
                    tshark.destroy(); // SIGTERM: tshark closes the capture file cleanly
                    assertThat(tshark.waitFor(10, TimeUnit.SECONDS)).isTrue();
                }
            } finally {
                List<AutoCloseable> nodes = new ArrayList<>(List.of(alice, server));
                SipStacks.closeAll(nodes);
            }
        }

        List<String> sip = tshark("-r", pcap.toString(), "--disable-protocol", "mikey", "-Y", "sip", "-T", "fields",
                "-e", "sip.Method", "-e", "sip.Status-Code", "-e", "sdp.media.media", "-e", "sdp.session_attr", "-e", "sdp.media_attr");
        String all = String.join("\n", sip);
        assertThat(sip).as(all).anyMatch(l -> l.startsWith("INVITE\t"));
        assertThat(sip).as(all).anyMatch(l -> l.startsWith("ACK\t"));
        assertThat(sip).as(all).anyMatch(l -> l.startsWith("BYE\t"));
        assertThat(sip).as(all).anyMatch(l -> l.startsWith("\t200\t"));
        // the offers' and answers' SDP is dissected down to the m= line and its a=key-mgmt protocol id
        assertThat(sip).as(all).anyMatch(l -> l.startsWith("INVITE\t") && l.contains("audio")
                && l.contains("key-mgmt:mikey "));
        assertThat(sip).as(all).anyMatch(l -> l.startsWith("\t200\t") && l.contains("audio")
                && l.contains("key-mgmt:mikey "));
        List<String> malformed = tshark("-r", pcap.toString(), "--disable-protocol", "mikey", "-Y",
                "_ws.malformed || _ws.expert.severity >= error");
        assertThat(malformed).as("malformed or erroneous packets").isEmpty();
    }

    private static Process startCapture(int port, Path pcap) throws Exception {
        Process p = new ProcessBuilder(binary(), "-i", "lo", "-f", "udp port " + port, "-w", pcap.toString())
                .redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long end = System.currentTimeMillis() + 15_000;
        StringBuilder seen = new StringBuilder();
        String line;
        while (System.currentTimeMillis() < end && (line = r.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.contains("Capturing on")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (r.readLine() != null) {
                            // keep the pipe empty
                        }
                    } catch (java.io.IOException ignored) {
                        // tshark ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("tshark did not start capturing on lo (capture rights?):\n" + seen);
    }

    private static List<String> tshark(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tshark " + String.join(" ", args)).isZero();
        return lines;
    }

    private static String binary() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, "tshark"))) {
                return Path.of(d, "tshark").toString();
            }
        }
        throw new IllegalStateException("tshark is not installed (Debian package tshark; scripts/install-external.sh)");
    }
}
