package org.kmsconf.app.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pre-shared key in a file: its hex digits on one line ({@code #} comments and blank lines allowed).
 * The file should be readable by its owner only; a wider mode is warned about, never the key.
 */
public final class PskFile {
    private static final Logger LOG = LoggerFactory.getLogger(PskFile.class);

    private PskFile() { }

    public static byte[] read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PSK file " + file + ": " + IoErrors.reason(e), e);
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("PSK file {} is readable by other users; chmod 600 it", file);
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing to check
        }
        StringBuilder hex = new StringBuilder();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            hex.append((hash >= 0 ? line.substring(0, hash) : line).strip());
        }
        String h = hex.toString();
        if (h.isEmpty() || h.length() % 2 != 0 || !h.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("PSK file " + file
                    + " must hold the key as an even number of hex digits");
        }
        byte[] psk = HexFormat.of().parseHex(h);
        if (psk.length < 16) {
            throw new IllegalArgumentException("PSK file " + file + " holds " + psk.length
                    + " bytes; at least 16 are needed");
        }
        return psk;
    }
}
