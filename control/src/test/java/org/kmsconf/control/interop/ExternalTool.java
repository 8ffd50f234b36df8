package org.kmsconf.control.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A tool of the external profile run as a process: fails loudly when the tool is missing (never skips), captures
 * stdout and stderr as they come, and is destroyed on close.
 */
final class ExternalTool implements AutoCloseable {
    private final Process process;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private ExternalTool(Process p) {
        this.process = p;
        pump(p.getInputStream(), stdout, "stdout");
        pump(p.getErrorStream(), stderr, "stderr");
    }

    /** Starts {@code command}; an AssertionError names the tool and install-external.sh when it is missing. */
    static ExternalTool start(List<String> command) {
        try {
            return new ExternalTool(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is needed by this external test and could not be run ("
                    + e.getMessage() + "): run scripts/install-external.sh", e);
        }
    }

    /** Runs to completion (or kills after the timeout) and returns the exit code. */
    static Result run(List<String> command, Duration timeout) throws InterruptedException {
        try (ExternalTool t = start(command)) {
            if (!t.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(command + " did not finish within " + timeout);
            }
            t.process.getInputStream().transferTo(OutputStream.nullOutputStream());
            Thread.sleep(50);
            return new Result(t.process.exitValue(), t.stdoutText(), t.stderrText());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    private static void pump(InputStream in, ByteArrayOutputStream to, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (to) {
                        to.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // process gone
            }
        }, "tool-" + name);
        t.setDaemon(true);
        t.start();
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    byte[] stdoutBytes() {
        synchronized (stdout) {
            return stdout.toByteArray();
        }
    }

    String stdoutText() {
        return new String(stdoutBytes(), StandardCharsets.ISO_8859_1);
    }

    String stderrText() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Waits until stdout satisfies {@code p}; fails with both outputs after the timeout. */
    void awaitStdout(Predicate<byte[]> p, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (p.test(stdoutBytes())) {
                return;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(10);
        }
        if (!p.test(stdoutBytes())) {
            throw new AssertionError("waiting for " + what + "; stdout:\n" + stdoutText() + "\nstderr:\n"
                    + stderrText());
        }
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
