package org.kmsconf.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The built release (tarball and image, from the package phase) and the processes a test runs from it. */
final class Release {
    private Release() { }

    static Path tarball() {
        return built("release.tarball");
    }

    static Path image() {
        return built("release.image");
    }

    private static Path built(String property) {
        String p = System.getProperty(property);
        if (p == null || !Files.isRegularFile(Path.of(p))) {
            throw new AssertionError(property + " is not built (" + p + "): run ./mvnw package first (this is a "
                    + "failsafe test of the dist module, after package)");
        }
        return Path.of(p);
    }

    /** Runs a command to its end (at most {@code seconds}); its exit code and output, stdout then stderr. */
    static Result run(Path cwd, int seconds, List<String> cmd) throws IOException, InterruptedException {
        Proc p = Proc.start(cwd, cmd);
        if (!p.process.waitFor(seconds, TimeUnit.SECONDS)) {
            p.process.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not end within " + seconds + " s:\n" + p.output());
        }
        p.drained();
        return new Result(p.process.exitValue(), p.output());
    }

    record Result(int code, String output) { }

    /** A running process with its stdout and stderr read into one buffer. */
    static final class Proc {
        final Process process;
        final String name;
        private final StringBuffer out = new StringBuffer();
        private final List<Thread> readers = new ArrayList<>();

        private Proc(Process process, String name) {
            this.process = process;
            this.name = name;
            read(process.getInputStream());
            read(process.getErrorStream());
        }

        static Proc start(Path cwd, List<String> cmd) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
            // the release's launcher finds Java through JAVA_HOME, as an operator's shell would give it
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().put("KMSCONF_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
            return new Proc(pb.start(), String.join(" ", cmd.subList(Math.min(1, cmd.size()),
                    Math.min(3, cmd.size()))));
        }

        private void read(java.io.InputStream in) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        out.append(l).append('\n');
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            t.setDaemon(true);
            t.start();
            readers.add(t);
        }

        void drained() throws InterruptedException {
            for (Thread t : readers) {
                t.join(5000);
            }
        }

        String output() {
            return out.toString();
        }

        /** Waits for a line containing {@code text}; fails with the output if the process ends or time runs out. */
        String await(String text, int seconds) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                String o = out.toString();
                int at = o.indexOf(text);
                if (at >= 0) {
                    int eol = o.indexOf('\n', at);
                    int bol = o.lastIndexOf('\n', at) + 1;
                    return o.substring(bol, eol < 0 ? o.length() : eol);
                }
                if (!process.isAlive()) {
                    drained();
                    break;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no '" + text + "' from " + name + " within " + seconds + " s; output:\n" + out);
        }

        /**
         * SIGTERM to the process and everything it started (a server run through unshare and chroot with another
         * user loses unshare's kill-on-exit when it changes user, so it is named here), SIGKILL to what is left.
         */
        void stop() throws InterruptedException {
            List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
            tree.forEach(ProcessHandle::destroy); // SIGTERM: the shutdown hooks say goodbye
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle h : tree) {
                try {
                    h.onExit().get(15, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    h.destroyForcibly();
                }
            }
        }
    }

    /** A port free for both TCP and UDP on loopback. */
    static int freePort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int p = s.getLocalPort();
                try (DatagramSocket d = new DatagramSocket(p, InetAddress.getLoopbackAddress())) {
                    return p;
                } catch (IOException busy) {
                    // another
                }
            }
        }
        throw new IOException("no free port");
    }

    static void requireRoot(String why) throws IOException, InterruptedException {
        Result id = run(Path.of("."), 10, List.of("id", "-u"));
        if (!id.output().strip().equals("0")) {
            throw new AssertionError("this test needs root (" + why + "); CI runs as root");
        }
    }
}
