package org.kmsconf.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Small pieces of the admin interface's HTTP handling on Jetty's core API: answers, bodies, paths, queries. */
final class HttpIo {
    static final String JSON = "application/json; charset=utf-8";
    private static final int MAX_BODY = 4096;

    private HttpIo() { }

    static void json(Response response, Callback callback, int status, Object body) {
        byte[] bytes;
        try {
            bytes = org.kmsconf.ops.Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            status = 500;
            bytes = "{\"status\":500,\"error\":\"cannot encode the answer\"}".getBytes(StandardCharsets.UTF_8);
        }
        bytes(response, callback, status, JSON, bytes);
    }

    static void problem(Response response, Callback callback, int status, String error, String detail) {
        json(response, callback, status, new Views.Problem(status, error, null, detail));
    }

    static void text(Response response, Callback callback, int status, String contentType, String text) {
        bytes(response, callback, status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    static void bytes(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** The request body, at most 4 KiB (an admin request is small); empty if none. */
    static Optional<String> body(Request request) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw new IOException("request body larger than " + MAX_BODY + " bytes");
            }
            return b.length == 0 ? Optional.empty() : Optional.of(new String(b, StandardCharsets.UTF_8));
        }
    }

    /**
     * The path's segments, each percent-decoded on its own (so a focus URI may be sent as
     * {@code sip%3Afocus1.conference1%40operator} or as it is: {@code :} and {@code @} are allowed in a segment).
     */
    static List<String> segments(Request request) {
        String raw = request.getHttpURI().getPath();
        List<String> out = new ArrayList<>();
        for (String s : raw.split("/")) {
            if (!s.isEmpty()) {
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** An integer query parameter within [1, max], or {@code dflt}. */
    static int intParam(Request request, String name, int dflt, int max) {
        String q = request.getHttpURI().getQuery();
        if (q == null) {
            return dflt;
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(name)) {
                try {
                    return Math.max(1, Math.min(max, Integer.parseInt(kv.substring(eq + 1))));
                } catch (NumberFormatException e) {
                    return dflt;
                }
            }
        }
        return dflt;
    }

    /** The value of one cookie of the request, if it has it. */
    static Optional<String> cookie(Request request, String name) {
        for (String header : request.getHeaders().getValuesList(HttpHeader.COOKIE)) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).strip().equals(name)) {
                    return Optional.of(part.substring(eq + 1).strip());
                }
            }
        }
        return Optional.empty();
    }
}
