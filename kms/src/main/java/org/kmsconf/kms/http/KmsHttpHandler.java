package org.kmsconf.kms.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.kmsconf.kms.metrics.KmsMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS's HTTP binding (docs/kms.md "HTTP binding"), on Jetty's core handler API:
 * <ul>
 * <li>{@code POST /kms}, {@code Content-Type: application/mikey}, body = one MIKEY message: 200 with a MIKEY response
 *     or MIKEY error message ({@code application/mikey}); 400 with one line of text if the body is not a MIKEY
 *     message the KMS can answer at all; 405 for another method; 413 above the body limit; 415 for another type;
 *     503 while the store is unreachable (with a MIKEY error message, Unspecified, when the body had a MIKEY
 *     header);</li>
 * <li>{@code GET /health}: 200 when the database answers, else 503;</li>
 * <li>{@code GET /metrics}: Prometheus text format.</li>
 * </ul>
 */
public final class KmsHttpHandler extends Handler.Abstract {
    public static final String MEDIA_TYPE = "application/mikey";
    private static final Logger LOG = LoggerFactory.getLogger(KmsHttpHandler.class);

    /** The MIKEY processing behind {@code POST /kms}. */
    @FunctionalInterface
    public interface Processor {
        KmsReply process(byte[] body, String remote);
    }

    private final Processor processor;
    private final KmsMetrics metrics;
    private final BooleanSupplier healthy;
    /** How much of a refused body is read and thrown away before the answer (see {@link #refuseUnread}). */
    static final long DRAIN_LIMIT = 1L << 20;

    private final int maxBody;

    /**
     * @param onIoThread whether Jetty may run this handler on the I/O (selector) thread that read the request
     *     ({@code NON_BLOCKING}), with no hand-off to a pool thread; only when nothing on the request path waits for
     *     anything slower than the CPU and the local disk's page cache (see {@code KmsServer})
     */
    public KmsHttpHandler(Processor processor, KmsMetrics metrics, BooleanSupplier healthy, int maxBody,
                          boolean onIoThread) {
        super(onIoThread ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING);
        this.processor = processor;
        this.metrics = metrics;
        this.healthy = healthy;
        this.maxBody = maxBody;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        switch (path) {
            case "/kms" -> handleKms(request, response, callback);
            case "/health" -> {
                if (requireGet(request, response, callback)) {
                    boolean ok = healthy.getAsBoolean();
                    text(response, callback, ok ? 200 : 503, ok ? "ok" : "database unreachable");
                }
            }
            case "/metrics" -> {
                if (requireGet(request, response, callback)) {
                    response.setStatus(200);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    response.write(true, ByteBuffer.wrap(metrics.scrape().getBytes(StandardCharsets.UTF_8)),
                            callback);
                }
            }
            default -> text(response, callback, 404, "not found: use POST /kms, GET /health, GET /metrics");
        }
        return true;
    }

    private boolean requireGet(Request request, Response response, Callback callback) {
        if (HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod())) {
            return true;
        }
        response.getHeaders().put(HttpHeader.ALLOW, "GET");
        text(response, callback, 405, "method not allowed: use GET");
        return false;
    }

    /**
     * Answers a refusal that comes before the body is read (405, 413, 415). A body up to {@link #DRAIN_LIMIT} is read
     * and thrown away first (without holding a thread: {@link BodyReader}): a client still sending it would otherwise
     * often see its connection reset before it could read the status. A larger one is not worth reading; the
     * connection is then closed.
     */
    private void refuseUnread(Request request, Response response, Callback callback, int status, String text) {
        BodyReader.read(request, 0, DRAIN_LIMIT, (body, complete, failure) -> {
            if (!complete) {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            refuseRead(response, callback, status, text);
        });
    }

    private void refuseRead(Response response, Callback callback, int status, String text) {
        metrics.rejected(status);
        text(response, callback, status, text);
    }

    private void handleKms(Request request, Response response, Callback callback) {
        if (!HttpMethod.POST.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            refuseUnread(request, response, callback, 405,
                    "method not allowed: use POST with Content-Type " + MEDIA_TYPE);
            return;
        }
        HttpField ct = request.getHeaders().getField(HttpHeader.CONTENT_TYPE);
        if (ct == null || !MEDIA_TYPE.equals(mediaType(ct.getValue()))) {
            refuseUnread(request, response, callback, 415, "unsupported media type: the body must be " + MEDIA_TYPE);
            return;
        }
        String tooLarge = "request body larger than " + maxBody + " bytes";
        if (request.getLength() > maxBody) {
            refuseUnread(request, response, callback, 413, tooLarge);
            return;
        }
        String remote = Request.getRemoteAddr(request);
        // read at most one byte more than allowed: a chunked body has no Content-Length to check up front
        BodyReader.read(request, maxBody, DRAIN_LIMIT, (body, complete, failure) -> {
            if (failure != null) {
                // the connection failed or was cut (request timeout): nobody is left to answer
                callback.failed(failure);
                return;
            }
            if (body == null) {
                if (!complete) {
                    response.getHeaders().put(HttpHeader.CONNECTION, "close");
                }
                refuseRead(response, callback, 413, tooLarge);
                return;
            }
            if (body.length == 0) {
                refuseRead(response, callback, 400, "empty body: expected a MIKEY message");
                return;
            }
            answer(body, remote, response, callback);
        });
    }

    private void answer(byte[] body, String remote, Response response, Callback callback) {
        KmsReply reply;
        try {
            reply = processor.process(body, remote);
        } catch (RuntimeException e) {
            LOG.error("KMS request processing failed: {}", e.toString());
            text(response, callback, 500, "internal error");
            return;
        }
        if (reply instanceof KmsReply.Mikey m) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE);
            response.write(true, ByteBuffer.wrap(m.body()), callback);
        } else if (reply instanceof KmsReply.BadRequest b) {
            refuseRead(response, callback, 400, b.reason());
        } else if (reply instanceof KmsReply.Unavailable u) {
            metrics.rejected(503);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            if (u.mikeyError() != null) {
                response.setStatus(503);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE);
                response.write(true, ByteBuffer.wrap(u.mikeyError()), callback);
            } else {
                text(response, callback, 503, "the KMS store is unavailable; try again or another KMS");
            }
        }
    }

    /** The media type of a Content-Type value without parameters, lower case. */
    static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private static void text(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)), callback);
    }
}
