package org.kmsconf.kms.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;
import org.kmsconf.kms.crypto.OwnerOnlyFiles;

/**
 * An H2 file system ({@code jdbc:h2:owneronly:/path}) that is H2's own disk file system except that every file and
 * directory H2 creates (database, trace, temporary files) is created owner-only, 0600 / 0700, by giving the mode at
 * creation: no moment where another local user could open it, whatever the process umask.
 */
public final class OwnerOnlyFilePath extends FilePathWrapper {
    public static final String SCHEME = "owneronly";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile boolean registered;

    /** Registers the scheme with H2 (once per JVM). */
    public static void register() {
        if (!registered) {
            synchronized (OwnerOnlyFilePath.class) {
                if (!registered) {
                    FilePath.register(new OwnerOnlyFilePath());
                    registered = true;
                }
            }
        }
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    private Path nioPath() {
        String n = getBase().toString();
        return Path.of(n.startsWith("file:") ? n.substring(5) : n);
    }

    private void createIfMissing() throws IOException {
        Path p = nioPath();
        if (!Files.exists(p)) {
            try {
                OwnerOnlyFiles.createFile(p);
            } catch (FileAlreadyExistsException e) {
                // created concurrently: H2 opens what is there
            }
        }
    }

    @Override
    public boolean createFile() {
        try {
            OwnerOnlyFiles.createFile(nioPath());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void createDirectory() {
        try {
            OwnerOnlyFiles.createDirectories(nioPath());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create directory " + nioPath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        if (mode.contains("w")) {
            createIfMissing();
        }
        return super.open(mode);
    }

    @Override
    public OutputStream newOutputStream(boolean append) throws IOException {
        createIfMissing();
        return super.newOutputStream(append);
    }

    @Override
    public FilePath createTempFile(String suffix, boolean inTempDir) throws IOException {
        Path dir = inTempDir ? Path.of(System.getProperty("java.io.tmpdir")) : nioPath().toAbsolutePath().getParent();
        String prefix = inTempDir ? "h2-" : nioPath().getFileName().toString() + ".";
        while (true) {
            Path p = dir.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36) + suffix);
            try {
                OwnerOnlyFiles.createFile(p);
                return getPath(SCHEME + ":" + p.toAbsolutePath());
            } catch (FileAlreadyExistsException e) {
                // try another name
            }
        }
    }
}
