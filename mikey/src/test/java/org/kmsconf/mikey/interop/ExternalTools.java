package org.kmsconf.mikey.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tools we did not write, found and run from tests: the repository root, a python3 that has the
 * {@code cryptography} package, tshark. A missing tool fails the test with a message naming the package to install
 * (scripts/install-external.sh installs them); nothing is skipped.
 */
final class ExternalTools {
    private ExternalTools() {
    }

    /** The output of a finished process. */
    record Run(int exitCode, String stdout, String stderr) {
        String both() {
            return stdout + stderr;
        }
    }

    /** The repository root (the directory holding mvnw), found upwards from the working directory. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("mvnw")) && Files.isDirectory(d.resolve("mikey"))) {
                return d;
            }
        }
        throw new AssertionError("no repository root (a directory with mvnw and mikey/) above " + dir);
    }

    /**
     * A python3 that can import {@code cryptography}: Debian's /usr/bin/python3 first (python3-cryptography from
     * apt), then whatever python3 is on the PATH (which may be a pyenv one without the package).
     */
    static String pythonWithCryptography() {
        List<String> tried = new ArrayList<>();
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Run r = run(List.of(candidate, "-c", "import cryptography"), 30);
                if (r.exitCode() == 0) {
                    return candidate;
                }
                tried.add(candidate + " (exit " + r.exitCode() + ": " + r.stderr().strip() + ")");
            } catch (IOException e) {
                tried.add(candidate + " (" + e.getMessage() + ")");
            }
        }
        throw new AssertionError("no python3 with the 'cryptography' package; install python3-cryptography "
                + "(bash scripts/install-external.sh). Tried: " + String.join("; ", tried));
    }

    /** A python3 (standard library only is needed): /usr/bin/python3, else the one on the PATH. */
    static String python3() {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                if (run(List.of(candidate, "-c", "pass"), 30).exitCode() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // try the next one
            }
        }
        throw new AssertionError("no python3 found (apt-get install python3)");
    }

    /** The tshark executable; fails loudly if it is not installed. */
    static String tshark() {
        try {
            Run r = run(List.of("tshark", "-v"), 30);
            if (r.exitCode() == 0 && r.stdout().startsWith("TShark")) {
                return "tshark";
            }
            throw new AssertionError("tshark -v failed (exit " + r.exitCode() + "): " + r.both());
        } catch (IOException e) {
            throw new AssertionError("tshark is not installed (apt-get install tshark, or bash "
                    + "scripts/install-external.sh): " + e.getMessage(), e);
        }
    }

    /** Runs a command, waiting at most {@code timeoutSeconds}; stdout and stderr are captured separately. */
    static Run run(List<String> command, int timeoutSeconds) throws IOException {
        Path out = Files.createTempFile("kmsconf-interop-", ".out");
        Path err = Files.createTempFile("kmsconf-interop-", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                throw new AssertionError(command.get(0) + " did not finish within " + timeoutSeconds + " s");
            }
            // new String(...) replaces malformed UTF-8 instead of throwing: the assertions then show what came out
            return new Run(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
                    new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
