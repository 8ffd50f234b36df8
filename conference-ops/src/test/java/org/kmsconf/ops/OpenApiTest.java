package org.kmsconf.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI description in the repository is the one the server serves, and every operation it lists exists. */
class OpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "post", "delete", "put", "patch");

    @TempDir
    Path dir;

    @Test
    void everyDescribedOperationIsServedAndAnswersAsDescribed() throws Exception {
        try (OpsWorld w = new OpsWorld(dir)) {
            HttpResponse<String> served = w.request("GET", "/api/openapi.json", Map.of());
            assertThat(served.statusCode()).isEqualTo(200);
            JsonNode spec = Json.MAPPER.readTree(served.body());
            assertThat(spec.path("openapi").asText()).startsWith("3.");
            List<String> checked = new ArrayList<>();
            var paths = spec.path("paths").fields();
            while (paths.hasNext()) {
                var p = paths.next();
                String path = p.getKey().replace("{focus}", "sip:focus1.conference1@operator")
                        .replace("{participant}", "sip:bob@operator");
                var ops = p.getValue().fields();
                while (ops.hasNext()) {
                    var op = ops.next();
                    if (!METHODS.contains(op.getKey())) {
                        continue;
                    }
                    String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                    boolean open = op.getValue().has("security") && op.getValue().path("security").isEmpty();
                    Map<String, String> auth = open ? Map.of() : Map.of("Authorization", "Bearer " + w.token());
                    if (path.equals("/api/events")) {
                        continue; // a stream: ConsoleSessionTest reads it
                    }
                    HttpResponse<String> r = w.request(method, path, auth);
                    Set<String> documented = new java.util.HashSet<>();
                    op.getValue().path("responses").fieldNames().forEachRemaining(documented::add);
                    assertThat(documented).as(method + " " + path + " answered " + r.statusCode() + ": " + r.body())
                            .contains(Integer.toString(r.statusCode()));
                    if (!open) {
                        HttpResponse<String> anonymous = w.request(method, path, Map.of());
                        assertThat(anonymous.statusCode()).as("anonymous " + method + " " + path).isEqualTo(401);
                    }
                    checked.add(method + " " + p.getKey());
                }
            }
            assertThat(checked).contains("GET /api/conferences", "GET /api/conferences/{focus}",
                    "DELETE /api/conferences/{focus}", "DELETE /api/conferences/{focus}/participants/{participant}",
                    "GET /api/refusals", "GET /api/audit", "GET /metrics", "POST /api/session");
        }
    }
}
