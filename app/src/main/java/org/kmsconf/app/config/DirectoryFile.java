package org.kmsconf.app.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.kmsconf.sip.Contact;
import org.kmsconf.sip.Directory;

/**
 * The contact directory file of {@code kmsconf conference serve} and {@code kmsconf ue}: where each public identity
 * is reached over SIP (there is no registrar on loopback). One contact per line, {@code #} starts a comment:
 *
 * <pre>
 * # identity                          host:port        transport (udp|tcp, default udp)
 * sip:alice@operator                  127.0.0.1:5071   udp
 * sip:factory.conference1@operator    127.0.0.1:5060
 * sip:*.conference1@operator          127.0.0.1:5060   # every focus of that conference system
 * </pre>
 */
public final class DirectoryFile {
    private DirectoryFile() { }

    public static Directory read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read contact directory " + file + ": " + IoErrors.reason(e),
                    e);
        }
    }

    /** Parses the lines; a bad line is an {@link IllegalArgumentException} naming the file and line. */
    public static Directory parse(List<String> lines, String source) {
        Directory d = new Directory();
        int n = 0;
        for (String raw : lines) {
            n++;
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = source + ":" + n;
            String[] f = line.split("\\s+");
            if (f.length < 2 || f.length > 3) {
                throw new IllegalArgumentException(where + ": expected '<sip-uri> <host:port> [udp|tcp]'");
            }
            if (!f[0].startsWith("sip:") || f[0].indexOf('@') < 0) {
                throw new IllegalArgumentException(where + ": '" + f[0] + "' is not a sip:user@domain URI");
            }
            HostPort hp = HostPort.parse(f[1], where);
            String transport = f.length == 3 ? f[2].toLowerCase(Locale.ROOT) : "udp";
            if (!transport.equals("udp") && !transport.equals("tcp")) {
                throw new IllegalArgumentException(where + ": transport must be udp or tcp");
            }
            try {
                d.put(f[0], new Contact(hp.host(), hp.port(), transport));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
        }
        return d;
    }
}
