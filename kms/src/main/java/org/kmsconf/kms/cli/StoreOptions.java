package org.kmsconf.kms.cli;

import java.nio.file.Path;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsConfigFile;
import org.kmsconf.kms.store.KmsStore;
import picocli.CommandLine.Option;

/** Options naming the KMS store, shared by every KMS command (picocli mixin). */
public final class StoreOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with kms.* settings (docs/kms.md); command-line options override it.")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory for the embedded H2 store and the master key file (default: data/kms).")
    Path dataDir;

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "JDBC URL of the store, e.g. jdbc:postgresql://db:5432/kms (default: H2 file in --data-dir).")
    String jdbcUrl;

    @Option(names = "--jdbc-user", paramLabel = "USER", description = "Database user.")
    String jdbcUser;

    @Option(names = "--jdbc-password-env", paramLabel = "VAR",
            description = "Name of an environment variable holding the database password.")
    String jdbcPasswordEnv;

    @Option(names = "--db-schema", paramLabel = "SCHEMA", description = "Database schema (created if missing).")
    String dbSchema;

    @Option(names = "--master-key-file", paramLabel = "FILE",
            description = "Master key file, 64 hex digits (default: <data-dir>/master.key; KMSCONF_MASTER_KEY wins).")
    Path masterKeyFile;

    @Option(names = "--kms-identity", paramLabel = "URI",
            description = "The KMS identity IDRkms (default: " + KmsConfig.DEFAULT_KMS_IDENTITY + ").")
    String kmsIdentity;

    @Option(names = "--admin-socket", paramLabel = "PATH",
            description = "Admin socket of a running KMS (default: <data-dir>/admin.sock). While a KMS runs, admin"
                + " commands go through it; otherwise they work on the store directly.")
    Path adminSocket;

    /** The admin socket to try: the option, else the configuration's. */
    public Path adminSocket() {
        if (adminSocket != null) {
            return adminSocket;
        }
        return configBuilder().build().effectiveAdminSocket();
    }

    /** The configuration these options describe (config file first, then options). */
    public KmsConfig.Builder configBuilder() {
        KmsConfig.Builder b = configFile != null ? KmsConfigFile.read(configFile) : KmsConfig.builder();
        if (dataDir != null) {
            b.dataDir(dataDir);
        }
        if (jdbcUrl != null) {
            b.jdbcUrl(jdbcUrl);
        }
        if (jdbcUser != null) {
            b.jdbcUser(jdbcUser);
        }
        if (jdbcPasswordEnv != null) {
            b.jdbcPassword(secretFromEnv(jdbcPasswordEnv));
        }
        if (dbSchema != null) {
            b.dbSchema(dbSchema);
        }
        if (masterKeyFile != null) {
            b.masterKeyFile(masterKeyFile);
        }
        if (kmsIdentity != null) {
            b.kmsIdentity(kmsIdentity);
        }
        if (adminSocket != null) {
            b.adminSocket(adminSocket);
        }
        return b;
    }

    /** A secret passed by naming the environment variable that holds it (never on the command line). */
    static String secretFromEnv(String variable) {
        String value = System.getenv(variable);
        if (value == null) {
            throw new IllegalArgumentException("environment variable " + variable + " is not set");
        }
        return value;
    }

    /** Opens the store for an admin command; the master key must exist already (kms init creates it). */
    public KmsStore openStore() {
        KmsStore serving = AdminContext.servingStore();
        if (serving != null) {
            return serving;
        }
        return open(configBuilder().build(), false);
    }

    /** Opens the store {@code config} names, for its KMS identity. */
    static KmsStore open(KmsConfig config, boolean createMasterKey) {
        return KmsStore.open(config.store(), config.kmsIdentity(), createMasterKey);
    }
}
