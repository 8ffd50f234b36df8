package org.kmsconf.kms.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.kmsconf.httpserver.TokenFile;
import org.kmsconf.kms.audit.AuditLog;
import org.kmsconf.kms.audit.AuditRecord;

/**
 * {@code GET /audit?limit=N}: the newest audit records (at most 200, newest first), one per line as
 * {@code kmsconf kms audit} prints them, for an operator's console. Only with {@code Authorization: Bearer <token>},
 * the token in a file created with owner-only permissions at first start (never chmod-ed afterwards) and refused if
 * others may read it; compared in constant time. Every other path goes to the KMS's own handler. Off unless the
 * server is started with a token file.
 */
public final class AuditTailHandler extends Handler.Wrapper {
    /** The audit tail's bearer token, whose file the KMS creates at its first start with an audit tail. */
    public static final TokenFile.Purpose AUDIT_TOKEN = new TokenFile.Purpose("audit token", "the KMS");
    private static final int MAX = 200;

    private final AuditLog audit;
    private final TokenFile token;

    public AuditTailHandler(Handler kms, AuditLog audit, Path tokenFile) {
        super(kms);
        this.audit = audit;
        this.token = TokenFile.loadOrCreate(tokenFile, AUDIT_TOKEN);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!"/audit".equals(Request.getPathInContext(request))) {
            return super.handle(request, response, callback);
        }
        if (!HttpMethod.GET.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET");
            text(response, callback, 405, "method not allowed: use GET\n");
            return true;
        }
        if (!token.matchesBearer(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"kmsconf-kms-audit\"");
            text(response, callback, 401, "unauthorized: send Authorization: Bearer <audit token>\n");
            return true;
        }
        StringBuilder b = new StringBuilder();
        for (AuditRecord r : audit.recent(limit(request))) {
            b.append(r.at()).append(' ').append(r.toLogLine()).append('\n');
        }
        text(response, callback, 200, b.toString());
        return true;
    }

    private static int limit(Request request) {
        String q = request.getHttpURI().getQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                if (kv.startsWith("limit=")) {
                    try {
                        return Math.max(1, Math.min(MAX, Integer.parseInt(kv.substring(6))));
                    } catch (NumberFormatException e) {
                        return 50;
                    }
                }
            }
        }
        return 50;
    }

    private static void text(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
