package org.kmsconf.kms.crypto;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories of the KMS's data directory are owner-only from the moment they exist: directories 0700,
 * files 0600, given as the creation mode (the process umask can only remove bits from it), never set by a chmod
 * afterwards, so there is no window in which another local user could open them.
 */
public final class OwnerOnlyFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    /** rw------- at creation. */
    public static final FileAttribute<?>[] FILE = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];
    /** rwx------ at creation. */
    public static final FileAttribute<?>[] DIRECTORY = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
            : new FileAttribute<?>[0];

    private OwnerOnlyFiles() {
    }

    /**
     * Creates {@code dir} and any missing parent owner-only (0700). An existing directory is left as it is, but an
     * existing data directory that others can enter is reported by {@link #groupOrOtherAccess}.
     */
    public static void createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return;
        }
        Path parent = abs.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(abs, DIRECTORY);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw e;
            }
        }
    }

    /** Creates an empty owner-only (0600) file; fails if it exists. */
    public static void createFile(Path file) throws IOException {
        Files.createFile(file, FILE);
    }

    /** The permissions of {@code p} that give its group or others any access (empty on non-POSIX file systems). */
    public static Set<PosixFilePermission> groupOrOtherAccess(Path p) throws IOException {
        if (!POSIX) {
            return Set.of();
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        perms.removeAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        return perms;
    }
}
