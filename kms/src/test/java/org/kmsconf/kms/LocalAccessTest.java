package org.kmsconf.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.kms.admin.AdminClient;

/**
 * The embedded store seen by another local process while {@code kms serve} runs (a separate JVM): no listening socket
 * but the KMS's own HTTP port, the data directory and every file in it owner-only, the database unreachable with
 * what a lock file would hold, administration only through the admin socket; and, run as another local user
 * (created for the test when running as root), nothing in the data directory can be read or reached.
 */
class LocalAccessTest {
    @TempDir
    Path parent;

    @Test
    void theRunningStoreHasNoListenerItsFilesAreOwnerOnlyAndAdminGoesThroughTheSocket() throws Exception {
        Path dir = parent.resolve("kms-data");
        Process kms = start(dir, null);
        try {
            URI uri = DurabilityTest.awaitUri(kms);
            Path socket = dir.resolve("admin.sock");
            // admin while serving: through the socket (the CLI's path), changes effective at once
            ProvisionedKey alice = AdminSocket.addUser(socket, "alice", "sip:alice@operator");
            AdminSocket.addUser(socket, "bob", "sip:bob@operator");
            new Ua(alice, "sip:alice@operator").requestTicket(
                    org.kmsconf.kmsclient.KmsClient.builder().address(uri).build(), KmsConfig.DEFAULT_KMS_IDENTITY,
                    "sip:bob@operator");

            // 1. listening TCP sockets of the KMS process: the HTTP port and nothing else (no H2 TCP/AUTO_SERVER)
            Set<Integer> ports = listeningPorts(kms.pid());
            assertThat(ports).containsExactly(uri.getPort());

            // 2. owner-only, as created: the directory 0700, every file 0600 (sockets included), sub-directories 0700
            assertThat(mode(dir)).isEqualTo("rwx------");
            List<Path> all;
            try (Stream<Path> s = Files.walk(dir)) {
                all = s.toList();
            }
            assertThat(all).extracting(p -> p.getFileName().toString())
                    .contains("kms.mv.db", "master.key", "admin.sock", "replay");
            for (Path p : all) {
                assertThat(mode(p)).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }

            // 3. with what an AUTO_SERVER lock file would give a local user: no lock file, no server to reach
            assertThat(dir.resolve("kms.lock.db")).doesNotExist();
            String base = dir.toAbsolutePath().resolve("kms").toString();
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:h2:file:" + base
                    + ";AUTO_SERVER=TRUE;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;IFEXISTS=TRUE", "", "").close())
                    .hasMessageContaining("already in use");

            // 4. the command line itself (not a test helper) finds the socket by --data-dir and sends itself there;
            //    an imported PSK is read from a file here and travels on the socket, never as an argument
            Path pskFile = parent.resolve("carol.psk");
            Files.writeString(pskFile, "# carol\n00112233445566778899aabbccddeeff\n");
            String added = cli(new org.kmsconf.kms.cli.UserCommand(), "add", "carol", "--data-dir", dir.toString(),
                    "--identity", "sip:carol@operator", "--psk-file", pskFile.toString());
            assertThat(added).contains("user carol added", "imported (128 bit), not shown")
                    .doesNotContain("00112233445566778899aabbccddeeff");
            assertThat(cli(new org.kmsconf.kms.cli.UserCommand(), "list", "--data-dir", dir.toString()))
                    .contains("carol", "sip:carol@operator");
            assertThat(cli(new org.kmsconf.kms.cli.KmsCommand(), "audit", "-n", "10", "--data-dir", dir.toString()))
                    .contains("ADMIN CHANGED", "ADMIN RAN", "reason=\"user add carol ", "--psk-file - (exit 0)\"",
                            "remote=unix:" + System.getProperty("user.name")).doesNotContain(pskFile.toString());

