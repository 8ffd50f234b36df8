package org.kmsconf.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.kmsconf.sip.Contact;
import picocli.CommandLine.Option;

/**
 * Options every SIP party of the command line shares (conference server and user agent): where it listens,
 * which transport it prefers, where the KMS is, its PSK and the contact directory.
 */
public final class SipOptions {
    @Option(names = "--sip-listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:5060",
            description = "Address to listen on for SIP, UDP and TCP (default ${DEFAULT-VALUE}; port 0 = any free "
                    + "port).")
    public String sipListen;

    @Option(names = "--transport", paramLabel = "udp|tcp", defaultValue = "udp",
            description = "Transport for the requests this party sends (default ${DEFAULT-VALUE}).")
    public String transport;

    @Option(names = "--kms", paramLabel = "URL", split = ",",
            description = "KMS URL(s), e.g. http://127.0.0.1:8080/kms; several are tried in order.")
    public List<String> kms = new ArrayList<>();

    @Option(names = "--psk-file", paramLabel = "FILE",
            description = "File holding this party's pre-shared key with the KMS, as hex (mode 600).")
    public Path pskFile;

    @Option(names = "--directory", paramLabel = "FILE",
            description = "Contact directory: lines '<sip-uri> <host:port> [udp|tcp]'; 'sip:*.suffix@domain' matches "
                    + "every focus of a conference system.")
    public Path directory;

    @Option(names = "--sip-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for a SIP answer (default ${DEFAULT-VALUE}).")
    public int sipTimeout;

    @Option(names = "--media-bind", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address to bind RTP/SRTP sockets to (default ${DEFAULT-VALUE}).")
    public String mediaBind;

    public HostPort listen() {
        return HostPort.parse(sipListen, "--sip-listen");
    }

    public String transport() {
        return transport(transport);
    }

    /** A {@code --transport} value, udp or tcp in any case, as lower case. */
    public static String transport(String value) {
        String t = value.toLowerCase(java.util.Locale.ROOT);
        if (!t.equals("udp") && !t.equals("tcp")) {
            throw new IllegalArgumentException("--transport must be udp or tcp, got " + value);
        }
        return t;
    }

    public Duration timeout() {
        return Duration.ofSeconds(sipTimeout);
    }

    public List<String> kmsUrls() {
        if (kms.isEmpty()) {
            throw new IllegalArgumentException("--kms URL is required (e.g. http://127.0.0.1:8080/kms)");
        }
        return List.copyOf(kms);
    }

    public byte[] psk() {
        if (pskFile == null) {
            throw new IllegalArgumentException("--psk-file is required");
        }
        return PskFile.read(pskFile);
    }
}
