package org.kmsconf.bench.flood;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server of the project ({@code kms serve}, {@code conference serve}) in a JVM of its own, started with this JVM's
 * class path, so that a flood or load driver measures a separate process as an operator runs it: its output is read
 * until the line that says it is ready, then drained so that the pipe never fills; its resident memory is read from
 * /proc; {@link #close()} kills it.
 */
public final class ServedProcess implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(100_000);

    private ServedProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.offer(line); // once full (nobody waits any more), further lines are dropped
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "served-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java [jvmOptions] -cp <this class path> mainClass args…}, standard error merged into output. */
    public static ServedProcess start(List<String> jvmOptions, String mainClass, List<String> args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return new ServedProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /**
     * Waits for the first output line containing {@code marker} and returns what follows the marker on that line;
     * throws with everything the process said when it ends or the time is up first.
     */
    public String awaitLine(String marker, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line == null) {
                if (!process.isAlive()) {
                    break;
                }
                continue;
            }
            seen.append(line).append('\n');
            int at = line.indexOf(marker);
            if (at >= 0) {
                return line.substring(at + marker.length()).strip();
            }
        }
        throw new IllegalStateException("no \"" + marker + "\" from the process; its output:\n" + seen);
    }

    /** Forgets the output from now on (a server's log that nobody reads must not fill the pipe or the memory). */
    public void discardOutput() {
        Thread drain = new Thread(() -> {
            while (true) {
                try {
                    lines.take();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "served-output-drain-" + process.pid());
        drain.setDaemon(true);
        drain.start();
    }

    public long pid() {
        return process.pid();
    }

    /** Resident memory (VmRSS) in KiB, or 0 once the process is gone. */
    public long rssKb() {
        return rssKb(process.pid());
    }

    /** VmRSS of a process in KiB, or 0 when unknown. */
    public static long rssKb(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
