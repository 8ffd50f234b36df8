package org.kmsconf.kms;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Properties;

/**
 * The {@code --config} file of {@code kmsconf kms serve}: Java properties named as in docs/kms.md (e.g.
 * {@code kms.listen=0.0.0.0:8443}), read on top of the defaults. Unknown {@code kms.*} names are refused, so a typo
 * does not silently fall back to a default.
 */
public final class KmsConfigFile {
    private KmsConfigFile() {
    }

    /** Reads a properties file (see {@link #fromProperties}). */
    public static KmsConfig.Builder read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        return fromProperties(p);
    }

    public static KmsConfig.Builder fromProperties(Properties p) {
        KmsConfig.Builder b = KmsConfig.builder();
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
                case "kms.http.io-threads" -> b.ioThreads(parseInt(name, v));
                case "kms.http.answer-on-io-threads" -> b.answerOnIoThreads(parseBoolean(name, v));
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
}
