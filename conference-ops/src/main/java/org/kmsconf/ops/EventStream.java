package org.kmsconf.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events (the WHATWG HTML "server-sent events" format) to the open consoles: each event is encoded once
 * and queued for every client; a client whose queue overflows (it does not read) is dropped, so a slow console never
 * holds the server up. At most {@code maxClients} at once.
 */
final class EventStream {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final int QUEUE = 512;

    /** One open console: the events waiting to be written to it. */
    static final class Client {
        private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
        private volatile boolean overflowed;

        /** The next event's text, or null after {@code waitMillis} without one. */
        String next(long waitMillis) throws InterruptedException {
            return queue.poll(waitMillis, TimeUnit.MILLISECONDS);
        }

        boolean overflowed() {
            return overflowed;
        }

        void offer(String text) {
            if (!queue.offer(text)) {
                overflowed = true;
            }
        }
    }

    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final int maxClients;

    EventStream(int maxClients) {
        this.maxClients = maxClients;
    }

    Optional<Client> open() {
        synchronized (clients) {
            if (clients.size() >= maxClients) {
                return Optional.empty();
            }
            Client c = new Client();
            clients.add(c);
            return Optional.of(c);
        }
    }

    void close(Client c) {
        clients.remove(c);
    }

    int clients() {
        return clients.size();
    }

    /** {@code event: <name>} and one {@code data:} line of JSON (JSON text has no raw line breaks). */
    static String encode(String name, Object data) {
        try {
            return "event: " + name + "\ndata: " + Json.MAPPER.writeValueAsString(data) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + name + " event", e);
        }
    }

    void publish(String name, Object data) {
        if (clients.isEmpty()) {
            return;
        }
        String text;
        try {
            text = encode(name, data);
        } catch (IllegalStateException e) {
            LOG.warn("{}", e.getMessage());
            return;
        }
        for (Client c : clients) {
            c.offer(text);
        }
    }
}
