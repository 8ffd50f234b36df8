package org.kmsconf.ops;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/events}: one console's server-sent event stream. It starts with the whole picture ({@code state}),
 * the recent refusals ({@code refusals}) and operator actions ({@code audit}) and the KMS panel ({@code kms}), then
 * carries each change as it happens: {@code state} on every conference change and once a second (packet rates),
 * {@code refusal} for each failed check, {@code audit} for each operator action, {@code kms} while polling the KMS.
 * A comment line every 10 s keeps idle connections (and proxies) open. The request thread writes, blocking, until
 * the console goes away or the server stops.
 */
final class EventsEndpoint {
    private static final long PING_MILLIS = 10_000;

    private final EventStream stream;
    private final Supplier<List<String>> initial;
    private volatile boolean running = true;

    EventsEndpoint(EventStream stream, Supplier<List<String>> initial) {
        this.stream = stream;
        this.initial = initial;
    }

    void stop() {
        running = false;
    }

    void serve(Response response, Callback callback) {
        Optional<EventStream.Client> opened = stream.open();
        if (opened.isEmpty()) {
            HttpIo.problem(response, callback, 503, "too many consoles", "close another console first");
            return;
        }
        EventStream.Client client = opened.get();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put("X-Accel-Buffering", "no");
        try {
            List<String> first = new ArrayList<>();
            first.add("retry: 2000\n\n");
            first.addAll(initial.get());
            write(response, String.join("", first));
            long lastWrite = System.currentTimeMillis();
            while (running && !client.overflowed()) {
                String e = client.next(1000);
                if (e != null) {
                    write(response, e);
                    lastWrite = System.currentTimeMillis();
                } else if (System.currentTimeMillis() - lastWrite >= PING_MILLIS) {
                    write(response, ": ping\n\n");
                    lastWrite = System.currentTimeMillis();
                }
            }
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e); // the console went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        } finally {
            stream.close(client);
        }
    }

    private static void write(Response response, String text) throws IOException {
        try (Blocker.Callback blocker = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), blocker);
            blocker.block();
        }
    }
}
