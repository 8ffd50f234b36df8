package org.kmsconf.kms.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS database: a HikariCP pool on H2 (embedded, default) or PostgreSQL, with the schema brought up to date by
 * the Flyway migrations in {@code db/migration}.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final boolean postgres;
    private final boolean h2;

    private Database(HikariDataSource pool, boolean postgres, boolean h2) {
        this.pool = pool;
        this.postgres = postgres;
        this.h2 = h2;
    }

    /** Opens the pool and migrates the schema. Fails with one clear line when the database is unreachable. */
    public static Database open(StoreConfig config) {
        String url = config.effectiveJdbcUrl();
        boolean postgres = url.startsWith("jdbc:postgresql:");
        boolean h2 = url.startsWith("jdbc:h2:");
        if (!postgres && !h2) {
            throw new IllegalArgumentException("unsupported JDBC URL (use jdbc:h2:... or jdbc:postgresql:...): "
                    + url.replaceAll("(?i)(password=)[^;&]*", "$1***"));
        }
        if (url.startsWith("jdbc:h2:" + OwnerOnlyFilePath.SCHEME + ":")) {
            OwnerOnlyFilePath.register();
            try {
                org.kmsconf.kms.crypto.OwnerOnlyFiles.createDirectories(config.dataDir());
                warnIfOpen(config.dataDir());
            } catch (java.io.IOException e) {
                throw new StoreException("cannot create data directory " + config.dataDir() + ": " + e.getMessage(), e);
            }
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        if (config.jdbcUser() != null) {
            hc.setUsername(config.jdbcUser());
        }
        if (config.jdbcPassword() != null) {
            hc.setPassword(config.jdbcPassword());
        }
        if (config.dbSchema() != null) {
            requireIdentifier(config.dbSchema());
            hc.setSchema(config.dbSchema());
            if (postgres) {
                hc.setConnectionInitSql("CREATE SCHEMA IF NOT EXISTS " + config.dbSchema());
            }
        }
        if (postgres) {
            // the driver sends the audit writer's batch of rows as multi-row INSERTs, not one statement per row
            hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        hc.setMaximumPoolSize(config.dbPoolSize());
        hc.setPoolName("kms-db");
        hc.setConnectionTimeout(5_000);
        hc.setInitializationFailTimeout(5_000);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            if (h2 && (rootMessage(e).contains("already in use") || rootMessage(e).contains("is locked"))) {
                throw new StoreLockedException(config);
            }
            throw new StoreException("database unreachable at " + redact(url) + ": " + rootMessage(e), e);
        }
        try {
            // db/vendor/<database>: migrations written once for H2 and once for PostgreSQL (triggers)
            var fw = Flyway.configure().dataSource(ds).locations("classpath:db/migration",
                    "classpath:db/vendor/" + (postgres ? "postgresql" : "h2"));
            if (config.dbSchema() != null) {
                fw.schemas(config.dbSchema()).defaultSchema(config.dbSchema());
            }
            var result = fw.load().migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("database schema migrated to version {} ({} migrations)", result.targetSchemaVersion,
                        result.migrationsExecuted);
            }
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreException("database schema migration failed: " + rootMessage(e), e);
        }
        return new Database(ds, postgres, h2);
    }

    public DataSource dataSource() {
        return pool;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    public boolean isPostgres() {
        return postgres;
    }

    /** True when the database answers a trivial query within a second. */
    public boolean isReachable() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Makes committed changes durable now. H2 writes committed transactions to its file in the background (about
     * once a second); after an administrative change we force it so that a crash right after loses nothing.
     * PostgreSQL commits are durable already.
     */
    public void checkpoint() {
        if (!h2) {
            return;
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            throw new StoreException("checkpoint failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** An existing data directory (or file in it) that others may read: said loudly, not changed behind the operator. */
    private static void warnIfOpen(java.nio.file.Path dir) throws java.io.IOException {
        var open = org.kmsconf.kms.crypto.OwnerOnlyFiles.groupOrOtherAccess(dir);
        if (!open.isEmpty()) {
            LOG.warn("data directory {} grants {} to other users: make it owner-only (chmod 700)", dir, open);
        }
        try (var files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                var fo = org.kmsconf.kms.crypto.OwnerOnlyFiles.groupOrOtherAccess(f);
                if (!fo.isEmpty()) {
                    LOG.warn("{} grants {} to other users: make it owner-only (chmod 600)", f, fo);
                }
            }
        }
    }

    static void requireIdentifier(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a valid schema name: " + name);
        }
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
