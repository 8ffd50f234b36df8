package org.kmsconf.app.conference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.app.Main;
import picocli.CommandLine;

/**
 * The product as an operator runs it: {@code kmsconf kms serve} and {@code kmsconf conference serve} as separate
 * processes, provisioned with {@code kmsconf user add} / {@code conference-system add-factory}, and two
 * {@code kmsconf ue} user agents (run through the same picocli entry point, real sockets): alice creates a conference
 * (flow 1); bob calls in, talks and leaves (flow 3); alice joins (flow 2) and has the focus call carol out
 * (flow 4; carol's UE waits for calls and ends with hers).
 */
class ConferenceProcessesTest {
    static final String FACTORY = "sip:factory.conference1@operator";
    static final Pattern FOCUS = Pattern.compile("focus (sip:focus\\d+\\.conference1@operator)");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroy(); // SIGTERM: the shutdown hooks stop the stacks and the server
        }
        for (Process p : processes) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void creationAndCallInAcrossProcesses() throws Exception {
        Path data = dir.resolve("kms");
        String[] store = {"--data-dir", data.toString()};
        run("kms", "init", store[0], store[1]);
        user("confsys", FACTORY, "00112233445566778899aabbccddeeff", "c0c0c0c0c0c0c0c0", false);
        run("conference-system", "add-factory", FACTORY, store[0], store[1]);
        user("alice", "sip:alice@operator", "0123456789abcdef0123456789abcdef", "a1a1a1a1a1a1a1a1", true);
        user("bob", "sip:bob@operator", "fedcba9876543210fedcba9876543210", "b0b0b0b0b0b0b0b0", false);
        user("carol", "sip:carol@operator", "c0ffee00c0ffee00c0ffee00c0ffee00", "ca0ca0ca0ca0ca0c", false);

        int kmsPort = freePort();
        String kmsUrl = "http://127.0.0.1:" + kmsPort + "/kms";
        int confPort = freePort();
        int alicePort = freePort();
        int bobPort = freePort();
        int carolPort = freePort();
        Path directory = dir.resolve("directory.txt");
        Files.writeString(directory, String.join("\n",
                "# who listens where",
                FACTORY + " 127.0.0.1:" + confPort,
                "sip:*.conference1@operator 127.0.0.1:" + confPort,
                "sip:alice@operator 127.0.0.1:" + alicePort,
                "sip:bob@operator 127.0.0.1:" + bobPort,
                "sip:carol@operator 127.0.0.1:" + carolPort, ""));
        Path confsysPsk = psk("confsys", "00112233445566778899aabbccddeeff");
        // both servers start side by side (the conference server needs the KMS only when a call comes)
        Proc kms = start("kms", "serve", store[0], store[1], "--listen", "127.0.0.1:" + kmsPort);
        Path confData = dir.resolve("conference");
        Proc conference = start("conference", "serve", "-v", "--factory", FACTORY, "--key-id", "c0c0c0c0c0c0c0c0",
                "--psk-file", confsysPsk.toString(), "--kms", kmsUrl, "--sip-listen", "127.0.0.1:" + confPort,
                "--directory", directory.toString(), "--data-dir", confData.toString(), "--admin-listen",
                "127.0.0.1:0", "--floor-control");
        kms.await("listening on", 60);
        conference.await("conference server:", 60);

        // carol waits for calls (flow 4 will call her out)
        StringWriter carolOut = new StringWriter();
        String carolConfig = config("carol", "c0ffee00c0ffee00c0ffee00c0ffee00", "ca0ca0ca0ca0ca0c", kmsUrl, carolPort,
                directory);
        Thread carol = new Thread(() -> ueInto(carolOut, "--config", carolConfig, "--identity", "sip:carol@operator",
                "--stay", "40", "--until-calls-end"));
        carol.start();
        long until = System.currentTimeMillis() + 10_000;
        while (!carolOut.toString().contains("ue sip:carol@operator") && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }

        // flow 1: alice creates the conference, allowing bob and carol
        Path alicePsk = psk("alice", "0123456789abcdef0123456789abcdef");
        String[] alice = {"--identity", "sip:alice@operator", "--key-id", "a1a1a1a1a1a1a1a1", "--psk-file",
            alicePsk.toString(), "--kms", kmsUrl, "--sip-listen", "127.0.0.1:" + alicePort, "--directory",
            directory.toString()};
        String aliceOut = ue(concat(alice, "create", FACTORY, "sip:bob@operator", "sip:carol@operator"));
        Matcher m = FOCUS.matcher(aliceOut);
        assertThat(m.find()).as(aliceOut).isTrue();
        String focus = m.group(1);

        // flow 3: bob calls in with a script, stays a second with media flowing, leaves
        Path script = dir.resolve("bob.txt");
        Files.writeString(script, "# bob's part\njoin " + focus + "\nwait 1\nleave " + focus + "\n");
        String bobOut = ue("--config", config("bob", "fedcba9876543210fedcba9876543210", "b0b0b0b0b0b0b0b0",
                kmsUrl, bobPort, directory), "--identity", "sip:bob@operator", "--script", script.toString());
        assertThat(bobOut).contains("✓ join " + focus + ": in " + focus + ", SSRC 0x", "✓ leave " + focus);
        assertThat(bobOut).containsPattern("media with " + Pattern.quote(focus) + ": sent [1-9][0-9]* SRTP packets");

        // flows 2 and 4: alice joins and has the focus call carol out; her leaving ends the conference
        Path aliceScript = dir.resolve("alice.txt");
        Files.writeString(aliceScript, String.join("\n", "join " + focus, "invite " + focus + " sip:carol@operator",
                "wait 1", "leave " + focus, ""));
        aliceOut = ue(concat(alice, "--script", aliceScript.toString()));
        assertThat(aliceOut).contains("✓ invite " + focus + " sip:carol@operator: the focus called sip:carol@operator"
                + " out (NOTIFY SIP/2.0 100 Trying → SIP/2.0 200 OK)");
        carol.join(30_000);
        assertThat(carol.isAlive()).as("carol's UE did not end with her call").isFalse();
        assertThat(carolOut.toString()).containsPattern("media with " + Pattern.quote(focus)
                + ": sent [1-9][0-9]* SRTP packets, received [0-9]+, authenticated [1-9][0-9]* from 1 stream\\(s\\),"
                + " rejected 0");

        // the operator, through 'conference admin' (the server's admin API, found through its --data-dir): alice
        // creates another conference, bob joins and stays; the operator removes him; his call ends at once
        String focus2 = matchFocus(ue(concat(alice, "create", FACTORY, "sip:bob@operator")));
        StringWriter bobStays = new StringWriter();
        Thread bobThread = new Thread(() -> ueInto(bobStays, "--config", dir.resolve("bob.properties").toString(),
                "--identity", "sip:bob@operator", "--stay", "30", "--until-calls-end", "join", focus2));
        bobThread.start();
        String[] adminDir = {"--data-dir", confData.toString()};
        long deadline = System.currentTimeMillis() + 15_000;
        String shown = "";
        while (!shown.contains("sip:bob@operator  CONNECTED") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            shown = admin(0, "show", focus2, adminDir[0], adminDir[1]);
        }
        assertThat(shown).contains("owner sip:alice@operator", "sip:bob@operator  CONNECTED (DIALED_IN) SSRC 0x",
                "AES_CM_128_HMAC_SHA1_80 key fingerprint");
        assertThat(admin(0, "list", adminDir[0], adminDir[1])).contains(focus2 + "  owner sip:alice@operator");
        assertThat(admin(1, "remove", focus2, "sip:alice@operator", adminDir[0], adminDir[1], "--as", "ci"))
                .contains("target-not-owner");
        assertThat(admin(0, "remove", focus2, "sip:bob@operator", adminDir[0], adminDir[1], "--as", "ci"))
                .contains("✓ removed sip:bob@operator from " + focus2 + "; legs ended: sip:bob@operator");
        bobThread.join(10_000);
        assertThat(bobThread.isAlive()).as("bob's call did not end on the removal").isFalse();
        assertThat(admin(0, "audit", adminDir[0], adminDir[1])).contains("remove DONE  sip:bob@operator from "
                + focus2 + "  by token:ci", "remove REFUSED  sip:alice@operator from " + focus2 + "  by token:ci");
        assertThat(admin(0, "metrics", adminDir[0], adminDir[1]))
                .contains("conference_legs_ended_total{reason=\"removed\"} 1.0", "conference_creations_total 2.0");
        // without the token file nothing is done
        assertThat(admin(2, "list", "--data-dir", dir.resolve("nowhere").toString())).contains("no admin token file");

        // a moderated conference from the command line: alice creates it with --floor-control and joins with BFCP;
        // bob (plain) joins, asks for the floor (his UE adds BFCP by a re-INVITE first) and prints his roster and the
        // floor as JSON; alice, the chair, grants him the floor and sees him in her roster
        String focus3 = matchFocus(ue(concat(alice, "--floor-control", "create", FACTORY, "sip:bob@operator")));
        Path moderated = dir.resolve("alice-moderated.txt");
        Files.writeString(moderated, String.join("\n", "join " + focus3, "wait 2",
                "grant-floor " + focus3 + " sip:bob@operator", "wait 1", "leave " + focus3, ""));
        StringWriter aliceModerated = new StringWriter();
        Thread chair = new Thread(() -> ueInto(aliceModerated, concat(alice, "--floor-control", "--script",
                moderated.toString())));
        chair.start();
        deadline = System.currentTimeMillis() + 15_000;
        while (!aliceModerated.toString().contains("✓ join " + focus3) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        Path speaker = dir.resolve("bob-speaks.txt");
        Files.writeString(speaker, String.join("\n", "join " + focus3, "request-floor " + focus3, "wait 2",
                "leave " + focus3, ""));
        String bobJson = ue("--config", dir.resolve("bob.properties").toString(), "--identity", "sip:bob@operator",
                "--json", "--script", speaker.toString());
        chair.join(20_000);
        assertThat(bobJson).contains("✓ request-floor " + focus3 + ": floor request", "Pending")
                .contains("{\"event\":\"roster\",\"focus\":\"" + focus3 + "\",\"kind\":\"present\","
                        + "\"identity\":\"sip:alice@operator\"")
                .contains("{\"event\":\"floor\",\"focus\":\"" + focus3 + "\",\"holder\":\"sip:bob@operator\"");
        assertThat(aliceModerated.toString()).contains("floor control as BFCP user 1")
                .containsPattern("roster focus[0-9]+\\.conference1: bob joined \\(SSRC 0x[0-9a-f]{8}\\)")
                .contains("✓ grant-floor " + focus3 + " sip:bob@operator: the chair set sip:bob@operator's floor request")
                .contains("floor " + focus3.substring(4, focus3.indexOf('@')) + ": held by bob");

        // the conference server's own log shows the flows from its side
        String serverLog = conference.stderrSoFar();
        assertThat(serverLog).contains("factory.conference1 ⇄ KMS  RESOLVE as {" + focus.substring(4, focus.indexOf('@'))
                + "}: ok", "✓ " + focus.substring(4, focus.indexOf('@')) + "  caller-allowed (sip:bob@operator)");
        assertThat(serverLog).doesNotContain("Exception");
    }

    // ---------------------------------------------------------------- helpers

    private static String matchFocus(String out) {
        Matcher m = FOCUS.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    /** {@code kmsconf conference admin <args>}; its stdout and stderr together, after checking the exit code. */
    private static String admin(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        List<String> all = new ArrayList<>(List.of("conference", "admin"));
        all.addAll(List.of(args));
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        int code = cl.execute(all.toArray(String[]::new));
        assertThat(code).as(all + ": " + out).isEqualTo(expectedExit);
        return out.toString();
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private void user(String id, String uri, String pskHex, String keyIdHex, boolean creator) throws IOException {
        List<String> args = new ArrayList<>(List.of("user", "add", id, "--data-dir", dir.resolve("kms").toString(),
                "--identity", uri, "--psk-file", psk(id, pskHex).toString(), "--key-id-hex", keyIdHex));
        if (creator) {
            args.add("--can-create-conferences");
        }
        run(args.toArray(String[]::new));
    }

    private Path psk(String name, String hex) throws IOException {
        Path p = dir.resolve(name + ".psk");
        Files.writeString(p, "# " + name + "'s PSK with the KMS\n" + hex + "\n");
        return p;
    }

    private String config(String name, String pskHex, String keyId, String kmsUrl, int port, Path directory) {
        try {
            Path p = dir.resolve(name + ".properties");
            Files.writeString(p, String.join("\n", "key-id=" + keyId, "psk-file=" + psk(name, pskHex), "kms=" + kmsUrl,
                    "sip-listen=127.0.0.1:" + port, "directory=" + directory, ""));
            return p.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(args)).as(String.join(" ", args) + ": " + err).isZero();
    }

    private static String ue(String... args) {
        StringWriter out = new StringWriter();
        ueInto(out, args);
        return out.toString();
    }

    private static void ueInto(StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("ue"));
        all.addAll(List.of(args));
        String[] argv = all.toArray(String[]::new);
        CommandLine cl = Main.commandLine(argv);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(argv);
        assertThat(code).as(out + "\n" + err).isZero();
    }

    /** A child JVM running {@code kmsconf <args>} on this test's class path. */
    private Proc start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        processes.add(p);
        return new Proc(p);
    }

    /** A child process with its stdout and stderr drained into queues/buffers. */
    private static final class Proc {
        final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
        final StringBuffer stderr = new StringBuffer();
        final Process process;

        Proc(Process p) {
            this.process = p;
            drain(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)), stdout, null);
            drain(new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8)), null, stderr);
        }

        private static void drain(BufferedReader r, BlockingQueue<String> q, StringBuffer b) {
            Thread t = new Thread(() -> {
                try {
                    for (String l; (l = r.readLine()) != null; ) {
                        if (q != null) {
                            q.add(l);
                        } else {
                            b.append(l).append('\n');
                        }
                    }
                } catch (IOException ignored) {
                    // process ended
                }
            });
            t.setDaemon(true);
            t.start();
        }

        void await(String text, int seconds) throws InterruptedException {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            StringBuilder seen = new StringBuilder();
            while (System.nanoTime() < end) {
                String l = stdout.poll(200, TimeUnit.MILLISECONDS);
                if (l != null) {
                    seen.append(l).append('\n');
                    if (l.contains(text)) {
                        return;
                    }
                }
                if (!process.isAlive() && stdout.isEmpty()) {
                    break;
                }
            }
            throw new AssertionError("no '" + text + "' from the process; stdout:\n" + seen + "stderr:\n" + stderr);
        }

        String stderrSoFar() {
            return stderr.toString();
        }
    }

    private static int freePort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int p = s.getLocalPort();
                try (DatagramSocket d = new DatagramSocket(p, InetAddress.getLoopbackAddress())) {
                    return p;
                } catch (IOException busy) {
                    // try another
                }
            }
        }
        throw new IOException("no free port");
    }
}
