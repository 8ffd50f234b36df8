package org.kmsconf.kms.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.kmsconf.kms.KmsAdmin;
import org.kmsconf.kms.store.StoreConfig;
import org.kmsconf.kms.store.KmsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kms backup} and {@code kms restore} for the embedded H2 store (docs/operations.md "Backup and restore"). A
 * backup is H2's online {@code BACKUP TO} (consistent while {@code kms serve} runs, through H2's auto-server): users,
 * sealed keys, ticket protection keys, policy and audit. It does not hold the master key, which unseals the keys in
 * it: back that up apart. PostgreSQL stores are backed up with the database's own tools.
 */
final class BackupCommands {
    private BackupCommands() { }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Write a consistent copy of the H2 store to a zip file, while the KMS runs or not.",
                "The copy holds the keys sealed under the master key, not the master key: back up",
                "<data-dir>/master.key (or KMSCONF_MASTER_KEY) separately, and keep the two apart.",
                "For PostgreSQL, use pg_dump (docs/operations.md)."})
    static final class Backup implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Option(names = "--to", paramLabel = "FILE.zip", required = true, description = "The backup file to write.")
        Path to;

        @Override
        public Integer call() throws IOException {
            StoreConfig cfg = store.configBuilder().build().store();
            if (cfg.isPostgres()) {
                throw new IllegalArgumentException("the store is PostgreSQL: back it up with pg_dump "
                        + "(docs/operations.md)");
            }
            if (Files.exists(to)) {
                throw new IllegalArgumentException(to + " exists: choose a new file");
            }
            Path abs = to.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            try (KmsStore s = store.openStore(); Connection c = s.database().connection();
                 Statement st = c.createStatement()) {
                st.execute("BACKUP TO '" + abs.toString().replace("'", "''") + "'");
                new KmsAdmin(s).recordAdmin("store backed up to " + abs);
            } catch (SQLException e) {
                throw new IllegalStateException("backup failed: " + e.getMessage(), e);
            }
            System.out.println("KMS store backed up to " + abs + " (" + Files.size(abs) + " bytes); the master key is "
                    + "not in it: keep a copy of it apart");
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Put an H2 store backup (kms backup) back in place, with the KMS stopped. An existing",
                "store is kept aside as kms.mv.db.replaced-<time> (--force), never overwritten. The master key",
                "must be the one the backup's keys were sealed under."})
    static final class Restore implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Option(names = "--from", paramLabel = "FILE.zip", required = true, description = "The backup file.")
        Path from;

        @Option(names = "--force", description = "Replace an existing store (kept aside, not deleted).")
        boolean force;

        @Override
        public Integer call() throws IOException {
            StoreConfig cfg = store.configBuilder().build().store();
            if (cfg.isPostgres()) {
                throw new IllegalArgumentException("the store is PostgreSQL: restore it with pg_restore "
                        + "(docs/operations.md)");
            }
            if (!Files.isReadable(from)) {
                throw new IllegalArgumentException("cannot read " + from);
            }
            Path dir = cfg.dataDir().toAbsolutePath();
            Path db = dir.resolve("kms.mv.db");
            if (Files.exists(dir.resolve("kms.lock.db"))) {
                throw new IllegalArgumentException("the store in " + dir + " is open (kms.lock.db): stop the KMS first");
            }
            if (Files.exists(db)) {
                if (!force) {
                    throw new IllegalArgumentException(db + " exists: add --force to replace it (it is kept aside)");
                }
                Path aside = dir.resolve("kms.mv.db.replaced-" + Instant.now().toString().replace(':', '-'));
                Files.move(db, aside, StandardCopyOption.ATOMIC_MOVE);
                System.out.println("existing store kept as " + aside);
            }
            Files.createDirectories(dir);
            org.h2.tools.Restore.execute(from.toAbsolutePath().toString(), dir.toString(), "kms");
            if (!Files.exists(db)) {
                throw new IllegalArgumentException(from + " holds no KMS store (kms.mv.db)");
            }
            // opening it checks the master key against the store's check value: a wrong key is one clear error now
            try (KmsStore s = store.openStore()) {
                new KmsAdmin(s).recordAdmin("store restored from " + from.toAbsolutePath());
                System.out.println("KMS store restored from " + from + ": identity " + s.kmsIdentity() + ", "
                        + s.users().list().size() + " users, ticket protection key "
                        + s.ticketKeys().activeKeyIdHex().orElse("?"));
            }
            return 0;
        }
    }
}
