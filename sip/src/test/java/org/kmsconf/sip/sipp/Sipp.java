package org.kmsconf.sip.sipp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code sipp} binary (Debian package {@code sip-tester}) on one scenario of
 * {@code src/test/resources/sipp/} for exactly one call, and reports its exit code and the files it wrote.
 * sipp exits 0 only when every call followed the scenario (right responses in the right order, every
 * {@code check_it} regexp matched); 1 when a call failed; other codes on a fatal error or timeout.
 * A missing sipp is an error, never a skip: these tests are tagged {@code external} and must fail loudly.
 */
final class Sipp {

    /** What a run produced. */
    record Outcome(int exitCode, String screen, String log, String errors, String messages) {
        boolean callSucceeded() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "sipp exit " + exitCode + "\n--- screen\n" + screen + "\n--- log\n" + log + "\n--- errors\n" + errors
                    + "\n--- messages\n" + messages;
        }
    }

    private final Path workDir;
    private final String scenarioResource;
    private final Map<String, String> keys = new LinkedHashMap<>();
    private String transport = "u1";
    private String localIp = "127.0.0.1";
    private int calls = 1;
    private int ratePerSecond;

    Sipp(Path workDir, String scenarioResource) {
        this.workDir = workDir;
        this.scenarioResource = scenarioResource;
    }

    /** Sets a {@code [keyword]} of the scenario ({@code sipp -key name value}). */
    Sipp key(String name, String value) {
        keys.put(name, value);
        return this;
    }

    /** {@code udp} (one socket, sipp's {@code u1}) or {@code tcp} (sipp's {@code t1}). */
    Sipp transport(String t) {
        this.transport = t.equals("tcp") ? "t1" : "u1";
        return this;
    }

    /** The address sipp sends from (another loopback address is another source, as far as a server can tell). */
    Sipp from(String ip) {
        this.localIp = ip;
        return this;
    }

    /** Places {@code n} calls at {@code perSecond} calls a second ({@code sipp -m n -r perSecond}). */
    Sipp calls(int n, int perSecond) {
        this.calls = n;
        this.ratePerSecond = perSecond;
        return this;
    }

    static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "sipp");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("sipp is not installed (Debian package sip-tester; scripts/install-external.sh):"
                + " the external SIP tests cannot run");
    }

    /** Runs one call against {@code host:port}; gives up (and fails) after {@code timeoutSeconds}. */
    Outcome run(String host, int port, int timeoutSeconds) {
        try {
            Path scenario = workDir.resolve(Path.of(scenarioResource).getFileName());
            try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + scenarioResource)) {
                if (in == null) {
                    throw new IllegalStateException("no scenario " + scenarioResource + " on the test class path");
                }
                Files.copy(in, scenario, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Path log = workDir.resolve("sipp-" + System.nanoTime() + ".log");
            Path err = workDir.resolve("sipp-" + System.nanoTime() + ".err");
            Path msgs = workDir.resolve("sipp-" + System.nanoTime() + ".msg");
            List<String> cmd = new ArrayList<>(List.of(binary(), "-sf", scenario.toString(),
                    "-i", localIp, "-p", Integer.toString(freeUdpPort(localIp)), "-t", transport,
                    "-m", Integer.toString(calls), "-timeout", timeoutSeconds + "s", "-timeout_error",
                    "-recv_timeout", "5000",
                    "-nostdin", "-trace_logs", "-log_file", log.toString(), "-trace_err", "-error_file", err.toString(),
                    "-trace_msg", "-message_file", msgs.toString()));
            if (ratePerSecond > 0) {
                cmd.addAll(List.of("-r", Integer.toString(ratePerSecond), "-rp", "1000"));
            }
            keys.forEach((k, v) -> {
                cmd.add("-key");
                cmd.add(k);
                cmd.add(v);
            });
            cmd.add(host + ":" + port);
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] screen = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds + 10L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("sipp did not exit");
            }
            return new Outcome(p.exitValue(), new String(screen, StandardCharsets.UTF_8), readIfThere(log),
                    readIfThere(err), readIfThere(msgs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sipp ran", e);
        }
    }

    private static String readIfThere(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    static int freeUdpPort() throws IOException {
        return freeUdpPort("127.0.0.1");
    }

    static int freeUdpPort(String ip) throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(ip))) {
            return s.getLocalPort();
        }
    }
}
