package org.kmsconf.bench.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The driver's HTTP client: answers by Content-Length, and a blocking read without an answer can be ended. */
class RawHttpClientTest {
    @Test
    void readsAnAnswerByItsContentLengthOverOneKeptConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    for (int i = 0; i < 2; i++) {
                        readRequest(s.getInputStream());
                        s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nab" + i)
                                .getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try (RawHttpClient http = new RawHttpClient(uri(server), null, 0)) {
                assertThat(http.post(new byte[] {1, 2, 3})).containsExactly('a', 'b', '0');
                assertThat(http.post(new byte[] {4})).containsExactly('a', 'b', '1');
            }
            serving.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBlockingReadThatGetsNoAnswerEndsWhenTheWatchdogClosesTheConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = server.accept();
                    readRequest(s.getInputStream()); // and never answer
                    return s;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            RawHttpClient http = new RawHttpClient(uri(server), null, 0);
            CompletableFuture<byte[]> post = CompletableFuture.supplyAsync(() -> http.post(new byte[] {1}));
            Socket peer = accepted.get(10, TimeUnit.SECONDS);
            try {
                Thread.sleep(100);
                assertThat(http.closeIfStuck(System.nanoTime(), TimeUnit.SECONDS.toNanos(60)))
                        .as("not stuck yet by a 60-s limit").isFalse();
                assertThat(post).isNotDone();
                assertThat(http.closeIfStuck(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50))).isTrue();
                assertThatThrownBy(() -> post.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class);
                assertThat(http.closeIfStuck(System.nanoTime(), 0)).as("nothing in flight any more").isFalse();
            } finally {
                peer.close();
                http.close();
            }
        }
    }

    private static URI uri(ServerSocket server) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Reads one request: headers up to the blank line, then Content-Length bytes. */
    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed");
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        in.readNBytes(length);
    }
}
