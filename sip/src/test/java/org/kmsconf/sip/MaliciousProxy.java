package org.kmsconf.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kmsconf.sip.ue.Call;

/**
 * An attacker on the signalling path: a stateless SIP proxy over UDP (RFC 3261 §16.11, loose routing with
 * Record-Route) that the victim's requests reach because a directory or a route points at it. It forwards
 * everything faithfully, until the test hands it an {@link #interceptor}: then a request the interceptor answers
 * never reaches its destination, and the victim gets the attacker's response instead. It can also inject a request
 * into a dialog it has seen ({@link #send}). It sees what any proxy sees: headers and bodies, no keys.
 */
final class MaliciousProxy implements AutoCloseable {
    private static final Pattern VIA = Pattern.compile("(?im)^(Via|v):[^\r\n]*\r\n");
    private final DatagramSocket socket;
    private final InetSocketAddress next;
    private final Thread thread;
    private final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Answers a request (raw text) instead of forwarding it, when it returns a response text; null: forward. */
    volatile Function<String, String> interceptor = r -> null;

    /** @param next where requests go that are not routed elsewhere (the real server behind the attacker) */
    MaliciousProxy(InetSocketAddress next) throws SocketException {
        this.next = next;
        this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        this.thread = new Thread(this::loop, "malicious-proxy");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    Contact contact() {
        return new Contact("127.0.0.1", socket.getLocalPort(), "udp");
    }

    /** Every message that passed (requests and responses), as text. */
    List<String> seen() {
        return seen;
    }

    /** Sends a message of the attacker's own making. */
    void send(String text, InetSocketAddress to) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(b, b.length, to));
    }

    private void loop() {
        byte[] buf = new byte[65535];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                String msg = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                seen.add(msg);
                if (msg.startsWith("SIP/2.0 ")) {
                    response(msg);
                } else {
                    request(msg, (InetSocketAddress) p.getSocketAddress());
                }
            } catch (IOException | RuntimeException e) {
                if (!socket.isClosed()) {
                    System.err.println("malicious proxy: " + e);
                }
            }
        }
    }

    private void request(String msg, InetSocketAddress from) throws IOException {
        String answer = interceptor.apply(msg);
        if (answer != null) {
            send(answer, from);
            return;
        }
        String me = "127.0.0.1:" + socket.getLocalPort();
        String out = msg;
        InetSocketAddress dest;
        Matcher route = Pattern.compile("(?im)^Route:\\s*<sip:" + Pattern.quote(me) + ";lr>\r\n").matcher(out);
        if (route.find()) { // loose routing: we were the route; on to the Request-URI
            out = out.substring(0, route.start()) + out.substring(route.end());
            dest = hostPort(out.substring(0, out.indexOf("\r\n")).split(" ")[1]);
        } else { // an initial request sent to us as if we were the server: on to the real one
            String line = out.substring(0, out.indexOf("\r\n"));
            String[] parts = line.split(" ");
            String uri = parts[1].replaceFirst("@[^;>]+", "@" + next.getHostString() + ":" + next.getPort());
            out = parts[0] + " " + uri + " " + parts[2] + out.substring(line.length());
            dest = next;
            if (!msg.matches("(?s)^(ACK|BYE|CANCEL) .*") && !toTagged(msg)) {
                out = insertAfterFirstLine(out, "Record-Route: <sip:" + me + ";lr>\r\n");
            }
        }
        // RFC 3261 §16.11: a stateless proxy derives its branch from the request, so that a retransmission gets the
        // same one (a new one would be a merged request, 482); with our port in it, a proxy started later never
        // reuses a branch an earlier one gave a transaction that is still alive.
        Matcher topVia = VIA.matcher(msg);
        String incoming = topVia.find() ? topVia.group() : msg;
        String method = msg.substring(0, msg.indexOf(' '));
        out = insertAfterFirstLine(out, "Via: SIP/2.0/UDP " + me + ";branch=z9hG4bK-px" + socket.getLocalPort() + "-"
                + Integer.toHexString((incoming + method).hashCode()) + "\r\n");
        send(out, dest);
    }

    private void response(String msg) throws IOException {
        Matcher via = VIA.matcher(msg);
        if (!via.find()) {
            return;
        }
        // Our Via is the first value; a stack may put several values in one header line (RFC 3261 §7.3.1).
        String line = via.group();
        int comma = line.indexOf(',');
        String rest = comma < 0 ? msg.substring(0, via.start()) + msg.substring(via.end())
                : msg.substring(0, via.start()) + "Via: " + line.substring(comma + 1).strip() + "\r\n"
                        + msg.substring(via.end());
        Matcher nextVia = VIA.matcher(rest);
        if (!nextVia.find()) {
            return;
        }
        String v = nextVia.group().split(",")[0];
        Matcher rport = Pattern.compile("rport=(\\d+)").matcher(v);
        Matcher received = Pattern.compile("received=([0-9.]+)").matcher(v);
        Matcher sentBy = Pattern.compile("SIP/2.0/UDP ([^;\\s,]+)", Pattern.CASE_INSENSITIVE).matcher(v);
        if (!sentBy.find()) {
            return;
        }
        InetSocketAddress to = hostPort("sip:" + sentBy.group(1));
        String host = received.find() ? received.group(1) : to.getHostString();
        int port = rport.find() ? Integer.parseInt(rport.group(1)) : to.getPort();
        send(rest, new InetSocketAddress(host, port));
    }

    private static boolean toTagged(String msg) {
        Matcher to = Pattern.compile("(?im)^(To|t):[^\r\n]*").matcher(msg);
        return to.find() && to.group().toLowerCase(Locale.ROOT).contains(";tag=");
    }

    private static String insertAfterFirstLine(String msg, String header) {
        int eol = msg.indexOf("\r\n") + 2;
        return msg.substring(0, eol) + header + msg.substring(eol);
    }

    private static InetSocketAddress hostPort(String uri) {
        String s = uri.replaceFirst("^<?sips?:", "");
        s = s.substring(s.indexOf('@') + 1);
        int semi = s.indexOf(';');
        if (semi >= 0) {
            s = s.substring(0, semi);
        }
        s = s.replace(">", "");
        int colon = s.lastIndexOf(':');
        return colon < 0 ? new InetSocketAddress(s, 5060)
                : new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    }

    /** A header's value in a raw message (first occurrence), or null. */
    static String header(String msg, String name) {
        Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*([^\r\n]*)").matcher(msg);
        return m.find() ? m.group(1) : null;
    }

    /** The body of a raw message. */
    static String body(String msg) {
        int i = msg.indexOf("\r\n\r\n");
        return i < 0 ? "" : msg.substring(i + 4);
    }

    /**
     * A response to a raw request: status line, the request's Via headers, From, To (with a tag), Call-ID, CSeq,
     * a Contact, and a body of {@code contentType} (none when null).
     */
    static String respond(String req, int status, String reason, String contact, String contentType, String body) {
        List<String> h = new ArrayList<>();
        h.add("SIP/2.0 " + status + " " + reason);
        Matcher via = VIA.matcher(req);
        while (via.find()) {
            h.add(via.group().strip());
        }
        h.add("From: " + header(req, "From"));
        String to = header(req, "To");
        h.add("To: " + (to.contains(";tag=") ? to : to + ";tag=attacker" + Math.abs(req.hashCode())));
        h.add("Call-ID: " + header(req, "Call-ID"));
        h.add("CSeq: " + header(req, "CSeq"));
        if (contact != null) {
            h.add("Contact: " + contact);
        }
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            h.add("Content-Type: " + contentType);
        }
        h.add("Content-Length: " + b.length);
        return String.join("\r\n", h) + "\r\n\r\n" + (body == null ? "" : body);
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
