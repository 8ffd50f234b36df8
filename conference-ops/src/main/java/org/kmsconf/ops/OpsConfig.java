package org.kmsconf.ops;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of the conference server's admin interface (API, metrics, console).
 *
 * @param listenHost interface to bind; loopback unless the operator says otherwise
 * @param listenPort TCP port; 0 picks a free one ({@link AdminServer#uri()} tells which)
 * @param tokenFile the bearer token file (created 0600 at first start)
 * @param auditFile where operator actions are appended (JSON lines, created 0600); null = log only
 * @param tlsKeystore PKCS#12/JKS keystore; non-null turns HTTPS on
 * @param kmsBase the KMS's base URL (e.g. {@code http://127.0.0.1:8180}) for the console's KMS panel; null = none
 * @param kmsAuditTokenFile the KMS's audit-tail token file (its {@code GET /audit}); null = no audit tail
 * @param kmsPoll how often the console's KMS panel asks the KMS while a console is open
 */
public record OpsConfig(String listenHost, int listenPort, Path tokenFile, Path auditFile, Path tlsKeystore,
                        String tlsKeystorePassword, String tlsKeystoreType, URI kmsBase, Path kmsAuditTokenFile,
                        Duration kmsPoll) {
    public OpsConfig {
        Objects.requireNonNull(listenHost, "listenHost");
        Objects.requireNonNull(tokenFile, "tokenFile");
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("admin port out of range: " + listenPort);
        }
        tlsKeystoreType = tlsKeystoreType == null ? "PKCS12" : tlsKeystoreType;
        kmsPoll = kmsPoll == null ? Duration.ofSeconds(2) : kmsPoll;
        if (kmsBase != null) {
            String s = kmsBase.toString();
            // a /kms URL (what the parties are configured with) names the same KMS: keep its base
            kmsBase = URI.create(s.endsWith("/kms") ? s.substring(0, s.length() - 4) : s.replaceAll("/+$", ""));
        }
    }

    /** Loopback on {@code port}, the given token file, no audit file, plain HTTP, no KMS panel. */
    public static OpsConfig loopback(int port, Path tokenFile) {
        return new OpsConfig("127.0.0.1", port, tokenFile, null, null, null, null, null, null, null);
    }

    public OpsConfig withAuditFile(Path f) {
        return new OpsConfig(listenHost, listenPort, tokenFile, f, tlsKeystore, tlsKeystorePassword, tlsKeystoreType,
                kmsBase, kmsAuditTokenFile, kmsPoll);
    }

    public OpsConfig withTls(Path keystore, String password, String type) {
        return new OpsConfig(listenHost, listenPort, tokenFile, auditFile, keystore, password, type, kmsBase,
                kmsAuditTokenFile, kmsPoll);
    }

    public OpsConfig withKms(URI base, Path auditTokenFile) {
        return new OpsConfig(listenHost, listenPort, tokenFile, auditFile, tlsKeystore, tlsKeystorePassword,
                tlsKeystoreType, base, auditTokenFile, kmsPoll);
    }

    public OpsConfig withListen(String host, int port) {
        return new OpsConfig(host, port, tokenFile, auditFile, tlsKeystore, tlsKeystorePassword, tlsKeystoreType,
                kmsBase, kmsAuditTokenFile, kmsPoll);
    }

    @Override
    public String toString() {
        return "OpsConfig[" + listenHost + ":" + listenPort + ", token " + tokenFile + ", audit " + auditFile
                + ", tls " + (tlsKeystore != null) + ", kms " + kmsBase + "]";
    }
}
