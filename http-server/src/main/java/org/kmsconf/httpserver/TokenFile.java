package org.kmsconf.httpserver;

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
 * A bearer token in a file only its owner may read: 256 random bits, base64url. The server creates the file at its
 * first start with owner-only permissions as part of the creation itself (open(2) with mode 0600: never created
 * readable and narrowed afterwards); an existing file that its group or others may read or write is refused, as ssh
 * refuses a private key anyone can read. A presented token is compared in constant time; {@link #toString()} names
 * the file, never the token.
 */
public final class TokenFile {
    /** rw------- */
    public static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final int BITS = 256;
    private static final int MIN_LENGTH = 32;

    /**
     * What a token is for, in the words of its errors: e.g. "admin token", and who creates its file ("the conference
     * server").
     */
    public record Purpose(String name, String creator) { }

    private final Path file;
    private final Purpose purpose;
    private final byte[] token;

    private TokenFile(Path file, Purpose purpose, byte[] token) {
        this.file = file;
        this.purpose = purpose;
        this.token = token;
    }

    /**
     * Reads the token file, creating it (mode 0600, a fresh random token, its directory if missing) if it does not
     * exist.
     *
     * @throws IllegalArgumentException if an existing file is open to its group or others, or holds no token
     */
    public static TokenFile loadOrCreate(Path file, Purpose purpose) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new TokenFile(file, purpose, createNew(file));
        } catch (FileAlreadyExistsException exists) {
            return new TokenFile(file, purpose, read(file, purpose).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the " + purpose.name() + " file " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The token in an existing file (for a client on the same host), after checking that only its owner may read it.
     *
     * @throws IllegalArgumentException if the file is missing, empty, or open to its group or others
     */
    public static String read(Path file, Purpose purpose) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no " + purpose.name() + " file " + file + " (" + purpose.creator()
                    + " creates it at first start)");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                throw new IllegalArgumentException(purpose.name() + " file " + file + " is open to others ("
                        + PosixFilePermissions.toString(perms) + "): chmod 600 it, or delete it and restart "
                        + purpose.creator() + " for a new token");
            }
            String t = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (t.length() < MIN_LENGTH) {
                throw new IllegalArgumentException(purpose.name() + " file " + file + " holds no token (at least "
                        + MIN_LENGTH + " characters)");
            }
            return t;
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("the file system of " + file + " has no POSIX permissions", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + purpose.name() + " file " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private static byte[] createNew(Path file) throws IOException {
        byte[] raw = new byte[BITS / 8];
        new SecureRandom().nextBytes(raw);
        String t = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
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

    /**
     * Whether an {@code Authorization} header value is {@code Bearer <the token>} (scheme case-insensitive), compared
     * in constant time.
     */
    public boolean matchesBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && matches(authorization.substring(7));
    }

    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "TokenFile[" + purpose.name() + ", " + file + "]";
    }
}
