package org.kmsconf.httpserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** The listener's HTTP configuration, over a real socket. */
class HttpListenerTest {

    /**
     * Two requests on one keep-alive connection whose Authorization values differ only in the case of one letter:
     * the handler must see each value as sent. With Jetty's default (case-insensitive) header cache it saw the first
     * value twice, and a bearer token checked after a one-case-off attempt was refused.
     */
    @Test
    void headerValuesReachTheHandlerAsSentOnAKeptAliveConnection() throws Exception {
        Server jetty = new Server();
        ServerConnector connector = new HttpListener("127.0.0.1", 0, null, null, null, Duration.ofSeconds(10), 10)
                .addTo(jetty);
        jetty.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String auth = String.valueOf(request.getHeaders().get(HttpHeader.AUTHORIZATION)) + "\n";
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap(auth.getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        jetty.start();
        try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            List<String> seen = new ArrayList<>();
            for (String token : new String[] {"xsXV1OFX1eQG", "XsXV1OFX1eQG"}) {
                out.write(("GET /audit HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                int length = 0;
                for (String h; !(h = in.readLine()).isEmpty(); ) {
                    if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        length = Integer.parseInt(h.substring(15).strip());
                    }
                }
                char[] body = new char[length];
                for (int off = 0; off < length; ) {
                    off += in.read(body, off, length - off);
                }
                seen.add(new String(body).strip());
            }
            assertThat(seen).containsExactly("Bearer xsXV1OFX1eQG", "Bearer XsXV1OFX1eQG");
        } finally {
            jetty.stop();
        }
    }
}
