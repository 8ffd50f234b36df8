package org.kmsconf.bench.kms;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The benches' minimal blocking HTTP/1.1 keep-alive client: one socket (optionally bound to a given local address),
 * POST with Content-Length, answer read by its Content-Length; reconnects after the server closed the connection.
 * It costs the driver almost nothing, so that the cores go to the KMS under test (the JDK HttpClient that UEs use
 * spends more CPU per request than the KMS does). Not for production: no TLS, no chunked answers, no redirects.
 *
 * <p>With a read timeout (the default, 10 s) every read that finds no data yet costs the driver a {@code poll(2)} and
 * a second {@code read(2)}; with none, reads block in the kernel and whoever drives the client must call
 * {@link #closeIfStuck} now and then, so that an answer that never comes still ends the request.
 */
public final class RawHttpClient implements AutoCloseable {
    /** Status and body of one answer. */
    public record Answer(int status, byte[] body) {
    }

    private final URI base;
    private final InetAddress from;
    private final int readTimeoutMillis;
    private volatile long busySince; // System.nanoTime() when the request in flight started, 0 when none is
    private volatile Socket socket;
    private OutputStream out;
    private InputStream in;

    /** @param from local address to bind, or null for any */
    public RawHttpClient(URI base, InetAddress from) {
        this(base, from, 10_000);
    }

    /**
     * @param from local address to bind, or null for any
     * @param readTimeoutMillis how long one read may wait, or 0 for blocking reads watched by {@link #closeIfStuck}
     */
    public RawHttpClient(URI base, InetAddress from, int readTimeoutMillis) {
        this.base = base;
        this.from = from;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    public RawHttpClient(URI base) {
        this(base, null);
    }

    /** POST /kms with a MIKEY body; the answer's body, which must come with status 200. */
    public byte[] post(byte[] body) {
        try {
            Answer a = post("/kms", "application/mikey", body);
            if (a.status() != 200) {
                throw new IllegalStateException("KMS answered HTTP " + a.status());
            }
            return a.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Answer post(String path, String contentType, byte[] body) throws IOException {
        busySince = System.nanoTime();
        try {
            if (socket == null) {
                socket = new Socket();
                if (from != null) {
                    socket.bind(new InetSocketAddress(from, 0));
                }
                socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 2000);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(readTimeoutMillis);
                out = socket.getOutputStream();
                in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            }
            byte[] h = ("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] req = new byte[h.length + body.length];
            System.arraycopy(h, 0, req, 0, h.length);
            System.arraycopy(body, 0, req, h.length, body.length);
            out.write(req);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            int length = -1;
            boolean close = false;
            for (String l = line(); !l.isEmpty(); l = line()) {
                String lower = l.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(l.substring(15).strip());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            byte[] b = length < 0 ? new byte[0] : in.readNBytes(length);
            if (close) {
                close();
            }
            return new Answer(code, b);
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? io : new IOException(e);
        } finally {
            busySince = 0;
        }
    }

    /**
     * Closes the connection if a request has been in flight for more than {@code limitNanos} (from another thread:
     * the blocked read then fails and {@link #post} throws); true if it did.
     */
    public boolean closeIfStuck(long nowNanos, long limitNanos) {
        long since = busySince;
        Socket s = socket;
        if (since == 0 || s == null || nowNanos - since <= limitNanos) {
            return false;
        }
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
        return true;
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1) {
            throw new IOException("connection closed by the server");
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        socket = null;
    }
}
