package org.kmsconf.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The admin API's bearer token: 256 random bits, base64url, in a file that only its owner may read. The file is
 * created at first start with owner-only permissions as part of its creation (never created readable and narrowed
 * afterwards); an existing file that its group or others may read or write is refused, as ssh refuses a private key
 * anyone can read. Comparison is constant-time; {@link #toString()} names the file, never the token.
 */
public final class AdminToken {
    static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final int BITS = 256;

    private final Path file;
    private final byte[] token;

    private AdminToken(Path file, byte[] token) {
        this.file = file;
        this.token = token;
    }

    /**
     * Reads the token file, creating it (mode 0600, a fresh random token) if it does not exist.
     *
     * @throws IllegalArgumentException if an existing file is open to its group or others, or holds no token
     */
    public static AdminToken loadOrCreate(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new AdminToken(file, createNew(file));
        } catch (FileAlreadyExistsException exists) {
            return new AdminToken(file, read(file).getBytes(StandardCharsets.US_ASCII)); // refused if open to others
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the admin token file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The token in an existing file (for the admin command line), after checking that only its owner may read it.
     *
     * @throws IllegalArgumentException if the file is missing, empty, or open to its group or others
     */
    public static String read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no admin token file " + file + " (the conference server creates it "
                    + "at first start)");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                throw new IllegalArgumentException("admin token file " + file + " is open to others ("
                        + PosixFilePermissions.toString(perms) + "): chmod 600 it, or delete it and restart the "
                        + "conference server for a new token");
            }
            String t = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (t.length() < 32) {
                throw new IllegalArgumentException("admin token file " + file + " holds no token (at least 32 "
                        + "characters)");
            }
            return t;
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("the file system of " + file + " has no POSIX permissions", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the admin token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] createNew(Path file) throws IOException {
        byte[] raw = new byte[BITS / 8];
        new SecureRandom().nextBytes(raw);
        String t = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        // The permissions are an attribute of the creation itself (open(2) with mode 0600): no moment where the
        // file exists and others may read it.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write((t + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        return t.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code presented} is the token, compared in constant time. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(token, presented.strip().getBytes(StandardCharsets.US_ASCII));
    }

    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "AdminToken[" + file + "]";
    }
}
