package org.kmsconf.ops.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The admin API answered with an error: its HTTP status, and the reason it gave (with the model's rule for 409). */
public final class AdminApiException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String rule;

    private AdminApiException(int status, String message, String rule) {
        super(message);
        this.status = status;
        this.rule = rule;
    }

    static AdminApiException of(int status, String body) {
        try {
            JsonNode n = new ObjectMapper().readTree(body);
            String rule = n.path("rule").isTextual() ? n.path("rule").asText() : null;
            String msg = n.path("error").asText("HTTP " + status) + (n.path("detail").isTextual()
                    ? ": " + (rule == null ? "" : rule + " – ") + n.path("detail").asText() : "");
            return new AdminApiException(status, msg, rule);
        } catch (IOException | RuntimeException e) {
            return new AdminApiException(status, "HTTP " + status, null);
        }
    }

    public int status() {
        return status;
    }

    /** The conference model's rule that refused (409), or null. */
    public String rule() {
        return rule;
    }
}
