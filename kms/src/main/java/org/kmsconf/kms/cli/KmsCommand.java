package org.kmsconf.kms.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsConfigFile;
import org.kmsconf.kms.admin.AdminSocketServer;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.audit.AuditRecord;
import org.kmsconf.kms.store.KmsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kmsconf kms init|serve|audit|rotate-ticket-key|backup|restore}: set up and run the KMS. */
@Command(name = "kms", mixinStandardHelpOptions = true,
        description = "Run the KMS (MIKEY-TICKET ticket issue/resolve over HTTP) and manage its store.",
        subcommands = {KmsCommand.Init.class, KmsCommand.Serve.class, KmsCommand.Audit.class,
            KmsCommand.RotateTicketKey.class, BackupCommands.Backup.class, BackupCommands.Restore.class})
public final class KmsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Create the store (schema), the master key file if missing, the KMS identity and the first"
                + " ticket protection key. Safe to run again."})
    static final class Init implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            KmsConfig cfg = store.configBuilder().build();
            try (KmsStore s = StoreOptions.open(cfg, true)) {
                System.out.println("KMS store ready: identity " + s.kmsIdentity() + ", ticket protection key "
                        + s.ticketKeys().activeKeyIdHex().orElse("?") + ", " + s.users().list().size() + " users");
            }
            return 0;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Serve the KMS HTTP interface: POST /kms (application/mikey), GET /health, GET /metrics.",
                "Creates the store and master key on first start."})
    static final class Serve implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Address to listen on (default 127.0.0.1:8180).")
        String listen;

        @Option(names = "--tls-keystore", paramLabel = "FILE", description = "PKCS#12 keystore: serve HTTPS.")
        Path tlsKeystore;

        @Option(names = "--tls-keystore-password-env", paramLabel = "VAR",
                description = "Environment variable holding the keystore password.")
        String tlsPasswordEnv;

        @Option(names = "--tls-keystore-type", paramLabel = "TYPE", description = "Keystore type (default PKCS12).")
        String tlsType;

        @Option(names = "--ticket-validity", paramLabel = "DURATION", description = "Ticket validity, e.g. 1h, PT8H.")
        String ticketValidity;

        @Option(names = "--audit-token-file", paramLabel = "FILE",
                description = "Also serve GET /audit (the audit tail) to whoever presents this bearer token; the file "
                        + "is created with mode 600 at first start (for the conference console's KMS panel).")
        Path auditTokenFile;

        @Option(names = "--shared-replay", paramLabel = "true|false",
                description = "Guard replays through the database (default: on for PostgreSQL).")
        Boolean sharedReplay;

        @Override
        public Integer call() throws InterruptedException {
            KmsConfig.Builder b = store.configBuilder();
            if (listen != null) {
                b.listen(listen);
            }
            if (tlsKeystore != null) {
                b.tlsKeystore(tlsKeystore);
            }
            if (tlsPasswordEnv != null) {
                b.tlsKeystorePassword(StoreOptions.secretFromEnv(tlsPasswordEnv));
            }
            if (tlsType != null) {
                b.tlsKeystoreType(tlsType);
            }
            if (ticketValidity != null) {
                b.ticketValidity(parseDuration(ticketValidity));
            }
            if (sharedReplay != null) {
                b.sharedReplay(sharedReplay);
            }
            KmsConfig cfg = b.build();
            KmsServer server = KmsServer.start(cfg, auditTokenFile);
            AdminSocketServer admin;
            try {
                // administration while serving: this socket, never the database (which has no listener)
                admin = cfg.store().isH2File() || cfg.adminSocket() != null
                        ? AdminSocketServer.start(cfg.effectiveAdminSocket(), server.store().audit(),
                                AdminCommands.runner(server.store()))
                        : null;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (admin != null) {
                    admin.close();
                }
                server.close();
            }, "kms-shutdown"));
            System.out.println("KMS " + server.kmsIdentity() + " listening on " + server.uri() + "/kms");
            System.out.flush();
            server.join();
            return 0;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = "Show the most recent audit records, or purge old ones.")
    static final class Audit extends AdminCall {

        @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "How many records (default 50).")
        int limit = 50;

        @Option(names = "--purge-older-than", paramLabel = "DURATION",
                description = "Delete records older than this (e.g. 90d) instead of showing any.")
        String purge;

        @Override
        protected Integer local() {
            try (KmsStore s = store.openStore()) {
                if (purge != null) {
                    Duration age = parseDuration(purge);
                    int n = s.audit().purgeBefore(java.time.Instant.now().minus(age));
                    new org.kmsconf.kms.KmsAdmin(s).recordAdmin("audit records older than " + purge + " purged: " + n);
                    AdminContext.out().println(n + " audit records deleted");
                    return 0;
                }
                for (AuditRecord r : s.audit().recent(limit)) {
                    AdminContext.out().println(r.at() + " " + r.toLogLine());
                }
            }
            return 0;
        }
    }

    @Command(name = "rotate-ticket-key", mixinStandardHelpOptions = true,
            description = "Make a new ticket protection key active; tickets protected by older keys still resolve.")
    static final class RotateTicketKey extends AdminCall {

        @Override
        protected Integer local() {
            try (KmsStore s = store.openStore()) {
                AdminContext.out().println("active ticket protection key: " + new org.kmsconf.kms.KmsAdmin(s).rotateTicketKey());
            }
            return 0;
        }
    }

    static Duration parseDuration(String v) {
        return KmsConfigFile.parseDuration("duration", v);
    }
}
