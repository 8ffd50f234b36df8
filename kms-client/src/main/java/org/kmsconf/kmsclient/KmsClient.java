package org.kmsconf.kmsclient;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.ErrorPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of the KMS HTTP interface ({@code POST <address>/kms}, {@code application/mikey}), for UEs and the
 * conference system. JDK {@link HttpClient}, HTTP/1.1 with keep-alive, connect and request timeouts. Given several
 * KMS addresses, a connect failure, a connection the KMS broke before answering (a node that died) or a 5xx answer
 * moves on to the next one (starting with the last that worked). The copy sent there is the same message: if the
 * first node had accepted it before it died, the next refuses it as a replay (several nodes share the replay
 * guard), so nothing is granted twice; the caller then asks again with a fresh message. A request timeout is not
 * retried elsewhere (the first KMS may still be working on it). Thread-safe; share one per process.
 */
public final class KmsClient implements AutoCloseable {
    public static final String MEDIA_TYPE = "application/mikey";
    private static final Logger LOG = LoggerFactory.getLogger(KmsClient.class);

    private final List<URI> endpoints;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final AtomicInteger preferred = new AtomicInteger();

    private KmsClient(Builder b) {
        if (b.addresses.isEmpty()) {
            throw new IllegalArgumentException("a KMS client needs at least one KMS address");
        }
        List<URI> eps = new ArrayList<>();
        for (URI a : b.addresses) {
            String s = a.toString();
            eps.add(URI.create(s.endsWith("/kms") ? s : (s.endsWith("/") ? s + "kms" : s + "/kms")));
        }
        this.endpoints = List.copyOf(eps);
        this.requestTimeout = b.requestTimeout;
        HttpClient.Builder hb = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                // The client's own work on an answer (parse the status and headers, collect a body of a few hundred
                // bytes) runs on its selector thread instead of being handed to a worker pool: one thread hand-off
                // less per exchange, and nothing there blocks (the body handler only collects bytes).
                .executor(Runnable::run);
        if (b.sslContext != null) {
            hb.sslContext(b.sslContext);
        }
        this.http = hb.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@code /kms} endpoints, in configured order. */
    public List<URI> endpoints() {
        return endpoints;
    }

