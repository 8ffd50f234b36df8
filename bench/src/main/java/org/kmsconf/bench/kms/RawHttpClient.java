package org.kmsconf.bench.kms;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal blocking HTTP/1.1 keep-alive client for the load driver: one socket per client thread, POST /kms with
 * Content-Length, response read by its Content-Length. It costs the driver almost nothing, so that the two cores go to
 * the KMS under test (the JDK HttpClient that UEs use spends more CPU per request than the KMS does). Not for
 * production: no TLS, no chunked responses, no redirects.
 */
final class RawHttpClient implements AutoCloseable {
    private final String host;
    private final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    RawHttpClient(URI base) {
        this.host = base.getHost();
        this.port = base.getPort();
    }

    byte[] post(byte[] body) {
        try {
            if (socket == null) {
                socket = new Socket(host, port);
                socket.setTcpNoDelay(true);
                out = socket.getOutputStream();
                in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            }
            String head = "POST /kms HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nContent-Type: application/mikey\r\nContent-Length: " + body.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            byte[] req = new byte[h.length + body.length];
            System.arraycopy(h, 0, req, 0, h.length);
            System.arraycopy(body, 0, req, h.length, body.length);
            out.write(req);
            out.flush();
            String status = line();
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException("KMS answered " + status);
            }
            int length = -1;
            for (String l = line(); !l.isEmpty(); l = line()) {
                if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(l.substring(15).strip());
                }
            }
            if (length < 0) {
                throw new IllegalStateException("answer without Content-Length");
            }
            return in.readNBytes(length);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
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
            throw new IOException("connection closed by the KMS");
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
