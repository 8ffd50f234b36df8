package org.kmsconf.kms.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the master key comes from, in this order: the environment variable {@value #ENV} (64 hex digits), else
 * the key file (64 hex digits on one line). When neither exists and creation is allowed ({@code kms init}, first
 * {@code kms serve}), a fresh key is written to the key file (mode 0600) and a log line says so.
 */
public final class MasterKeySource {
    public static final String ENV = "KMSCONF_MASTER_KEY";
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeySource.class);

    private MasterKeySource() {
    }

    /**
     * Loads (or, if {@code create}, creates) the master key.
     *
     * @param envValue the value of {@value #ENV} (null when unset)
     * @param keyFile the key file
     * @param create whether a missing key file may be created
     */
    public static MasterKey load(String envValue, Path keyFile, boolean create) {
        if (envValue != null && !envValue.isBlank()) {
            return MasterKey.of(parseHex(envValue.strip(), "environment variable " + ENV));
        }
        if (Files.exists(keyFile)) {
            try {
                String text = Files.readString(keyFile, StandardCharsets.US_ASCII).strip();
                return MasterKey.of(parseHex(text, "master key file " + keyFile));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read master key file " + keyFile + ": " + e.getMessage());
            }
        }
        if (!create) {
            throw new IllegalArgumentException("no master key: set " + ENV + " or create the key file " + keyFile
                    + " (kmsconf kms init)");
        }
        return create(keyFile);
    }

    private static MasterKey create(Path keyFile) {
        byte[] k = new byte[MasterKey.KEY_BYTES];
        new java.security.SecureRandom().nextBytes(k);
        try {
            Path parent = keyFile.toAbsolutePath().getParent();
            if (parent != null) {
                OwnerOnlyFiles.createDirectories(parent);
            }
            OwnerOnlyFiles.createFile(keyFile); // 0600 from its creation, before a byte of key is in it
            Files.writeString(keyFile, HexFormat.of().formatHex(k) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.TRUNCATE_EXISTING);
            LOG.warn("created a new KMS master key in {}: back it up; without it no stored key can be opened",
                    keyFile.toAbsolutePath());
            return MasterKey.of(k);
        } catch (FileAlreadyExistsException e) {
            return load(null, keyFile, false);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create master key file " + keyFile + ": " + e.getMessage());
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    private static byte[] parseHex(String hex, String where) {
        if (hex.length() != 2 * MasterKey.KEY_BYTES) {
            throw new IllegalArgumentException(where + " must hold " + 2 * MasterKey.KEY_BYTES
                    + " hex digits (a 256-bit key), found " + hex.length() + " characters");
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " is not hexadecimal");
        }
    }
}
