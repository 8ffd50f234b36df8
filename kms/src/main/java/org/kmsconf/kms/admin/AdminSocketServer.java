package org.kmsconf.kms.admin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.kmsconf.kms.audit.AuditLog;
import org.kmsconf.kms.audit.AuditRecord;
import org.kmsconf.kms.crypto.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin interface of a running KMS: a Unix-domain socket in the owner-only data directory (never a network
 * port, never the database). A client is accepted only if the kernel says (SO_PEERCRED) it runs as the KMS's own
 * user or as root; anyone else is refused and audited. It runs the {@code user}, {@code conference-system},
 * {@code policy}, {@code kms audit} and {@code kms rotate-ticket-key} commands on the KMS's open store (the same
 * code as the CLI), so changes apply at once, and returns their output. Other commands are refused.
 *
 * <p>The socket file lives in a directory of its own created 0700 inside the 0700 data directory, so no other user
 * can reach it at any moment; it is then made 0600 (a socket file gets its mode from bind(2), which Java cannot set).
 */
public final class AdminSocketServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminSocketServer.class);
    private static final Set<String> GROUPS = Set.of("user", "conference-system", "policy");
    private static final Set<String> KMS_SUBCOMMANDS = Set.of("audit", "rotate-ticket-key");

    private final Path socket;
    private final ServerSocketChannel server;
    private final AuditLog audit;
    private final AdminCommandRunner commands;
    private final String owner;
    private final Semaphore concurrent = new Semaphore(4);
    private final Thread acceptor;
    private volatile boolean closed;

    private AdminSocketServer(Path socket, ServerSocketChannel server, AuditLog audit, AdminCommandRunner commands) {
        this.socket = socket;
        this.server = server;
        this.audit = audit;
        this.commands = commands;
        this.owner = System.getProperty("user.name");
        this.acceptor = new Thread(this::acceptLoop, "kms-admin");
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code socket}. A socket file left by a KMS that died is replaced; one a live KMS listens on is not.
     *
     * @param audit where each request (and each refused client) is recorded
     * @param commands runs one request's command line on the KMS's open store
     */
    public static AdminSocketServer start(Path socket, AuditLog audit, AdminCommandRunner commands) {
        try {
            Path abs = socket.toAbsolutePath();
            OwnerOnlyFiles.createDirectories(abs.getParent());
            if (Files.exists(abs)) {
                if (AdminClient.send(abs, List.of("--ping"), null) != null) {
                    throw new IllegalStateException("another KMS listens on the admin socket " + abs);
                }
                Files.delete(abs);
            }
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(abs));
            try {
                Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the owner-only directory is the protection
            }
            AdminSocketServer s = new AdminSocketServer(abs, ch, audit, commands);
            s.acceptor.start();
            LOG.info("admin interface on {} (this user and root only)", abs);
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the admin socket " + socket + ": " + e.getMessage(), e);
        }
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("admin socket: {}", e.getMessage());
                }
                return;
            }
            if (!concurrent.tryAcquire()) {
                close(c);
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    serve(c);
                } finally {
                    concurrent.release();
                }
            }, "kms-admin-request");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel c) {
        try (c; DataInputStream in = new DataInputStream(Channels.newInputStream(c));
                DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c))) {
            UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String who = peer.user().getName();
            if (in.readInt() != AdminProtocol.MAGIC) {
                return;
            }
            int n = in.readInt();
            if (n < 0 || n > AdminProtocol.MAX_ARGS) {
                return;
            }
            List<String> args = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                args.add(new String(AdminProtocol.readBytes(in), StandardCharsets.UTF_8));
            }
            byte[] input = AdminProtocol.readBytes(in);
            if (!who.equals(owner) && !who.equals("root")) {
                java.util.Arrays.fill(input, (byte) 0);
                LOG.warn("admin socket: refused a client running as {} (only {} and root may administer)",
                        org.kmsconf.kms.audit.LogSafe.escape(who), owner);
                audit.record(new AuditRecord(java.time.Instant.now(), "ADMIN", "REFUSED", null, null,
                        "admin socket client user=" + who, null, "not the KMS's user", "unix:" + who));
                reply(out, 77, "", "kmsconf: refused: the admin socket serves only " + owner + " and root\n");
                return;
            }
            if (args.equals(List.of("--ping"))) {
                reply(out, 0, "", "");
                return;
            }
            if (!allowed(args)) {
                reply(out, 2, "", "kmsconf: the admin socket runs only user, conference-system, policy,"
                        + " kms audit and kms rotate-ticket-key\n");
                return;
            }
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            int code;
            try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
                    PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
                code = commands.run(args, po, pe, new ByteArrayInputStream(input));
            } finally {
                java.util.Arrays.fill(input, (byte) 0);
            }
            LOG.info("admin socket: {} ran {} {} (exit {})", org.kmsconf.kms.audit.LogSafe.escape(who), args.get(0),
                    args.size() > 1 ? org.kmsconf.kms.audit.LogSafe.escape(args.get(1)) : "", code);
            // who ran what: the peer's account (kernel credentials) and the command line (no secret is ever an
            // argument: an imported PSK came as input)
            audit.record(new AuditRecord(java.time.Instant.now(), "ADMIN", code == 0 ? "RAN" : "REFUSED", null,
                    null, "admin socket client user=" + who, null, String.join(" ", args) + " (exit " + code + ")",
                    "unix:" + who));
            reply(out, code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            LOG.warn("admin socket request failed: {}", e.toString());
        }
    }

    private static boolean allowed(List<String> args) {
        if (args.isEmpty()) {
            return false;
        }
        if (GROUPS.contains(args.get(0))) {
            return true;
        }
        return args.get(0).equals("kms") && args.size() > 1 && KMS_SUBCOMMANDS.contains(args.get(1));
    }

    private static void reply(DataOutputStream out, int code, String o, String e) throws IOException {
        out.writeInt(code);
        AdminProtocol.writeBytes(out, o.getBytes(StandardCharsets.UTF_8));
        AdminProtocol.writeBytes(out, e.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void close(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // left behind: the next start replaces it
        }
    }
}
