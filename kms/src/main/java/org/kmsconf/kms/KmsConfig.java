package org.kmsconf.kms;

import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * Everything a KMS process is configured with. Build one with {@link #builder()} (programmatic use, tests) or
 * {@link #fromProperties(Properties)} (the {@code --config} file of {@code kmsconf kms serve}); see docs/kms.md for
 * the property names. Secrets in here (master key hex, passwords) never appear in {@link #toString()}.
 *
 * @param dataDir directory for the default H2 database and master key file
 * @param jdbcUrl JDBC URL; null means the embedded H2 file {@code <dataDir>/kms}
 * @param dbSchema schema to use (PostgreSQL: created if missing); null = the connection's default
 * @param listenHost interface to bind
 * @param listenPort TCP port; 0 picks a free one (see {@link KmsServer#uri()})
 * @param tlsKeystore PKCS#12/JKS keystore; non-null turns HTTPS on
 * @param masterKeyFile key file (64 hex digits); null means {@code <dataDir>/master.key}
 * @param masterKeyHex the master key itself (64 hex digits), overriding env var and file; for embedding and tests
 * @param kmsIdentity the KMS's own identity (IDRkms), a URI
 * @param ticketValidity validity of issued tickets when the request names none (TRs = now, TRe = now + this)
 * @param ticketMaxValidity the longest validity the KMS grants when a request names its own TRs/TRe
 * @param clockSkew allowed clock skew for timestamps of initial messages (PROFILE.md: ±300 s)
 * @param replayCapacity replay entries of all authenticated users together (beyond it, only users below their fair
 *     share are accepted)
 * @param sharedReplay also guard replays through the database (several nodes on one store); null = on for PostgreSQL
 * @param defaultAllow whether a pair of users no policy rule matches may hold a secure session
 * @param cacheTtl how long request-path lookups (users, identities, rules, sealed keys) are cached; changes made by
 *     another process take effect within it; zero disables the cache
 * @param replayPerUser bound of one authenticated user's replay partition (entries within the skew window)
 * @param replayFsync whether each replay journal write is also synced to the disk (power loss), not only handed to
 *     the operating system (process crash)
 * @param auditRetention audit records older than this are deleted (hourly); null keeps them
 * @param auditSamplePerSource unauthenticated refusals written in full per remote address and window; the rest are
 *     counted and summarised in one record
 * @param auditSamplePerUser refusals of one authenticated user written in full per window; the rest summarised
 * @param auditSampleWindow the window of {@code auditSamplePerSource} and {@code auditSamplePerUser}
 * @param requestTimeout the longest a request may take to arrive (headers and body), however slowly it trickles
 * @param maxConnectionsPerSource connections one remote address may hold open at once
 * @param adminSocket the Unix-domain socket of the admin interface; null = {@code <dataDir>/admin.sock}
 */
public record KmsConfig(
        Path dataDir,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String dbSchema,
        int dbPoolSize,
        String listenHost,
        int listenPort,
        Path tlsKeystore,
        String tlsKeystorePassword,
        String tlsKeystoreType,
        Path masterKeyFile,
        String masterKeyHex,
        String kmsIdentity,
        Duration ticketValidity,
        Duration ticketMaxValidity,
        Duration clockSkew,
        int replayCapacity,
        Boolean sharedReplay,
        boolean defaultAllow,
        int maxBodyBytes,
        Duration idleTimeout,
        int maxThreads,
        int maxConnections,
        String nodeName,
        Duration cacheTtl,
        int replayPerUser,
        boolean replayFsync,
        Duration auditRetention,
        int auditSamplePerSource,
        int auditSamplePerUser,
        Duration auditSampleWindow,
        Duration requestTimeout,
        int maxConnectionsPerSource,
        Path adminSocket) {

    public static final String DEFAULT_KMS_IDENTITY = "sip:kms.operator";

    public KmsConfig {
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listen port out of range: " + listenPort);
        }
        if (maxBodyBytes < 256) {
            throw new IllegalArgumentException("max body must be at least 256 bytes");
        }
        if (ticketValidity.isNegative() || ticketValidity.isZero()) {
            throw new IllegalArgumentException("ticket validity must be positive");
        }
        if (ticketMaxValidity.compareTo(ticketValidity) < 0) {
            throw new IllegalArgumentException("ticket max validity must be at least the ticket validity");
        }
        if (maxThreads < 4) {
            throw new IllegalArgumentException("max threads must be at least 4");
        }
        if (replayCapacity < 1 || replayPerUser < 1) {
            throw new IllegalArgumentException("replay capacities must be at least 1");
        }
        if (clockSkew.isNegative() || clockSkew.isZero()) {
            throw new IllegalArgumentException("clock skew must be positive");
        }
        if (auditSamplePerSource < 1 || auditSamplePerUser < 1 || auditSampleWindow.isNegative() || auditSampleWindow.isZero()) {
            throw new IllegalArgumentException("audit sampling needs at least 1 record per positive window");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || maxConnectionsPerSource < 1) {
            throw new IllegalArgumentException("request timeout and connections per source must be positive");
        }
        if (auditRetention != null && (auditRetention.isNegative() || auditRetention.isZero())) {
            throw new IllegalArgumentException("audit retention must be positive");
        }
    }

    /** The admin socket actually used. */
    public Path effectiveAdminSocket() {
        return adminSocket != null ? adminSocket : dataDir.resolve("admin.sock");
    }

    /** The JDBC URL actually used: the configured one or the embedded H2 file under the data directory. */
    public String effectiveJdbcUrl() {
        if (jdbcUrl != null) {
            return jdbcUrl;
        }
        // No AUTO_SERVER, no TCP server: the embedded store has no network listener; while "kms serve" holds the
        // file, administration goes through the KMS's admin socket. The owneronly: file system creates every file
        // 0600 and directory 0700 (OwnerOnlyFilePath).
        return "jdbc:h2:" + org.kmsconf.kms.store.OwnerOnlyFilePath.SCHEME + ":" + dataDir.toAbsolutePath().resolve("kms")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
    }

    public boolean isPostgres() {
        return effectiveJdbcUrl().startsWith("jdbc:postgresql:");
    }

    /** Whether the store is a database of this process's memory only (tests, demo): nothing survives it. */
    public boolean isInMemory() {
        return effectiveJdbcUrl().startsWith("jdbc:h2:mem:");
    }

    /** Whether the embedded H2 file store is used (replay records then go to the journal in the data directory). */
    public boolean isH2File() {
        return effectiveJdbcUrl().startsWith("jdbc:h2:") && !isInMemory();
    }

    /** Whether the database-backed replay guard is on (explicit setting, else on for PostgreSQL). */
    public boolean effectiveSharedReplay() {
        return sharedReplay != null ? sharedReplay : isPostgres();
    }

    public Path effectiveMasterKeyFile() {
        return masterKeyFile != null ? masterKeyFile : dataDir.resolve("master.key");
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
        b.dataDir = dataDir;
        b.jdbcUrl = jdbcUrl;
        b.jdbcUser = jdbcUser;
        b.jdbcPassword = jdbcPassword;
        b.dbSchema = dbSchema;
        b.dbPoolSize = dbPoolSize;
        b.listenHost = listenHost;
        b.listenPort = listenPort;
        b.tlsKeystore = tlsKeystore;
        b.tlsKeystorePassword = tlsKeystorePassword;
        b.tlsKeystoreType = tlsKeystoreType;
        b.masterKeyFile = masterKeyFile;
        b.masterKeyHex = masterKeyHex;
        b.kmsIdentity = kmsIdentity;
        b.ticketValidity = ticketValidity;
        b.ticketMaxValidity = ticketMaxValidity;
        b.clockSkew = clockSkew;
        b.replayCapacity = replayCapacity;
        b.sharedReplay = sharedReplay;
        b.defaultAllow = defaultAllow;
        b.maxBodyBytes = maxBodyBytes;
        b.idleTimeout = idleTimeout;
        b.maxThreads = maxThreads;
        b.maxConnections = maxConnections;
        b.nodeName = nodeName;
        b.cacheTtl = cacheTtl;
        b.replayPerUser = replayPerUser;
        b.replayFsync = replayFsync;
        b.auditRetention = auditRetention;
        b.auditSamplePerSource = auditSamplePerSource;
        b.auditSamplePerUser = auditSamplePerUser;
        b.auditSampleWindow = auditSampleWindow;
        b.requestTimeout = requestTimeout;
        b.maxConnectionsPerSource = maxConnectionsPerSource;
        b.adminSocket = adminSocket;
        return b;
    }

    /**
     * Reads a configuration from properties (names as in docs/kms.md, e.g. {@code kms.listen=0.0.0.0:8443}) on top of
     * the defaults. Unknown {@code kms.*} names are refused, so a typo does not silently fall back to a default.
     */
    public static Builder fromProperties(Properties p) {
        Builder b = builder();
        for (String name : p.stringPropertyNames()) {
            String v = p.getProperty(name).strip();
            switch (name) {
                case "kms.data-dir" -> b.dataDir(Path.of(v));
                case "kms.jdbc-url" -> b.jdbcUrl(v);
                case "kms.jdbc-user" -> b.jdbcUser(v);
                case "kms.jdbc-password" -> b.jdbcPassword(v);
                case "kms.db-schema" -> b.dbSchema(v);
                case "kms.db-pool-size" -> b.dbPoolSize(parseInt(name, v));
                case "kms.listen" -> b.listen(v);
                case "kms.tls.keystore" -> b.tlsKeystore(Path.of(v));
                case "kms.tls.keystore-password" -> b.tlsKeystorePassword(v);
                case "kms.tls.keystore-type" -> b.tlsKeystoreType(v);
                case "kms.master-key-file" -> b.masterKeyFile(Path.of(v));
                case "kms.identity" -> b.kmsIdentity(v);
                case "kms.ticket-validity" -> b.ticketValidity(parseDuration(name, v));
                case "kms.ticket-max-validity" -> b.ticketMaxValidity(parseDuration(name, v));
                case "kms.clock-skew" -> b.clockSkew(parseDuration(name, v));
                case "kms.replay.capacity" -> b.replayCapacity(parseInt(name, v));
                case "kms.replay.shared" -> b.sharedReplay(parseBoolean(name, v));
                case "kms.policy.default" -> b.defaultAllow(parseAllowDeny(name, v));
                case "kms.http.max-body" -> b.maxBodyBytes(parseInt(name, v));
                case "kms.http.idle-timeout" -> b.idleTimeout(parseDuration(name, v));
                case "kms.http.max-threads" -> b.maxThreads(parseInt(name, v));
                case "kms.http.max-connections" -> b.maxConnections(parseInt(name, v));
                case "kms.node-name" -> b.nodeName(v);
                case "kms.cache-ttl" -> b.cacheTtl(parseDuration(name, v));
                case "kms.replay.per-user-capacity" -> b.replayPerUser(parseInt(name, v));
                case "kms.replay.fsync" -> b.replayFsync(parseBoolean(name, v));
                case "kms.audit.retention" -> b.auditRetention(parseDuration(name, v));
                case "kms.audit.sample-per-source" -> b.auditSamplePerSource(parseInt(name, v));
                case "kms.audit.sample-per-user" -> b.auditSamplePerUser(parseInt(name, v));
                case "kms.audit.sample-window" -> b.auditSampleWindow(parseDuration(name, v));
                case "kms.http.request-timeout" -> b.requestTimeout(parseDuration(name, v));
                case "kms.http.max-connections-per-source" -> b.maxConnectionsPerSource(parseInt(name, v));
                case "kms.admin.socket" -> b.adminSocket(Path.of(v));
                default -> {
                    if (name.startsWith("kms.")) {
                        throw new IllegalArgumentException("unknown configuration property " + name);
                    }
                }
            }
        }
        return b;
    }

    /** Reads a properties file (see {@link #fromProperties}). */
    public static Builder fromFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        return fromProperties(p);
    }

    /** Accepts ISO-8601 ({@code PT1H}) or a number with unit s, m, h, d ({@code 300s}, {@code 8h}). */
    public static Duration parseDuration(String name, String v) {
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            char unit = v.charAt(v.length() - 1);
            long n = Long.parseLong(Character.isDigit(unit) ? v : v.substring(0, v.length() - 1));
            return switch (Character.isDigit(unit) ? 's' : Character.toLowerCase(unit)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(name + ": not a duration: '" + v + "' (e.g. 300s, 8h, PT1H)");
        }
    }

    private static int parseInt(String name, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a number: '" + v + "'");
        }
    }

    private static boolean parseBoolean(String name, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + ": expected true or false, got '" + v + "'");
        };
    }

    private static boolean parseAllowDeny(String name, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "allow" -> true;
            case "deny" -> false;
            default -> throw new IllegalArgumentException(name + ": expected allow or deny, got '" + v + "'");
        };
    }

    @Override
    public String toString() {
        return "KmsConfig[db=" + redactUrl(effectiveJdbcUrl()) + ", listen=" + listenHost + ":" + listenPort
                + ", tls=" + (tlsKeystore != null) + ", identity=" + kmsIdentity + ", ticketValidity=" + ticketValidity
                + ", clockSkew=" + clockSkew + ", sharedReplay=" + effectiveSharedReplay() + ", node=" + nodeName + "]";
    }

    private static String redactUrl(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    /** Builder with the defaults documented in docs/kms.md. */
    public static final class Builder {
        private Path dataDir = Path.of("data", "kms");
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;
        private String dbSchema;
        private int dbPoolSize = 8;
        private String listenHost = "127.0.0.1";
        private int listenPort = 8180;
        private Path tlsKeystore;
        private String tlsKeystorePassword;
        private String tlsKeystoreType = "PKCS12";
        private Path masterKeyFile;
        private String masterKeyHex;
        private String kmsIdentity = DEFAULT_KMS_IDENTITY;
        private Duration ticketValidity = Duration.ofHours(12);
        private Duration ticketMaxValidity = Duration.ofDays(7);
        private Duration clockSkew = Duration.ofSeconds(300);
        private int replayCapacity = 400_000;
        private Boolean sharedReplay;
        private boolean defaultAllow = true;
        private int maxBodyBytes = 64 * 1024;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private int maxThreads = 64;
        private int maxConnections = 2_000;
        private String nodeName = ManagementFactory.getRuntimeMXBean().getName();
        private Duration cacheTtl = Duration.ofSeconds(1);
        private int replayPerUser = 100_000;
        private boolean replayFsync;
        private Duration auditRetention;
        private int auditSamplePerSource = 10;
        private int auditSamplePerUser = 100;
        private Duration auditSampleWindow = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxConnectionsPerSource = 64;
        private Path adminSocket;

        private Builder() {
        }

        public Builder dataDir(Path v) { this.dataDir = v; return this; }
        public Builder jdbcUrl(String v) { this.jdbcUrl = v; return this; }
        public Builder jdbcUser(String v) { this.jdbcUser = v; return this; }
        public Builder jdbcPassword(String v) { this.jdbcPassword = v; return this; }
        public Builder dbSchema(String v) { this.dbSchema = v; return this; }
        public Builder dbPoolSize(int v) { this.dbPoolSize = v; return this; }
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
        public Builder masterKeyFile(Path v) { this.masterKeyFile = v; return this; }
        public Builder masterKeyHex(String v) { this.masterKeyHex = v; return this; }
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
        public Builder sharedReplay(Boolean v) { this.sharedReplay = v; return this; }
        public Builder defaultAllow(boolean v) { this.defaultAllow = v; return this; }
        public Builder maxBodyBytes(int v) { this.maxBodyBytes = v; return this; }
        public Builder idleTimeout(Duration v) { this.idleTimeout = v; return this; }
        public Builder maxThreads(int v) { this.maxThreads = v; return this; }
        public Builder maxConnections(int v) { this.maxConnections = v; return this; }
        public Builder nodeName(String v) { this.nodeName = v; return this; }
        public Builder cacheTtl(Duration v) { this.cacheTtl = v; return this; }
        public Builder replayPerUser(int v) { this.replayPerUser = v; return this; }
        public Builder replayFsync(boolean v) { this.replayFsync = v; return this; }
        public Builder auditRetention(Duration v) { this.auditRetention = v; return this; }
        public Builder auditSamplePerSource(int v) { this.auditSamplePerSource = v; return this; }
        public Builder auditSamplePerUser(int v) { this.auditSamplePerUser = v; return this; }
        public Builder auditSampleWindow(Duration v) { this.auditSampleWindow = v; return this; }
        public Builder requestTimeout(Duration v) { this.requestTimeout = v; return this; }
        public Builder maxConnectionsPerSource(int v) { this.maxConnectionsPerSource = v; return this; }
        public Builder adminSocket(Path v) { this.adminSocket = v; return this; }

        public KmsConfig build() {
            return new KmsConfig(dataDir, jdbcUrl, jdbcUser, jdbcPassword, dbSchema, dbPoolSize, listenHost,
                    listenPort, tlsKeystore, tlsKeystorePassword, tlsKeystoreType, masterKeyFile, masterKeyHex,
                    kmsIdentity, ticketValidity, ticketMaxValidity, clockSkew, replayCapacity, sharedReplay, defaultAllow, maxBodyBytes,
                    idleTimeout, maxThreads, maxConnections, nodeName, cacheTtl, replayPerUser, replayFsync,
                    auditRetention, auditSamplePerSource, auditSamplePerUser, auditSampleWindow, requestTimeout, maxConnectionsPerSource,
                    adminSocket);
        }
    }
}
