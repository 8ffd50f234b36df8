package org.kmsconf.sip;

import java.util.Locale;

/** Where a public identity is reached on the wire: host, port and transport ("udp" or "tcp"). */
public record Contact(String host, int port, String transport) {
    public Contact {
        transport = transport.toLowerCase(Locale.ROOT);
        if (!transport.equals("udp") && !transport.equals("tcp")) {
            throw new IllegalArgumentException("transport must be udp or tcp: " + transport);
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("bad port " + port);
        }
    }

    /** Parses {@code host:port[;transport=udp|tcp]} (default udp). */
    public static Contact parse(String text) {
        String s = text.strip();
        String transport = "udp";
        int semi = s.indexOf(';');
        if (semi >= 0) {
            String param = s.substring(semi + 1).strip();
            if (!param.toLowerCase(Locale.ROOT).startsWith("transport=")) {
                throw new IllegalArgumentException("expected host:port[;transport=udp|tcp], got " + text);
            }
            transport = param.substring("transport=".length());
            s = s.substring(0, semi);
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected host:port[;transport=udp|tcp], got " + text);
        }
        try {
            return new Contact(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)), transport);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + text);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port + ";transport=" + transport;
    }
}