    /**
     * Sends one MIKEY message (REQUEST_INIT_PSK or RESOLVE_INIT_PSK bytes) and returns the KMS's MIKEY answer bytes:
     * a response or an error message (the caller decodes it; see the mikey module's exchange classes).
     *
     * @throws KmsException UNREACHABLE, TIMEOUT, HTTP_STATUS or PROTOCOL
     */
    public byte[] exchange(byte[] mikeyMessage) {
        int start = preferred.get();
        KmsException last = null;
        for (int i = 0; i < endpoints.size(); i++) {
            int idx = (start + i) % endpoints.size();
            URI uri = endpoints.get(idx);
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                    .header("Content-Type", MEDIA_TYPE).header("Accept", MEDIA_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mikeyMessage)).build();
            HttpResponse<byte[]> resp;
            try {
                resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpConnectTimeoutException | ConnectException e) {
                last = KmsException.unreachable("KMS " + uri + " unreachable: " + describe(e), e);
                LOG.debug("{}; trying the next KMS address", last.getMessage());
                continue;
            } catch (HttpTimeoutException e) {
                throw KmsException.timeout("KMS " + uri + " did not answer within " + requestTimeout.toMillis()
                        + " ms", e);
            } catch (IOException e) {
                last = isConnectFailure(e) ? KmsException.unreachable("KMS " + uri + " unreachable: " + describe(e), e)
                        : KmsException.unreachable("KMS " + uri + " exchange failed: " + describe(e), e);
                LOG.debug("{}; trying the next KMS address", last.getMessage());
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw KmsException.unreachable("interrupted while waiting for the KMS", e);
            }
            int status = resp.statusCode();
            if (status >= 500) {
                last = KmsException.httpStatus(status, "KMS " + uri + " answered HTTP " + status + firstLine(resp));
                LOG.debug("{}; trying the next KMS address", last.getMessage());
                continue;
            }
            if (status != 200) {
                throw KmsException.httpStatus(status, "KMS " + uri + " answered HTTP " + status + firstLine(resp));
            }
            String ct = resp.headers().firstValue("Content-Type").orElse("");
            if (!ct.toLowerCase(java.util.Locale.ROOT).startsWith(MEDIA_TYPE)) {
                throw KmsException.protocol("KMS " + uri + " answered with Content-Type '" + ct + "', expected "
                        + MEDIA_TYPE, null);
            }
            preferred.set(idx);
            return resp.body();
        }
        if (last != null && last.kind() == KmsException.Kind.HTTP_STATUS) {
            throw last;
        }
        throw KmsException.unreachable(endpoints.size() == 1 ? last.getMessage()
                : "no KMS reachable (" + endpoints.size() + " addresses tried; last: " + last.getMessage() + ")",
                last);
    }

    /**
     * Sends one MIKEY message and returns the KMS's MIKEY response; a MIKEY error message from the KMS becomes a
     * {@link KmsException} of kind MIKEY_ERROR carrying its error code.
     *
     * @throws KmsException UNREACHABLE, TIMEOUT, HTTP_STATUS, MIKEY_ERROR or PROTOCOL
     */
    public byte[] exchangeOrThrow(byte[] mikeyMessage) {
        byte[] answer = exchange(mikeyMessage);
        Optional<ErrorCode> err = errorCodeOf(answer);
        if (err.isPresent()) {
            throw KmsException.mikeyError(err.get(), "KMS refused the request: MIKEY error " + err.get().value()
                    + " (" + err.get() + ")");
        }
        return answer;
    }

    /**
     * The first error code of a MIKEY error message (data type 6), empty for any other message.
     *
     * @throws KmsException PROTOCOL if {@code answer} is not a MIKEY message
     */
    public static Optional<ErrorCode> errorCodeOf(byte[] answer) {
        MikeyMessage m;
        try {
            m = MikeyCodec.decode(answer);
        } catch (MikeyException e) {
            throw KmsException.protocol("the KMS answer is not a MIKEY message: " + e.getMessage(), e);
        }
        if (m.dataType() != DataType.ERROR) {
            return Optional.empty();
        }
        return Optional.of(m.first(ErrorPayload.class).map(ErrorPayload::errorCode).orElse(ErrorCode.UNSPECIFIED));
    }

    private static boolean isConnectFailure(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof java.nio.channels.UnresolvedAddressException
                    || t instanceof java.net.UnknownHostException || t instanceof java.net.NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String firstLine(HttpResponse<byte[]> resp) {
        String text = new String(resp.body(), StandardCharsets.UTF_8).strip();
        if (text.isEmpty() || !resp.headers().firstValue("Content-Type").orElse("").startsWith("text/")) {
            return "";
        }
        String line = text.lines().findFirst().orElse("");
        return ": " + (line.length() > 200 ? line.substring(0, 200) : line);
    }

    @Override
    public void close() {
        // java.net.http.HttpClient is closeable only from Java 21; its connections close when it is collected.
    }

    /** Builder: addresses (base URIs such as {@code http://127.0.0.1:8180}), timeouts, TLS trust. */
    public static final class Builder {
        private final List<URI> addresses = new ArrayList<>();
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private SSLContext sslContext;

        private Builder() {
        }

        public Builder address(URI base) {
            addresses.add(base);
            return this;
        }

        public Builder address(String base) {
            return address(URI.create(base));
        }

        public Builder addresses(List<URI> bases) {
            addresses.addAll(bases);
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        /** Trust for an HTTPS KMS (e.g. an SSLContext trusting the KMS's certificate). */
        public Builder sslContext(SSLContext ctx) {
            this.sslContext = ctx;
            return this;
        }

        public KmsClient build() {
            return new KmsClient(this);
        }
    }
}
