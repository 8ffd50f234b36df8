package org.kmsconf.app.keylog;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.kmsconf.app.config.IoErrors;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.trace.KeyLogListener;

/**
 * The debugging key log of docs/demo.md "The key log": {@code PSK <sip-uri> <hex>} per public identity and
 * {@code SRTP <sender-uri> <receiver-uri> 0x<ssrc> <master-key-hex> <master-salt-hex>} per crypto session;
 * {@code #} starts a comment. Anyone holding this file can decrypt the media: it exists to let an engineer check
 * a capture, never for production. The file is created owner-readable only and each line is flushed at once.
 *
 * <p>Both ends of a leg derive the same keys and may both report them; a crypto session (sender, receiver, SSRC,
 * same keys) is written once.
 */
public final class KeyLogFile implements KeyLogListener, AutoCloseable {
    private static final HexFormat HEX = HexFormat.of();

    private final BufferedWriter out;
    private final Set<String> written = new HashSet<>();

    private KeyLogFile(BufferedWriter out) {
        this.out = out;
    }

    /** Creates (or truncates) {@code file} with a header comment saying what it is. */
    public static KeyLogFile create(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(file);
            try {
                Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            KeyLogFile log = new KeyLogFile(w);
            log.comment("kmsconf key log, FOR DEBUGGING ONLY: these keys decrypt the media of this run");
            log.comment("written " + Instant.now() + "; format: docs/demo.md \"The key log\"");
            log.comment("PSK <sip-uri> <psk-hex>");
            log.comment("SRTP <sender-uri> <receiver-uri> 0x<ssrc> <master-key-hex> <master-salt-hex>");
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create key log " + file + ": " + IoErrors.reason(e), e);
        }
    }

    /** A {@code #} comment line (newlines in the text are flattened). */
    public synchronized void comment(String text) {
        line("# " + text.replace('\n', ' ').replace('\r', ' '));
    }

    /** One {@code PSK} line for one public identity; call it for each identity sharing the key. */
    public synchronized void psk(String sipUri, byte[] psk) {
        requireToken(sipUri);
        line("PSK " + sipUri + " " + HEX.formatHex(psk));
    }

    @Override
    public synchronized void srtpKeys(String senderUri, String receiverUri, Ssrc ssrc, SrtpKeys keys) {
        requireToken(senderUri);
        requireToken(receiverUri);
        byte[] key = keys.masterKey();
        byte[] salt = keys.masterSalt();
        try {
            String text = "SRTP " + senderUri + " " + receiverUri + " " + ssrc + " " + HEX.formatHex(key)
                    + " " + HEX.formatHex(salt) + " " + keys.policy().name();
            if (written.add(text)) {
                line(text);
            }
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(salt, (byte) 0);
        }
    }


    private static void requireToken(String uri) {
        if (uri == null || uri.isEmpty() || uri.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("a key-log URI must be one non-empty token");
        }
    }

    private void line(String text) {
        try {
            out.write(text);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key log: " + IoErrors.reason(e), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the key log: " + IoErrors.reason(e), e);
        }
    }
}
