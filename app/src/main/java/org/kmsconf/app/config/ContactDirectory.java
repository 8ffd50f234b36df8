package org.kmsconf.app.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where each public identity can be reached over SIP, read from a small text file (there is no registrar on
 * loopback). One contact per line, {@code #} starts a comment:
 *
 * <pre>
 * # identity                  host:port         transport (udp|tcp, default udp)
 * sip:alice@operator          127.0.0.1:5071    udp
 * sip:factory.conference1@operator 127.0.0.1:5060
 * </pre>
 * A line whose identity is {@code *.conference1@operator} style (a leading {@code *.} in the user part)
 * matches every focus of that conference system.
 */
public record ContactDirectory(Map<String, Contact> contacts) {

    /** Where one identity listens. */
    public record Contact(String uri, String host, int port, String transport) {
        public InetSocketAddress address() {
            return new InetSocketAddress(host, port);
        }

        @Override
        public String toString() {
            return uri + " at " + host + ":" + port + ";transport=" + transport;
        }
    }

    public ContactDirectory {
        contacts = Map.copyOf(contacts);
    }

    public static ContactDirectory empty() {
        return new ContactDirectory(Map.of());
    }

    public static ContactDirectory read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read contact directory " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the lines; a bad line is an {@link IllegalArgumentException} naming the file and line. */
    public static ContactDirectory parse(List<String> lines, String source) {
        Map<String, Contact> map = new LinkedHashMap<>();
        int n = 0;
        for (String raw : lines) {
            n++;
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < 2 || f.length > 3) {
                throw new IllegalArgumentException(source + ":" + n + ": expected '<sip-uri> <host:port> [udp|tcp]'");
            }
            String uri = f[0];
            if (!uri.startsWith("sip:") || uri.indexOf('@') < 0) {
                throw new IllegalArgumentException(source + ":" + n + ": '" + uri + "' is not a sip:user@domain URI");
            }
            HostPort hp = HostPort.parse(f[1], source + ":" + n);
            String transport = f.length == 3 ? f[2].toLowerCase(Locale.ROOT) : "udp";
            if (!transport.equals("udp") && !transport.equals("tcp")) {
                throw new IllegalArgumentException(source + ":" + n + ": transport must be udp or tcp");
            }
            map.put(uri, new Contact(uri, hp.host(), hp.port(), transport));
        }
        return new ContactDirectory(map);
    }

    /** The contact of {@code uri}, or of a {@code sip:*.<rest>} wildcard entry matching it. */
    public Optional<Contact> lookup(String uri) {
        Contact c = contacts.get(uri);
        if (c != null) {
            return Optional.of(c);
        }
        int dot = uri.indexOf('.');
        int at = uri.indexOf('@');
        if (uri.startsWith("sip:") && dot > 0 && dot < at) {
            Contact wild = contacts.get("sip:*" + uri.substring(dot));
            if (wild != null) {
                return Optional.of(new Contact(uri, wild.host(), wild.port(), wild.transport()));
            }
        }
        return Optional.empty();
    }
}
