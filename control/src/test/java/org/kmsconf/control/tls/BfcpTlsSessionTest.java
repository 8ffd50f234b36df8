package org.kmsconf.control.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kmsconf.control.tls.TlsFixture.BOB_ID;
import static org.kmsconf.control.tls.TlsFixture.CONF;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.TlsClientProtocol;
import org.junit.jupiter.api.Test;
import org.kmsconf.control.bfcp.BfcpCodec;
import org.kmsconf.control.bfcp.BfcpFrameReader;
import org.kmsconf.control.bfcp.message.BfcpError;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.ErrorCode;
import org.kmsconf.control.bfcp.message.FloorRequest;
import org.kmsconf.control.bfcp.message.Hello;
import org.kmsconf.control.bfcp.message.HelloAck;

/**
 * After the handshake, over real loopback sockets: Hello/HelloAck; an authenticated participant claiming another
 * leg's User ID or another conference gets Error 5 and reaches no handler; garbage gets the BFCP Error that says why
 * or a closed connection, and the server goes on serving everyone else.
 */
class BfcpTlsSessionTest {
    private static final Duration T = Duration.ofSeconds(5);

    /** Bob's authenticated TLS tunnel, for writing raw bytes. */
    private static TlsClientProtocol bobTunnel(TlsFixture f) throws IOException {
        return f.handshake(new PskTlsClientPeer(TlsFixture.crypto(), TlsPolicy.tls13Only(), BOB_ID,
                f.bobPsk.bytes()));
    }

    private static BfcpMessage next(TlsClientProtocol tls) throws IOException {
        byte[] b = new BfcpFrameReader(tls.getInputStream()).next();
        return b == null ? null : BfcpCodec.decode(b);
    }

    private static void write(TlsClientProtocol tls, String hex) throws IOException {
        OutputStream out = tls.getOutputStream();
        out.write(HexFormat.of().parseHex(hex));
        out.flush();
    }

    @Test
    void helloIsAnsweredWithHelloAck() throws Exception {
        try (TlsFixture f = new TlsFixture(); BfcpTlsClient bob = f.bob(TlsPolicy.tls13Only())) {
            BfcpMessage a = bob.request(new Hello(CommonHeader.request(CONF, 1, 2)), T);
            assertThat(a).isInstanceOf(HelloAck.class);
            assertThat(a.header()).isEqualTo(CommonHeader.request(CONF, 1, 2).response());
        }
    }

