package org.kmsconf.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.ue.UserAgent;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The console's way in: the token traded for a session cookie (HttpOnly, SameSite=Strict), the event stream on that
 * cookie, and a page of another origin unable to act with it.
 */
class ConsoleSessionTest {
    @TempDir
    Path dir;

    @Test
    void theTokenBuysASessionCookieThatOtherSitesCannotUseToAct() throws Exception {
        try (OpsWorld w = new OpsWorld(dir)) {
            UserAgent alice = w.ue("alice");
            w.ue("bob");
            String focus = alice.createConference(OpsWorld.FACTORY, List.of("sip:bob@operator")).focusUri();
            alice.join(focus);

            HttpResponse<String> wrong = post(w, "/api/session", "{\"token\":\"not-it\"}", Map.of());
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

            HttpResponse<String> ok = post(w, "/api/session", "{\"token\":\"" + w.token() + "\"}",
                    Map.of("X-Operator-Name", "jane"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"operator\":\"console:jane\"");
            String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("kmsconf_console=").contains("HttpOnly", "SameSite=Strict", "Path=/")
                    .doesNotContain(w.token());
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));

            assertThat(w.request("GET", "/api/conferences", Map.of("Cookie", cookie)).body()).contains(focus);
            String enc = java.net.URLEncoder.encode(focus, StandardCharsets.UTF_8);
            // a cross-site form or fetch cannot add the console's header ...
            assertThat(w.request("DELETE", "/api/conferences/" + enc, Map.of("Cookie", cookie)).statusCode())
                    .isEqualTo(403);
            // ... and a page of another origin that somehow had the cookie sent is refused by its Origin
            assertThat(w.request("DELETE", "/api/conferences/" + enc, Map.of("Cookie", cookie, "X-Kmsconf-Console",
                    "1", "Origin", "http://evil.example")).statusCode()).isEqualTo(403);
            assertThat(w.server.conference(focus)).isPresent();
            assertThat(w.ops.audit().recent(5)).anySatisfy(e -> {
                assertThat(e.outcome()).isEqualTo("REFUSED");
                assertThat(e.detail()).contains("another origin");
            });

            // the event stream starts with the picture and carries a refusal as it happens
            HttpRequest sse = HttpRequest.newBuilder(URI.create(w.ops.uri() + "/api/events"))
                    .header("Cookie", cookie).GET().build();
            HttpResponse<InputStream> stream = w.http.send(sse, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/event-stream"));
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(),
                        StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (java.io.IOException closed) {
                    // the test ends the stream
                }
            });
            reader.setDaemon(true);
            reader.start();
            String state = next(lines, "event: state");
            assertThat(state).contains(focus, "sip:alice@operator");
            UserAgent mallory = w.ue("mallory");
            assertThatThrownBy(() -> mallory.join(focus)).isInstanceOf(FlowFailedException.class);
            String refusal = next(lines, "event: refusal");
            assertThat(refusal).contains("\"check\":\"caller-allowed\"", "sip:mallory@operator");

            // logged out, the cookie opens nothing
            HttpResponse<String> out = w.request("DELETE", "/api/session", Map.of("Cookie", cookie));
            assertThat(out.statusCode()).isEqualTo(204);
            assertThat(w.request("GET", "/api/conferences", Map.of("Cookie", cookie)).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void theConsolePageIsServedWithAStrictContentSecurityPolicyAndNoData() throws Exception {
        try (OpsWorld w = new OpsWorld(dir)) {
            HttpResponse<String> page = w.request("GET", "/console/", Map.of());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'",
                            "frame-ancestors 'none'");
            assertThat(page.body()).contains("<script src=\"console.js\" defer></script>").doesNotContain("http://",
                    "https://");
            HttpResponse<String> js = w.request("GET", "/console/console.js", Map.of());
            assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/javascript"));
            // the script puts network text into the page as text only
            assertThat(js.body()).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(",
                    "document.write");
            assertThat(w.request("GET", "/console/../admin.token", Map.of()).statusCode()).isIn(400, 404);
            assertThat(w.request("GET", "/", Map.of()).statusCode()).isEqualTo(302);
        }
    }

    private static HttpResponse<String> post(OpsWorld w, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(w.ops.uri() + path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return w.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The data line of the next event named {@code eventLine}. */
    private static String next(BlockingQueue<String> lines, String eventLine) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean seen = false;
        while (System.nanoTime() < end) {
            String l = lines.poll(200, TimeUnit.MILLISECONDS);
            if (l == null) {
                continue;
            }
            if (l.equals(eventLine)) {
                seen = true;
            } else if (seen && l.startsWith("data: ")) {
                return l.substring(6);
            }
        }
        throw new AssertionError("no " + eventLine + " within 10 s");
    }
}
