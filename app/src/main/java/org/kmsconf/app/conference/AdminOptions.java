package org.kmsconf.app.conference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.kmsconf.app.config.HostPort;
import org.kmsconf.ops.OpsConfig;
import picocli.CommandLine.Option;

/**
 * The admin interface options of {@code conference serve}: where its API, metrics and console listen (loopback by
 * default), its token and audit files (under {@code --data-dir}), TLS, and the KMS the console shows.
 */
final class AdminOptions {
    static final String DEFAULT_DATA_DIR = "data/conference";
    static final String URL_FILE = "admin.url";

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = DEFAULT_DATA_DIR,
            description = "Directory of the admin token file, the operator audit file and admin.url "
                    + "(default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--admin-listen", paramLabel = "HOST:PORT|off", defaultValue = "127.0.0.1:8190",
            description = "Address of the admin API, /metrics and the web console (default ${DEFAULT-VALUE}: "
                    + "loopback only; port 0 = any free port; off = none).")
    String adminListen;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "Bearer token of the admin API (default <data-dir>/admin.token; created with mode 600 at "
                    + "first start; refused if others may read it).")
    Path tokenFile;

    @Option(names = "--admin-audit-file", paramLabel = "FILE",
            description = "Where operator actions are appended, one JSON line each (default "
                    + "<data-dir>/admin-audit.jsonl; created with mode 600).")
    Path auditFile;

    @Option(names = "--admin-tls-keystore", paramLabel = "FILE", description = "PKCS#12 keystore: serve HTTPS.")
    Path tlsKeystore;

    @Option(names = "--admin-tls-keystore-password-env", paramLabel = "VAR",
            description = "Environment variable holding the keystore password.")
    String tlsPasswordEnv;

    @Option(names = "--admin-tls-keystore-type", paramLabel = "TYPE", defaultValue = "PKCS12",
            description = "Keystore type (default ${DEFAULT-VALUE}).")
    String tlsType;

    @Option(names = "--console-kms-url", paramLabel = "URL",
            description = "The KMS the console's KMS panel shows (its /metrics and audit tail); default: the first "
                    + "--kms URL; 'none' for no panel.")
    String consoleKms;

    @Option(names = "--console-kms-audit-token-file", paramLabel = "FILE",
            description = "The KMS's audit token file ('kms serve --audit-token-file'), for the console's KMS audit "
                    + "tail.")
    Path kmsAuditToken;

    boolean enabled() {
        return !adminListen.equalsIgnoreCase("off");
    }

    OpsConfig config(List<String> kmsUrls) {
        HostPort listen = HostPort.parse(adminListen, "--admin-listen");
        Path token = tokenFile != null ? tokenFile : dataDir.resolve("admin.token");
        Path audit = auditFile != null ? auditFile : dataDir.resolve("admin-audit.jsonl");
        OpsConfig c = new OpsConfig(listen.host(), listen.port(), token, audit, null, null, null, null, null, null);
        if (tlsKeystore != null) {
            if (!Files.isReadable(tlsKeystore)) {
                throw new IllegalArgumentException("cannot read --admin-tls-keystore " + tlsKeystore);
            }
            String password = null;
            if (tlsPasswordEnv != null) {
                password = System.getenv(tlsPasswordEnv);
                if (password == null) {
                    throw new IllegalArgumentException("environment variable " + tlsPasswordEnv + " is not set");
                }
            }
            c = c.withTls(tlsKeystore, password, tlsType);
        }
        String kms = consoleKms != null ? consoleKms : kmsUrls.isEmpty() ? null : kmsUrls.get(0);
        if (kms != null && !kms.equalsIgnoreCase("none")) {
            c = c.withKms(URI.create(kms), kmsAuditToken);
        }
        return c;
    }

    /** Writes the admin interface's URL to {@code <data-dir>/admin.url} for {@code conference admin} (not secret). */
    void publishUrl(URI uri) {
        try {
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, "admin.url", ".tmp");
            Files.writeString(tmp, uri + "\n");
            Files.move(tmp, dataDir.resolve(URL_FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataDir.resolve(URL_FILE) + ": " + e.getMessage(), e);
        }
    }
}
