package org.kmsconf.kms;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.kmsconf.kms.audit.AuditConfig;
import org.kmsconf.kms.http.HttpConfig;
import org.kmsconf.kms.store.StoreConfig;

/**
 * Everything a KMS process is configured with: the store ({@link StoreConfig}), the HTTP interface
 * ({@link HttpConfig}), the audit trail ({@link AuditConfig}) and, here, the protocol's own settings. Build one with
 * {@link #builder()} (programmatic use, tests) or {@link KmsConfigFile} (the {@code --config} file of
 * {@code kmsconf kms serve}); see docs/kms.md for the property names. Secrets (master key hex, passwords) never
 * appear in {@link #toString()}.
 *
 * @param kmsIdentity the KMS's own identity (IDRkms), a URI
 * @param ticketValidity validity of issued tickets when the request names none (TRs = now, TRe = now + this)
 * @param ticketMaxValidity the longest validity the KMS grants when a request names its own TRs/TRe
 * @param clockSkew allowed clock skew for timestamps of initial messages (docs/profile.md §1 row 15: ±300 s)
 * @param replayCapacity replay entries of all authenticated users together (beyond it, only users below their fair
 *     share are accepted)
 * @param replayPerUser bound of one authenticated user's replay partition (entries within the skew window)
 * @param sharedReplay also guard replays through the database (several nodes on one store); null = on for PostgreSQL
 * @param replayFsync whether each replay journal write is also synced to the disk (power
 *     loss), not only handed to the operating system (process crash)
 * @param defaultAllow whether a pair of users no policy rule matches may hold a secure session
 * @param adminSocket the Unix-domain socket of the admin interface; null = {@code <dataDir>/admin.sock}
 */
