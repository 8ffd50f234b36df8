package org.kmsconf.kms.store;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the KMS store is and how it is opened: database, master key, this node's name, the request-path read cache.
 * Part of the server's configuration ({@code KmsConfig#store()}); the admin commands open a store with this alone.
 * Secrets in here (master key hex, password) never appear in {@link #toString()}.
 *
 * @param dataDir directory for the default H2 database, the master key file and the journals
 * @param jdbcUrl JDBC URL; null means the embedded H2 file {@code <dataDir>/kms}
 * @param dbSchema schema to use (PostgreSQL: created if missing); null = the connection's default
 * @param masterKeyFile key file (64 hex digits); null means {@code <dataDir>/master.key}
 * @param masterKeyHex the master key itself (64 hex digits), overriding env var and file; for embedding and tests
 * @param nodeName this node's name in audit records
 * @param cacheTtl how long request-path lookups (users, identities, rules, sealed keys) are cached; changes made by
 *     another process take effect within it; zero disables the cache
 */
public record StoreConfig(
        Path dataDir,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String dbSchema,
        int dbPoolSize,
        Path masterKeyFile,
        String masterKeyHex,
        String nodeName,
        Duration cacheTtl) {

    public StoreConfig {
        if (dbPoolSize < 1) {
            throw new IllegalArgumentException("the database pool needs at least 1 connection");
        }
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("cache TTL must not be negative");
        }
    }

    /** The JDBC URL actually used: the configured one or the embedded H2 file under the data directory. */
    public String effectiveJdbcUrl() {
        if (jdbcUrl != null) {
            return jdbcUrl;
        }
        // No AUTO_SERVER, no TCP server: the embedded store has no network listener; while "kms serve" holds the
        // file, administration goes through the KMS's admin socket. The owneronly: file system creates every file
        // 0600 and directory 0700 (OwnerOnlyFilePath).
        return "jdbc:h2:" + OwnerOnlyFilePath.SCHEME + ":" + dataDir.toAbsolutePath().resolve("kms")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
    }

    public boolean isPostgres() {
        return effectiveJdbcUrl().startsWith("jdbc:postgresql:");
    }

    /** Whether the store is a database of this process's memory only (tests, demo): nothing survives it. */
    public boolean isInMemory() {
        return effectiveJdbcUrl().startsWith("jdbc:h2:mem:");
    }

    /** Whether the embedded H2 file store is used (journals in the data directory make answers durable). */
    public boolean isH2File() {
        return effectiveJdbcUrl().startsWith("jdbc:h2:") && !isInMemory();
    }

    public Path effectiveMasterKeyFile() {
        return masterKeyFile != null ? masterKeyFile : dataDir.resolve("master.key");
    }

    /** The URL with any password in it replaced by {@code ***}. */
    public String redactedUrl() {
        return Database.redact(effectiveJdbcUrl());
    }

    @Override
    public String toString() {
        return "StoreConfig[db=" + redactedUrl() + ", node=" + nodeName + "]";
    }
}
