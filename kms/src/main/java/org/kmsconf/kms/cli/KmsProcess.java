package org.kmsconf.kms.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code kms serve} in a JVM of its own, on this JVM's class path: what the crash tests kill with SIGKILL and what the
 * load drivers measure from outside (its whole CPU time, every thread, JIT and GC included, from /proc).
 */
public final class KmsProcess implements AutoCloseable {
    private final Process process;
    private final URI uri;
    private final StringBuffer output;

    private KmsProcess(Process process, URI uri, StringBuffer output) {
        this.process = process;
        this.uri = uri;
        this.output = output;
    }

    /**
     * Starts {@code kms serve <serveArgs>} (give it {@code --listen 127.0.0.1:0} and a store) and waits up to 60 s
     * for its "listening on" line.
     *
     * @param jvmArgs options for the child JVM (e.g. {@code -Xmx256m})
     */
    public static KmsProcess start(List<String> jvmArgs, List<String> serveArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KmsMain.class.getName());
        cmd.add("serve");
        cmd.addAll(serveArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuffer seen = new StringBuffer();
        Object lock = new Object();
        URI[] found = new URI[1];
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                // read to the end: the pipe must never fill, whatever the KMS logs
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (seen.length() < 1 << 20) {
                        seen.append(line).append('\n');
                    }
                    int at = line.indexOf("listening on ");
                    if (at >= 0) {
                        String u = line.substring(at + "listening on ".length()).strip();
                        synchronized (lock) {
                            found[0] = URI.create(u.endsWith("/kms") ? u.substring(0, u.length() - 4) : u);
                            lock.notifyAll();
                        }
                    }
                }
            } catch (IOException e) {
                // process gone
            }
        }, "kms-process-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (lock) {
            while (found[0] == null && p.isAlive() && System.nanoTime() < deadline) {
                try {
                    lock.wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (found[0] == null) {
            p.destroyForcibly();
            throw new IOException("the KMS process did not start; its output:\n" + seen);
        }
        return new KmsProcess(p, found[0], seen);
    }

    /** Base URI of its HTTP interface. */
    public URI uri() {
        return uri;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What it printed so far (the first MiB). */
    public String output() {
        return output.toString();
    }

    /**
     * CPU time of the whole process so far (user + system, every thread), in nanoseconds: {@code utime + stime} of
     * /proc/&lt;pid&gt;/stat, in clock ticks of 10 ms (USER_HZ = 100 on Linux).
     */
    public long cpuNanos() throws IOException {
        return cpuNanos(pid());
    }

    /** {@link #cpuNanos()} of any process. */
    public static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name (field 2) may hold spaces: count fields after its closing parenthesis
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 (utime) and 15 (stime)
        return ticks * 10_000_000L;
    }

    /**
     * CPU time of each group of the process's threads so far (nanoseconds), by thread name with digits dropped
     * ({@code kms-http-#}, {@code C2 CompilerThre#}, {@code G1 Conc#}...): where a process's CPU goes, JIT and GC
     * included. The kernel keeps 15 characters of each name.
     */
    public static java.util.Map<String, Long> threadCpuNanos(long pid) throws IOException {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L, Long::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    /** SIGKILL: no shutdown hook, no flush, nothing the JVM could still do. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