public record KmsConfig(
        StoreConfig store,
        HttpConfig http,
        AuditConfig audit,
        String kmsIdentity,
        Duration ticketValidity,
        Duration ticketMaxValidity,
        Duration clockSkew,
        int replayCapacity,
        int replayPerUser,
        Boolean sharedReplay,
        boolean replayFsync,
        boolean defaultAllow,
        Path adminSocket) {

    public static final String DEFAULT_KMS_IDENTITY = "sip:kms.operator";

    public KmsConfig {
        if (ticketValidity.isNegative() || ticketValidity.isZero()) {
            throw new IllegalArgumentException("ticket validity must be positive");
        }
        if (ticketMaxValidity.compareTo(ticketValidity) < 0) {
            throw new IllegalArgumentException("ticket max validity must be at least the ticket validity");
        }
        if (replayCapacity < 1 || replayPerUser < 1) {
            throw new IllegalArgumentException("replay capacities must be at least 1");
        }
        if (clockSkew.isNegative() || clockSkew.isZero()) {
            throw new IllegalArgumentException("clock skew must be positive");
        }
    }

    /** The admin socket actually used. */
    public Path effectiveAdminSocket() {
        return adminSocket != null ? adminSocket : store.dataDir().resolve("admin.sock");
    }

    /** Whether the database-backed replay guard is on (explicit setting, else on for PostgreSQL). */
    public boolean effectiveSharedReplay() {
        return sharedReplay != null ? sharedReplay : store.isPostgres();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A configuration for an embedded KMS in tests and demos: a private in-memory H2 database, a fresh random master
     * key, loopback on a free port, plain HTTP.
     */
    public static Builder inMemory() {
        byte[] k = new byte[32];
        new java.security.SecureRandom().nextBytes(k);
        return builder()
                .jdbcUrl("jdbc:h2:mem:kms-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1")
                .masterKeyHex(java.util.HexFormat.of().formatHex(k))
                .listen("127.0.0.1", 0);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.dataDir = store.dataDir();
        b.jdbcUrl = store.jdbcUrl();
        b.jdbcUser = store.jdbcUser();
        b.jdbcPassword = store.jdbcPassword();
        b.dbSchema = store.dbSchema();
        b.dbPoolSize = store.dbPoolSize();
        b.masterKeyFile = store.masterKeyFile();
        b.masterKeyHex = store.masterKeyHex();
        b.nodeName = store.nodeName();
        b.cacheTtl = store.cacheTtl();
        b.listenHost = http.listenHost();
        b.listenPort = http.listenPort();
        b.tlsKeystore = http.tlsKeystore();
        b.tlsKeystorePassword = http.tlsKeystorePassword();
        b.tlsKeystoreType = http.tlsKeystoreType();
        b.maxBodyBytes = http.maxBodyBytes();
        b.idleTimeout = http.idleTimeout();
        b.maxThreads = http.maxThreads();
        b.maxConnections = http.maxConnections();
        b.requestTimeout = http.requestTimeout();
        b.maxConnectionsPerSource = http.maxConnectionsPerSource();
        b.ioThreads = http.ioThreads();
        b.answerOnIoThreads = http.answerOnIoThreads();
        b.auditRetention = audit.retention();
        b.auditSamplePerSource = audit.samplePerSource();
        b.auditSamplePerUser = audit.samplePerUser();
        b.auditSampleWindow = audit.sampleWindow();
        b.kmsIdentity = kmsIdentity;
        b.ticketValidity = ticketValidity;
        b.ticketMaxValidity = ticketMaxValidity;
        b.clockSkew = clockSkew;
        b.replayCapacity = replayCapacity;
        b.replayPerUser = replayPerUser;
        b.sharedReplay = sharedReplay;
        b.replayFsync = replayFsync;
        b.defaultAllow = defaultAllow;
        b.adminSocket = adminSocket;
        return b;
    }

    @Override
    public String toString() {
        return "KmsConfig[" + store + ", " + http + ", identity=" + kmsIdentity + ", ticketValidity="
                + ticketValidity + ", clockSkew=" + clockSkew + ", sharedReplay=" + effectiveSharedReplay() + "]";
    }

    /** Builder with the defaults documented in docs/kms.md. */
    public static final class Builder {
        private Path dataDir = Path.of("data", "kms");
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;
        private String dbSchema;
        private int dbPoolSize = 8;
        private Path masterKeyFile;
        private String masterKeyHex;
        private String nodeName = ManagementFactory.getRuntimeMXBean().getName();
        private Duration cacheTtl = Duration.ofSeconds(1);
        private String listenHost = "127.0.0.1";
        private int listenPort = 8180;
        private Path tlsKeystore;
        private String tlsKeystorePassword;
        private String tlsKeystoreType = "PKCS12";
        private int maxBodyBytes = 64 * 1024;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private int maxThreads = 64;
        private int maxConnections = 2_000;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxConnectionsPerSource = 64;
        private int ioThreads = HttpConfig.DEFAULT_IO_THREADS;
        private boolean answerOnIoThreads = true;
        private Duration auditRetention;
        private int auditSamplePerSource = 10;
        private int auditSamplePerUser = 100;
        private Duration auditSampleWindow = Duration.ofSeconds(60);
        private String kmsIdentity = DEFAULT_KMS_IDENTITY;
        private Duration ticketValidity = Duration.ofHours(12);
        private Duration ticketMaxValidity = Duration.ofDays(7);
        private Duration clockSkew = Duration.ofSeconds(300);
        private int replayCapacity = 400_000;
        private int replayPerUser = 100_000;
        private Boolean sharedReplay;
        private boolean replayFsync;
        private boolean defaultAllow = true;
        private Path adminSocket;

        private Builder() {
        }

        public Builder dataDir(Path v) { this.dataDir = v; return this; }
        public Builder jdbcUrl(String v) { this.jdbcUrl = v; return this; }
        public Builder jdbcUser(String v) { this.jdbcUser = v; return this; }
        public Builder jdbcPassword(String v) { this.jdbcPassword = v; return this; }
        public Builder dbSchema(String v) { this.dbSchema = v; return this; }
        public Builder dbPoolSize(int v) { this.dbPoolSize = v; return this; }
        public Builder masterKeyFile(Path v) { this.masterKeyFile = v; return this; }
        public Builder masterKeyHex(String v) { this.masterKeyHex = v; return this; }
        public Builder nodeName(String v) { this.nodeName = v; return this; }
        public Builder cacheTtl(Duration v) { this.cacheTtl = v; return this; }
        public Builder listenHost(String v) { this.listenHost = v; return this; }
        public Builder listenPort(int v) { this.listenPort = v; return this; }
        public Builder listen(String host, int port) { this.listenHost = host; this.listenPort = port; return this; }

        /** {@code host:port} (IPv6 hosts in brackets: {@code [::1]:8180}). */
        public Builder listen(String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostPort.length() - 1) {
                throw new IllegalArgumentException("listen address must be host:port, got '" + hostPort + "'");
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                return listen(host, Integer.parseInt(hostPort.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("listen port is not a number in '" + hostPort + "'");
            }
        }

        public Builder tlsKeystore(Path v) { this.tlsKeystore = v; return this; }
        public Builder tlsKeystorePassword(String v) { this.tlsKeystorePassword = v; return this; }
        public Builder tlsKeystoreType(String v) { this.tlsKeystoreType = v; return this; }
        public Builder maxBodyBytes(int v) { this.maxBodyBytes = v; return this; }
        public Builder idleTimeout(Duration v) { this.idleTimeout = v; return this; }
        public Builder maxThreads(int v) { this.maxThreads = v; return this; }
        public Builder ioThreads(int v) { this.ioThreads = v; return this; }
        public Builder answerOnIoThreads(boolean v) { this.answerOnIoThreads = v; return this; }
        public Builder maxConnections(int v) { this.maxConnections = v; return this; }
        public Builder requestTimeout(Duration v) { this.requestTimeout = v; return this; }
        public Builder maxConnectionsPerSource(int v) { this.maxConnectionsPerSource = v; return this; }
        public Builder auditRetention(Duration v) { this.auditRetention = v; return this; }
        public Builder auditSamplePerSource(int v) { this.auditSamplePerSource = v; return this; }
        public Builder auditSamplePerUser(int v) { this.auditSamplePerUser = v; return this; }
        public Builder auditSampleWindow(Duration v) { this.auditSampleWindow = v; return this; }
        public Builder kmsIdentity(String v) { this.kmsIdentity = v; return this; }

        /** Validity of a ticket whose request names none; raises the max validity if it was lower. */
        public Builder ticketValidity(Duration v) {
            this.ticketValidity = v;
            if (ticketMaxValidity.compareTo(v) < 0) {
                ticketMaxValidity = v;
            }
            return this;
        }

        public Builder ticketMaxValidity(Duration v) { this.ticketMaxValidity = v; return this; }
        public Builder clockSkew(Duration v) { this.clockSkew = v; return this; }
        public Builder replayCapacity(int v) { this.replayCapacity = v; return this; }
        public Builder replayPerUser(int v) { this.replayPerUser = v; return this; }
        public Builder sharedReplay(Boolean v) { this.sharedReplay = v; return this; }
        public Builder replayFsync(boolean v) { this.replayFsync = v; return this; }
        public Builder defaultAllow(boolean v) { this.defaultAllow = v; return this; }
        public Builder adminSocket(Path v) { this.adminSocket = v; return this; }

        public KmsConfig build() {
            return new KmsConfig(
                    new StoreConfig(dataDir, jdbcUrl, jdbcUser, jdbcPassword, dbSchema, dbPoolSize, masterKeyFile,
                            masterKeyHex, nodeName, cacheTtl),
                    new HttpConfig(listenHost, listenPort, tlsKeystore, tlsKeystorePassword, tlsKeystoreType,
                            maxBodyBytes, idleTimeout, maxThreads, maxConnections, requestTimeout,
                            maxConnectionsPerSource, ioThreads, answerOnIoThreads),
                    new AuditConfig(auditRetention, auditSamplePerSource, auditSamplePerUser, auditSampleWindow),
                    kmsIdentity, ticketValidity, ticketMaxValidity, clockSkew, replayCapacity, replayPerUser,
                    sharedReplay, replayFsync, defaultAllow, adminSocket);
        }
    }
}
