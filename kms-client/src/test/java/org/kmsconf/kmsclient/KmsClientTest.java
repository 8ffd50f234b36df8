package org.kmsconf.kmsclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's failover and typed errors, against small loopback HTTP servers that answer in a fixed way (the
 * MIKEY-level behaviour is proven against the real KMS in the exchange tests).
 */
class KmsClientTest {
    HttpServer a;
    HttpServer b;

    @AfterEach
    void stop() {
        if (a != null) {
            a.stop(0);
        }
        if (b != null) {
            b.stop(0);
        }
    }

    static HttpServer server(int status, String contentType, byte[] body, AtomicInteger hits) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/kms", ex -> {
            hits.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        s.start();
        return s;
    }

    static URI base(HttpServer s) {
        return URI.create("http://127.0.0.1:" + s.getAddress().getPort());
    }

    static int deadPort() throws Exception {
        try (ServerSocket ss = new ServerSocket(0)) {
            return ss.getLocalPort();
        }
    }

    @Test
    void connectFailureMovesToTheNextAddressAndRemembersIt() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        a = server(200, "application/mikey", new byte[] {1, 13}, hits);
        KmsClient c = KmsClient.builder().address("http://127.0.0.1:" + deadPort()).address(base(a))
                .connectTimeout(Duration.ofSeconds(1)).build();
        assertThat(c.exchange(new byte[] {1})).containsExactly(1, 13);
        assertThat(c.exchange(new byte[] {1})).containsExactly(1, 13);
        assertThat(hits.get()).isEqualTo(2);
    }

    @Test
    void serverErrorMovesToTheNextAddress() throws Exception {
        AtomicInteger hitsA = new AtomicInteger();
        AtomicInteger hitsB = new AtomicInteger();
        a = server(503, "text/plain", "busy".getBytes(), hitsA);
        b = server(200, "application/mikey", new byte[] {7}, hitsB);
        KmsClient c = KmsClient.builder().address(base(a)).address(base(b)).build();
        assertThat(c.exchange(new byte[] {1})).containsExactly(7);
        assertThat(hitsA.get()).isEqualTo(1);
        assertThat(hitsB.get()).isEqualTo(1);
    }

    @Test
    void clientErrorsAreNotRetriedAndCarryTheStatus() throws Exception {
        AtomicInteger hitsA = new AtomicInteger();
        AtomicInteger hitsB = new AtomicInteger();
        a = server(415, "text/plain", "unsupported media type".getBytes(), hitsA);
        b = server(200, "application/mikey", new byte[] {7}, hitsB);
        KmsClient c = KmsClient.builder().address(base(a)).address(base(b)).build();
        assertThatThrownBy(() -> c.exchange(new byte[] {1})).isInstanceOfSatisfying(KmsException.class, e -> {
            assertThat(e.kind()).isEqualTo(KmsException.Kind.HTTP_STATUS);
            assertThat(e.httpStatus()).isEqualTo(415);
            assertThat(e.getMessage()).contains("unsupported media type");
        });
        assertThat(hitsB.get()).isZero();
    }

    @Test
    void allAddressesDownIsUnreachable() throws Exception {
        KmsClient c = KmsClient.builder().address("http://127.0.0.1:" + deadPort())
                .address("http://127.0.0.1:" + deadPort()).connectTimeout(Duration.ofSeconds(1)).build();
        assertThatThrownBy(() -> c.exchange(new byte[] {1})).isInstanceOfSatisfying(KmsException.class,
                e -> assertThat(e.kind()).isEqualTo(KmsException.Kind.UNREACHABLE));
    }

    @Test
    void wrongAnswerTypeIsAProtocolError() throws Exception {
        a = server(200, "text/html", "<html>".getBytes(), new AtomicInteger());
        KmsClient c = KmsClient.builder().address(base(a)).build();
        assertThatThrownBy(() -> c.exchange(new byte[] {1})).isInstanceOfSatisfying(KmsException.class,
                e -> assertThat(e.kind()).isEqualTo(KmsException.Kind.PROTOCOL));
    }

    @Test
    void slowKmsIsATimeoutNotRetried() throws Exception {
        HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slow.createContext("/kms", ex -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        slow.start();
        a = slow;
        AtomicInteger hitsB = new AtomicInteger();
        b = server(200, "application/mikey", new byte[] {7}, hitsB);
        KmsClient c = KmsClient.builder().address(base(a)).address(base(b)).requestTimeout(Duration.ofMillis(300))
                .build();
        assertThatThrownBy(() -> c.exchange(new byte[] {1})).isInstanceOfSatisfying(KmsException.class,
                e -> assertThat(e.kind()).isEqualTo(KmsException.Kind.TIMEOUT));
        assertThat(hitsB.get()).isZero();
    }
}
