package org.kmsconf.ops.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * A client of the conference server's admin API (the {@code kmsconf conference admin} commands, tests): JDK
 * {@code HttpClient}, the bearer token on every request, JSON answers as trees. A non-2xx answer becomes an
 * {@link AdminApiException} with the status and the server's one-line reason.
 */
public final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final String operatorName;
    private final HttpClient http;

    /**
     * @param base e.g. {@code http://127.0.0.1:8190}
     * @param operatorName recorded in the server's audit after the authentication kind (a label); may be null
     * @param tls trust for an HTTPS admin interface with its own certificate; null = the JDK's default trust
     */
    public AdminClient(URI base, String token, String operatorName, SSLContext tls) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.token = token;
        this.operatorName = operatorName;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
    }

    public URI base() {
        return base;
    }

    public JsonNode conferences() throws IOException {
        return call("GET", "/api/conferences");
    }

    public JsonNode conference(String focusUri) throws IOException {
        return call("GET", "/api/conferences/" + seg(focusUri));
    }

    public JsonNode end(String focusUri) throws IOException {
        return call("DELETE", "/api/conferences/" + seg(focusUri));
    }

    public JsonNode remove(String focusUri, String participant) throws IOException {
        return call("DELETE", "/api/conferences/" + seg(focusUri) + "/participants/" + seg(participant));
    }

    public JsonNode refusals(int limit) throws IOException {
        return call("GET", "/api/refusals?limit=" + limit);
    }

    public JsonNode audit(int limit) throws IOException {
        return call("GET", "/api/audit?limit=" + limit);
    }

    /** The Prometheus text of {@code GET /metrics}. */
    public String metrics() throws IOException {
        return send("GET", "/metrics").body();
    }

    private static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode call(String method, String path) throws IOException {
        HttpResponse<String> r = send(method, path);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> send(String method, String path) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody());
        if (operatorName != null) {
            b.header("X-Operator-Name", operatorName);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw new IOException("cannot reach the admin interface at " + base + ": " + e, e);
        }
        if (r.statusCode() / 100 != 2) {
            throw AdminApiException.of(r.statusCode(), r.body());
        }
        return r;
    }
}
