package org.kmsconf.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.kmsconf.httpserver.TokenFile;

/**
 * The admin interface's routes (docs/operations.md, {@code openapi.json}):
 * <ul>
 *   <li>open: {@code GET /health}, {@code GET /metrics} (Prometheus; no identities in it), the console's files under
 *       {@code /console/}, {@code GET /api/openapi.json};</li>
 *   <li>with the bearer token or a console session: {@code /api/conferences[/{focus}[/participants/{uri}]]},
 *       {@code /api/refusals}, {@code /api/audit}, {@code /api/kms}, {@code /api/events} (server-sent events);</li>
 *   <li>{@code POST /api/session} trades the token for a console session cookie; {@code DELETE} ends it.</li>
 * </ul>
 * A request a console session makes that changes something must carry {@code X-Kmsconf-Console: 1} and, if it has an
 * {@code Origin}, this server's own: a page of another site can neither read the answers (no CORS) nor send that
 * header without a preflight we never grant, and its requests carry no cookie (SameSite=Strict).
 */
final class AdminHandler extends Handler.Abstract {
    static final String SESSION_COOKIE = "kmsconf_console";
    static final String CONSOLE_HEADER = "X-Kmsconf-Console";

    private final TokenFile token;
    private final ConsoleSessions sessions;
    private final boolean tls;
    private final OperatorActions actions;
    private final ConferenceView view;
    private final Refusals refusals;
    private final AdminAudit audit;
    private final ConferenceMetrics metrics;
    private final EventsEndpoint events;
    private final KmsWatch kms;
    private final ConsoleAssets assets = new ConsoleAssets();
    private final byte[] openApi;