    @Test
    void aFloorRequestWithAnotherLegsUserIdIsUnauthorizedOperation() throws Exception {
        try (TlsFixture f = new TlsFixture(); BfcpTlsClient bob = f.bob(TlsPolicy.tls13Only())) {
            // Bob holds a genuine PSK for his own leg (user 2) and writes carol's User ID (3).
            BfcpMessage a = bob.request(FloorRequest.of(CommonHeader.request(CONF, 7, 3), 1), T);
            assertThat(a).isInstanceOfSatisfying(BfcpError.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED_OPERATION);
                assertThat(e.header().transactionId()).isEqualTo(7);
                assertThat(e.header().responder()).isTrue();
            });
            BfcpMessage b = bob.request(FloorRequest.of(CommonHeader.request(CONF + 1, 8, 2), 1), T);
            assertThat(((BfcpError) b).code()).isEqualTo(ErrorCode.UNAUTHORIZED_OPERATION);
            assertThat(f.received).as("nothing reached the floor control server").isEmpty();
            // the connection stays usable for what is his
            assertThat(bob.request(new Hello(CommonHeader.request(CONF, 9, 2)), T)).isInstanceOf(HelloAck.class);
            assertThat(f.received).hasSize(1);
        }
    }

    @Test
    void undecodableMessagesGetTheMatchingErrorAndTheConnectionGoesOn() throws Exception {
        try (TlsFixture f = new TlsFixture()) {
            TlsClientProtocol tls = bobTunnel(f);
            // a FloorRequest without FLOOR-ID: Unable to Parse Message
            write(tls, "20010000" + "0000004d" + "0001" + "0002");
            assertThat(((BfcpError) next(tls)).code()).isEqualTo(ErrorCode.UNABLE_TO_PARSE_MESSAGE);
            // primitive 99: Unknown Primitive
            write(tls, "20630000" + "0000004d" + "0002" + "0002");
            assertThat(((BfcpError) next(tls)).code()).isEqualTo(ErrorCode.UNKNOWN_PRIMITIVE);
            // an unknown attribute type 40 with M = 1: Unknown Mandatory Attribute naming it
            write(tls, "200b0001" + "0000004d" + "0003" + "0002" + "51040000");
            BfcpError e = (BfcpError) next(tls);
            assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_MANDATORY_ATTRIBUTE);
            assertThat(e.unknownAttributeTypes()).containsExactly(40);
            assertThat(e.header().transactionId()).isEqualTo(3);
            // still alive
            write(tls, HexFormat.of().formatHex(BfcpCodec.encode(new Hello(CommonHeader.request(CONF, 4, 2)))));
            assertThat(next(tls)).isInstanceOf(HelloAck.class);
            tls.close();
        }
    }

    @Test
    void anUndelimitableHeaderIsAnsweredAndTheConnectionClosed() throws Exception {
        try (TlsFixture f = new TlsFixture()) {
            TlsClientProtocol tls = bobTunnel(f);
            write(tls, "400b0000" + "0000004d" + "0005" + "0002"); // Ver 2 on TCP
            assertThat(((BfcpError) next(tls)).code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
            assertThat(endOfStream(tls)).isTrue();

            TlsClientProtocol tls2 = bobTunnel(f);
            write(tls2, "200bffff" + "0000004d" + "0006" + "0002"); // 256 KiB announced
            assertThat(((BfcpError) next(tls2)).code()).isEqualTo(ErrorCode.INCORRECT_MESSAGE_LENGTH);
            assertThat(endOfStream(tls2)).isTrue();
        }
    }

    private static boolean endOfStream(TlsClientProtocol tls) {
        try {
            return tls.getInputStream().read() == -1;
        } catch (IOException e) {
            return true; // reset or TLS close: ended either way
        }
    }

    @Test
    void garbageBeforeTheHandshakeClosesTheConnectionAndOthersAreServed() throws Exception {
        try (TlsFixture f = new TlsFixture(); Socket raw = new Socket(InetAddress.getLoopbackAddress(),
                f.address().getPort())) {
            raw.setSoTimeout(5000);
            OutputStream out = raw.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(BfcpCodec.encode(new Hello(CommonHeader.request(CONF, 1, 2)))); // BFCP in the clear
            out.flush();
            InputStream in = raw.getInputStream();
            byte[] rest = in.readNBytes(4096); // at most a TLS alert, then end of stream
            assertThat(rest.length).isLessThan(16);
            try (BfcpTlsClient bob = f.bob(TlsPolicy.tls13Only())) {
                assertThat(bob.request(new Hello(CommonHeader.request(CONF, 2, 2)), T)).isInstanceOf(HelloAck.class);
            }
        }
    }

    @Test
    void aSilentClientIsDroppedAfterTheHandshakeTimeout() throws Exception {
        BfcpTlsServer.Options o = BfcpTlsServer.Options.defaults()
                .withTls(TlsPolicy.tls13Only().withHandshakeTimeout(Duration.ofMillis(300)));
        try (TlsFixture f = new TlsFixture(o); Socket raw = new Socket(InetAddress.getLoopbackAddress(),
                f.address().getPort())) {
            raw.setSoTimeout(5000);
            long start = System.nanoTime();
            assertThat(raw.getInputStream().read()).isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(200L, 4000L);
            assertThat(f.awaitFailedHandshakes(1)).isEqualTo(1);
        }
    }

    @Test
    void connectionsAboveTheBoundAreClosedAtOnce() throws Exception {
        BfcpTlsServer.Options o = BfcpTlsServer.Options.defaults().withMaxConnections(1);
        try (TlsFixture f = new TlsFixture(o); BfcpTlsClient bob = f.bob(TlsPolicy.tls13Only());
             Socket second = new Socket(InetAddress.getLoopbackAddress(), f.address().getPort())) {
            second.setSoTimeout(5000);
            assertThat(second.getInputStream().read()).isEqualTo(-1);
            assertThat(bob.request(new Hello(CommonHeader.request(CONF, 3, 2)), T)).isInstanceOf(HelloAck.class);
        }
    }

    @Test
    void closingTheSessionAtTheServerEndsTheClient() throws Exception {
        try (TlsFixture f = new TlsFixture(); BfcpTlsClient bob = f.bob(TlsPolicy.tls13Only())) {
            f.awaitSessions(1).get(0).close();
            bob.closedFuture().get(5, TimeUnit.SECONDS);
            assertThat(bob.isOpen()).isFalse();
        }
    }
}
