package org.kmsconf.kms.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.Ua;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketRequest;

/** The HTTP binding's limits, through real HTTP on loopback. */
class HttpBindingTest {
    static KmsServer kms;
    static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        kms = KmsServer.start(KmsConfig.inMemory().maxBodyBytes(1024).build());
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    URI kmsUri() {
        return kms.uri().resolve("/kms");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(kmsUri()).GET());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST");
        r = send(HttpRequest.newBuilder(kmsUri()).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1}))
                .header("Content-Type", "application/mikey"));
        assertThat(r.statusCode()).isEqualTo(405);
    }

    @Test
    void wrongContentTypeIs415() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(kmsUri()).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.body()).contains("application/mikey");
        r = send(HttpRequest.newBuilder(kmsUri()).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2})));
        assertThat(r.statusCode()).isEqualTo(415);
    }

    @Test
    void refusalsAnsweredBeforeTheBodyIsReadReachTheClientEveryTime() throws Exception {
        // 405/413/415 are decided without the body. The server reads (and drops) what the client sends anyway, so
        // that the connection stays usable and the client, reusing it, always gets its answer.
        byte[] body = new byte[16 * 1024];
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(kmsUri()).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            assertThat(r.statusCode()).as("attempt %d", i).isEqualTo(415);
            r = send(HttpRequest.newBuilder(kmsUri()).header("Content-Type", "application/mikey")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
            assertThat(r.statusCode()).as("attempt %d", i).isEqualTo(405);
            r = send(HttpRequest.newBuilder(kmsUri()).header("Content-Type", "application/mikey")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            assertThat(r.statusCode()).as("attempt %d", i).isEqualTo(413);
        }
    }

    @Test
    void mediaTypeParametersAndCaseAreAccepted() {
        assertThat(KmsHttpHandler.mediaType("Application/MIKEY; charset=binary")).isEqualTo("application/mikey");
    }

    @Test
    void oversizedBodyIs413WhetherDeclaredOrStreamed() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(kmsUri()).header("Content-Type", "application/mikey")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1025])));
        assertThat(r.statusCode()).isEqualTo(413);
        // chunked: no Content-Length, so the limit must hold while reading
        try (Socket s = new Socket("127.0.0.1", kms.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /kms HTTP/1.1\r\nHost: x\r\nContent-Type: application/mikey\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 3; i++) {
                out.write("200\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[0x200]);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void aMessageArrivingInPiecesIsReadWholeWithOrWithoutItsLength() throws Exception {
        Ua alice = new Ua(kms.admin().addUser(NewUser.of("pieces-alice", "sip:pieces-alice@operator")),
                "sip:pieces-alice@operator");
        kms.admin().addUser(NewUser.of("pieces-bob", "sip:pieces-bob@operator"));
        for (boolean chunked : new boolean[] {false, true}) {
            TicketRequest tr = alice.ticketRequest(kms.kmsIdentity(), "sip:pieces-bob@operator");
            byte[] message = tr.message();
            // larger than the first buffer of a body of unknown length, so the chunked case grows it
            assertThat(message.length).isGreaterThan(BodyReader.UNKNOWN_LENGTH_START);
            try (Socket s = new Socket("127.0.0.1", kms.port())) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /kms HTTP/1.1\r\nHost: x\r\nContent-Type: application/mikey\r\n"
                        + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + message.length + "\r\n")
                        + "\r\n").getBytes(StandardCharsets.US_ASCII));
                for (int off = 0; off < message.length; off += 100) {
                    int n = Math.min(100, message.length - off);
                    if (chunked) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write(message, off, n);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                    Thread.sleep(30); // each piece reaches the server on its own
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                byte[] answer = readBody(s.getInputStream());
                TicketGrant grant = tr.processResponse(answer);
                assertThat(grant).as(chunked ? "chunked" : "with Content-Length").isNotNull();
            }
        }
    }

    /** The body of a 200 answer with a Content-Length, read from a raw socket. */
    private static byte[] readBody(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertThat(c).as("answer ended inside its header").isNotNegative();
            head.append((char) c);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 200");
        int length = -1;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        assertThat(length).as("Content-Length").isPositive();
        return in.readNBytes(length);
    }

    @Test
    void emptyBodyIs400() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(kmsUri()).header("Content-Type", "application/mikey")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(r.statusCode()).isEqualTo(400);
    }

    @Test
    void healthMetricsAndUnknownPaths() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(kms.uri().resolve("/health")).GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("ok");
        send(HttpRequest.newBuilder(kmsUri()).GET());
        r = send(HttpRequest.newBuilder(kms.uri().resolve("/metrics")).GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).contains("kms_http_rejected_total{status=\"405\"}");
        r = send(HttpRequest.newBuilder(kms.uri().resolve("/other")).GET());
        assertThat(r.statusCode()).isEqualTo(404);
        r = send(HttpRequest.newBuilder(kms.uri().resolve("/health")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(r.statusCode()).isEqualTo(405);
    }
}
