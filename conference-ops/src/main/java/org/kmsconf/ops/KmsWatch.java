package org.kmsconf.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kmsconf.httpserver.TokenFile;

/**
 * The console's KMS panel: asks the KMS for its Prometheus metrics ({@code GET /metrics}) and, when given the KMS's
 * audit token, its audit tail ({@code GET /audit}), and turns the request counters into rates per exchange and
 * outcome. Runs only while a console is open; the browser never talks to the KMS (no token in the page, no CORS).
 */
final class KmsWatch {
    /** The KMS's audit tail token (its file is created by the KMS at its first start with an audit tail). */
    static final TokenFile.Purpose KMS_AUDIT_TOKEN = new TokenFile.Purpose("KMS audit token", "the KMS");

    private static final Pattern REQUESTS = Pattern.compile(
            "^kms_requests_total\\{([^}]*)}\\s+([0-9.eE+-]+)\\s*$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final int AUDIT_LINES = 15;

    /** Requests per second of one exchange/outcome pair, and its total. */
    record Rate(String exchange, String outcome, double perSecond, long total) { }

    /** What the console shows of the KMS. {@code error}/{@code auditError} say why a part is missing. */
    record Snapshot(String url, Instant at, boolean reachable, String error, List<Rate> rates, List<String> audit,
                    String auditError) { }

    private final URI base;
    private final Path auditTokenFile;
    private final HttpClient http;
    private Map<String, Double> previousTotals;
    private long previousNanos;
    private volatile Snapshot last;

    KmsWatch(URI base, Path auditTokenFile, javax.net.ssl.SSLContext tls) {
        this.base = base;
        this.auditTokenFile = auditTokenFile;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
    }

    Snapshot last() {
        return last;
    }

    /** Asks the KMS once; never throws (a failure is in the snapshot). */
    synchronized Snapshot poll() {
        Instant at = Instant.now();
        String metrics;
        try {
            metrics = get(base.resolve("/metrics"), null);
        } catch (IOException e) {
            return last = new Snapshot(base.toString(), at, false, e.getMessage(), List.of(), List.of(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return last;
        }
        List<Rate> rates = rates(metrics);
        List<String> audit = List.of();
        String auditError = null;
        if (auditTokenFile == null) {
            auditError = "no KMS audit token configured";
        } else {
            try {
                String token = TokenFile.read(auditTokenFile, KMS_AUDIT_TOKEN);
                String text = get(base.resolve("/audit?limit=" + AUDIT_LINES), token);
                audit = text.lines().filter(l -> !l.isBlank()).toList();
            } catch (IOException | IllegalArgumentException e) {
                auditError = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return last = new Snapshot(base.toString(), at, true, null, rates, audit, auditError);
    }

    private String get(URI uri, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(uri.getPath() + " answered " + r.statusCode());
        }
        return r.body();
    }

    private List<Rate> rates(String metrics) {
        Map<String, Double> totals = new LinkedHashMap<>();
        Matcher m = REQUESTS.matcher(metrics);
        while (m.find()) {
            String exchange = "?";
            String outcome = "?";
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                if (l.group(1).equals("exchange")) {
                    exchange = l.group(2);
                } else if (l.group(1).equals("outcome")) {
                    outcome = l.group(2);
                }
            }
            totals.merge(exchange + " " + outcome, Double.parseDouble(m.group(2)), Double::sum);
        }
        long now = System.nanoTime();
        List<Rate> out = new ArrayList<>();
        for (Map.Entry<String, Double> e : totals.entrySet()) {
            String[] k = e.getKey().split(" ", 2);
            double rate = 0;
            if (previousTotals != null && now > previousNanos) {
                double before = previousTotals.getOrDefault(e.getKey(), 0.0);
                rate = Math.max(0, (e.getValue() - before) / ((now - previousNanos) / 1e9));
            }
            out.add(new Rate(k[0], k[1], Math.round(rate * 10) / 10.0, e.getValue().longValue()));
        }
        previousTotals = totals;
        previousNanos = now;
        return out;
    }
}