    AdminHandler(TokenFile token, boolean tls, OperatorActions actions, ConferenceView view, Refusals refusals,
                 AdminAudit audit, ConferenceMetrics metrics, EventsEndpoint events, KmsWatch kms) {
        super(InvocationType.BLOCKING);
        this.token = token;
        this.sessions = new ConsoleSessions(Duration.ofHours(12), 64, Clock.systemUTC());
        this.tls = tls;
        this.actions = actions;
        this.view = view;
        this.refusals = refusals;
        this.audit = audit;
        this.metrics = metrics;
        this.events = events;
        this.kms = kms;
        try (var in = AdminHandler.class.getResourceAsStream("openapi.json")) {
            this.openApi = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("openapi.json missing from the class path", e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        var h = response.getHeaders();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("X-Frame-Options", "DENY");
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
        List<String> path = HttpIo.segments(request);
        String method = request.getMethod();
        if (path.isEmpty()) {
            response.setStatus(302);
            h.put(HttpHeader.LOCATION, "/console/");
            callback.succeeded();
            return true;
        }
        switch (path.get(0)) {
            case "health" -> {
                if (get(request, response, callback)) {
                    HttpIo.text(response, callback, 200, "text/plain; charset=utf-8", "ok\n");
                }
            }
            case "metrics" -> {
                if (get(request, response, callback)) {
                    HttpIo.text(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
                }
            }
            case "console" -> console(path, request, response, callback);
            case "api" -> api(path.subList(1, path.size()), method, request, response, callback);
            default -> HttpIo.problem(response, callback, 404, "not found", "see /api/openapi.json");
        }
        return true;
    }

    private void console(List<String> path, Request request, Response response, Callback callback) {
        if (!get(request, response, callback)) {
            return;
        }
        Optional<ConsoleAssets.Asset> a = assets.get(path.size() > 1 ? path.get(1) : "");
        if (a.isEmpty() || path.size() > 2) {
            HttpIo.problem(response, callback, 404, "not found", "no such console file");
            return;
        }
        response.getHeaders().put("Content-Security-Policy", ConsoleAssets.CSP);
        HttpIo.bytes(response, callback, 200, a.get().contentType(), a.get().body());
    }

    private void api(List<String> p, String method, Request request, Response response, Callback callback)
            throws IOException {
        if (p.isEmpty()) {
            HttpIo.problem(response, callback, 404, "not found", "see /api/openapi.json");
            return;
        }
        String first = p.get(0);
        if (first.equals("openapi.json") && p.size() == 1) {
            if (get(request, response, callback)) {
                HttpIo.bytes(response, callback, 200, HttpIo.JSON, openApi);
            }
            return;
        }
        if (first.equals("session") && p.size() == 1) {
            session(method, request, response, callback);
            return;
        }
        Optional<Caller> caller = authenticate(request);
        if (caller.isEmpty()) {
            audit.record("unauthenticated", Request.getRemoteAddr(request), "access", method + " /api/" + first,
                    "REFUSED", "no valid token or console session");
            metrics.adminAction("access", "unauthenticated");
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"kmsconf-conference\"");
            HttpIo.problem(response, callback, 401, "unauthorized", "send Authorization: Bearer <admin token>");
            return;
        }
        Caller c = caller.get();
        boolean safe = HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method);
        if (!safe && c.kind() == Caller.Kind.CONSOLE && !sameOriginConsole(request)) {
            audit.record(c.operator(), c.remote(), "access", method + " /api/" + first, "REFUSED",
                    "console request without its header or from another origin");
            HttpIo.problem(response, callback, 403, "forbidden", "not from this console");
            return;
        }
        switch (first) {
            case "conferences" -> conferences(p, method, c, request, response, callback);
            case "refusals" -> {
                if (only(p, 1, request, response, callback) && get(request, response, callback)) {
                    HttpIo.json(response, callback, 200, refusals.recent(HttpIo.intParam(request, "limit", 100, 500)));
                }
            }
            case "audit" -> {
                if (only(p, 1, request, response, callback) && get(request, response, callback)) {
                    HttpIo.json(response, callback, 200, audit.recent(HttpIo.intParam(request, "limit", 100, 500)));
                }
            }
            case "kms" -> {
                if (only(p, 1, request, response, callback) && get(request, response, callback)) {
                    if (kms == null) {
                        HttpIo.problem(response, callback, 404, "not configured", "the console was given no KMS URL");
                    } else {
                        HttpIo.json(response, callback, 200, kms.poll());
                    }
                }
            }
            case "events" -> {
                if (only(p, 1, request, response, callback) && get(request, response, callback)) {
                    events.serve(response, callback);
                }
            }
            default -> HttpIo.problem(response, callback, 404, "not found", "see /api/openapi.json");
        }
    }

    private void conferences(List<String> p, String method, Caller c, Request request, Response response,
                             Callback callback) {
        if (p.size() == 1) {
            if (get(request, response, callback)) {
                HttpIo.json(response, callback, 200, view.list());
            }
            return;
        }
        String focus = p.get(1);
        if (p.size() == 2) {
            if (HttpMethod.DELETE.is(method)) {
                actions.end(c, focus, response, callback);
            } else if (get(request, response, callback, "GET, DELETE")) {
                view.detail(focus).ifPresentOrElse(d -> HttpIo.json(response, callback, 200, d),
                        () -> HttpIo.problem(response, callback, 404, "no such conference", focus));
            }
            return;
        }
        if (p.size() == 4 && p.get(2).equals("participants")) {
            if (HttpMethod.DELETE.is(method)) {
                actions.remove(c, focus, p.get(3), response, callback);
            } else {
                response.getHeaders().put(HttpHeader.ALLOW, "DELETE");
                HttpIo.problem(response, callback, 405, "method not allowed", "DELETE removes the participant");
            }
            return;
        }
        HttpIo.problem(response, callback, 404, "not found", "see /api/openapi.json");
    }

    // ---------------------------------------------------------------- console sessions

    private void session(String method, Request request, Response response, Callback callback) throws IOException {
        String remote = Request.getRemoteAddr(request);
        if (HttpMethod.GET.is(method)) {
            Optional<Caller> c = authenticate(request);
            if (c.isPresent()) {
                HttpIo.json(response, callback, 200, Map.of("operator", c.get().operator()));
            } else {
                HttpIo.problem(response, callback, 401, "unauthorized", "no console session");
            }
            return;
        }
        if (HttpMethod.DELETE.is(method)) {
            HttpIo.cookie(request, SESSION_COOKIE).ifPresent(sessions::close);
            response.getHeaders().add(HttpHeader.SET_COOKIE, cookie("", 0));
            response.setStatus(204);
            callback.succeeded();
            return;
        }
        if (!HttpMethod.POST.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, POST, DELETE");
            HttpIo.problem(response, callback, 405, "method not allowed", "POST {\"token\": …} to log in");
            return;
        }
        String presented = bearer(request);
        if (presented == null) {
            Optional<String> body = HttpIo.body(request);
            if (body.isPresent()) {
                try {
                    JsonNode n = Json.MAPPER.readTree(body.get());
                    presented = n.path("token").asText(null);
                } catch (IOException e) {
                    presented = null;
                }
            }
        }
        String declared = Caller.declared(request.getHeaders().get(Caller.NAME_HEADER));
        String operator = new Caller(Caller.Kind.CONSOLE, declared, remote).operator();
        if (!token.matches(presented)) {
            audit.record(operator, remote, "login", "console", "REFUSED", "wrong or missing token");
            metrics.adminAction("login", "refused");
            HttpIo.problem(response, callback, 401, "unauthorized", "wrong token");
            return;
        }
        String id = sessions.open();
        audit.record(operator, remote, "login", "console", "DONE", "");
        metrics.adminAction("login", "done");
        response.getHeaders().add(HttpHeader.SET_COOKIE, cookie(id, sessions.ttl().toSeconds()));
        HttpIo.json(response, callback, 200, Map.of("operator", operator));
    }

    private String cookie(String value, long maxAge) {
        return SESSION_COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAge
                + (tls ? "; Secure" : "");
    }

    private Optional<Caller> authenticate(Request request) {
        String remote = Request.getRemoteAddr(request);
        String declared = Caller.declared(request.getHeaders().get(Caller.NAME_HEADER));
        String b = bearer(request);
        if (b != null) {
            return token.matches(b) ? Optional.of(new Caller(Caller.Kind.TOKEN, declared, remote)) : Optional.empty();
        }
        Optional<String> s = HttpIo.cookie(request, SESSION_COOKIE);
        if (s.isPresent() && sessions.valid(s.get())) {
            return Optional.of(new Caller(Caller.Kind.CONSOLE, declared, remote));
        }
        return Optional.empty();
    }

    private static String bearer(Request request) {
        String a = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (a != null && a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return a.substring(7).strip();
        }
        return null;
    }

    /** The console's own header, and no Origin or this server's own (scheme and Host of the request). */
    private boolean sameOriginConsole(Request request) {
        if (!"1".equals(request.getHeaders().get(CONSOLE_HEADER))) {
            return false;
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return true;
        }
        String host = request.getHeaders().get(HttpHeader.HOST);
        return host != null && origin.toLowerCase(Locale.ROOT).equals((tls ? "https://" : "http://")
                + host.toLowerCase(Locale.ROOT));
    }

    // ---------------------------------------------------------------- helpers

    private static boolean get(Request request, Response response, Callback callback) {
        return get(request, response, callback, "GET");
    }

    private static boolean get(Request request, Response response, Callback callback, String allow) {
        if (HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod())) {
            return true;
        }
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        HttpIo.problem(response, callback, 405, "method not allowed", "use " + allow);
        return false;
    }

    private static boolean only(List<String> p, int n, Request request, Response response, Callback callback) {
        if (p.size() == n) {
            return true;
        }
        HttpIo.problem(response, callback, 404, "not found", "see /api/openapi.json");
        return false;
    }
}
