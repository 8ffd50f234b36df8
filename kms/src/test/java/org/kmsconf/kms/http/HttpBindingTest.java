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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;

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