            // 5. the CLI without the socket: a clear error, not a stack trace or a second writer
            Files.move(socket, dir.resolve("moved.sock"));
            assertThatThrownBy(() -> TestStores.open(
                    KmsConfig.builder().dataDir(dir).build(), false).close())
                    .hasMessageContaining("in use by a running KMS").hasMessageContaining("admin socket");
        } finally {
            kms.destroyForcibly();
            kms.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * As another local user (a throwaway account, created only when the test runs as root): the data directory and
     * its files cannot be read, the admin socket cannot be reached; and when an operator puts the socket where others
     * can reach it, the KMS still refuses that user (kernel peer credentials), and audits it.
     */
    @Test
    @Tag("external")
    void anotherLocalUserCanNeitherReadTheStoreNorAdministerTheKms() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to create a throwaway local user; run the external profile as root");
        String user = "kmst" + UUID.randomUUID().toString().substring(0, 6);
        sh("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", user);
        Path open = Files.createTempDirectory("kms-open-sock");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path dir = parent.resolve("kms-data");
        Process kms = start(dir, open.resolve("admin.sock"));
        try {
            DurabilityTest.awaitUri(kms);
            // the tree above the data directory must be traversable for the checks to mean anything
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String f : List.of("master.key", "kms.mv.db", "replay")) {
                Result r = asUser(user, "/bin/cat", dir.resolve(f).toString());
                assertThat(r.code).as("cat " + f + " as " + user).isNotZero();
                assertThat(r.out).containsIgnoringCase("permission denied");
            }
            Result ls = asUser(user, "/bin/ls", dir.toString());
            assertThat(ls.code).isNotZero();
            // the admin socket in a directory everyone can enter: its own mode (0600) keeps the user out ...
            Path sock = open.resolve("admin.sock");
            Result denied = asUser(user, "/usr/bin/python3", "-c", PY_ADMIN, sock.toString());
            assertThat(denied.out).contains("Permission denied");
            // ... and if an operator opens it to everyone, the KMS still refuses the peer by its uid (SO_PEERCRED)
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
            Result admin = asUser(user, "/usr/bin/python3", "-c", PY_ADMIN, sock.toString());
            assertThat(admin.out).contains("exit 77").contains("refused");
            // the owner itself may
            AdminClient.Reply own = AdminClient.send(open.resolve("admin.sock"),
                    new ArrayList<>(List.of("user", "list")), new byte[0]);
            assertThat(own.exitCode()).isZero();
            String audit = AdminSocket.run(open.resolve("admin.sock"), "kms", "audit", "-n", "5");
            assertThat(audit).contains("ADMIN REFUSED").contains(user);
        } finally {
            kms.destroyForcibly();
            kms.waitFor(10, TimeUnit.SECONDS);
            sh("userdel", user);
        }
    }

    /** Speaks the admin socket's framing: "user list", prints the exit code and the error text. */
    private static final String PY_ADMIN = String.join("\n",
            "import socket, struct, sys",
            "s = socket.socket(socket.AF_UNIX)",
            "s.connect(sys.argv[1])",
            "def b(x): return struct.pack('>I', len(x)) + x",
            "s.sendall(struct.pack('>II', 0x4b4d5341, 2) + b(b'user') + b(b'list') + b(b''))",
            "d = b''",
            "while True:",
            "    c = s.recv(4096)",
            "    if not c: break",
            "    d += c",
            "code = struct.unpack('>i', d[:4])[0]",
            "print('exit', code, d[4:].decode('utf-8', 'replace'))");

    private record Result(int code, String out) {
    }

    /** Runs a command as the CLI does in this JVM (a separate process from the KMS) and returns its output. */
    private static String cli(Object command, String... args) {
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            picocli.CommandLine cl = new picocli.CommandLine(command);
            cl.setExecutionExceptionHandler((ex, c, p) -> {
                System.out.println("kmsconf: " + ex.getMessage());
                return 1;
            });
            code = cl.execute(args);
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        return text;
    }

    private static Result asUser(String user, String... cmd) throws Exception {
        List<String> c = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", user, "--"));
        c.addAll(List.of(cmd));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    /** TCP ports in LISTEN state (IPv4 and IPv6) whose socket inode is an open file of process {@code pid}. */
    static Set<Integer> listeningPorts(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String t = Files.readSymbolicLink(fd).toString();
                    if (t.startsWith("socket:[")) {
                        inodes.add(t.substring(8, t.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) { // 0A = LISTEN
                    String local = f[1];
                    ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    private static Process start(Path dir, Path adminSocket) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                org.kmsconf.kms.cli.KmsMain.class.getName(), "serve", "--data-dir", dir.toString(), "--listen", "127.0.0.1:0"));
        if (adminSocket != null) {
            cmd.addAll(List.of("--admin-socket", adminSocket.toString()));
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }
}
