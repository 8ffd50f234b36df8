package org.kmsconf.control.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.kmsconf.control.bfcp.BfcpCodec;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.Hello;
import org.kmsconf.control.bfcp.message.HelloAck;
import org.kmsconf.control.floor.FloorControlServer;
import org.kmsconf.control.floor.FloorPolicy;
import org.kmsconf.control.service.FloorControlService;
import org.kmsconf.control.tls.BfcpLeg;
import org.kmsconf.control.tls.BfcpTlsClient;
import org.kmsconf.control.tls.BfcpTlsServer;
import org.kmsconf.control.tls.PskIdentity;
import org.kmsconf.control.tls.TlsPolicy;
import org.kmsconf.mikey.crypto.KeyMaterial;

/**
 * Interoperability with OpenSSL (a TLS implementation nobody here wrote), TLS 1.3 external PSK: {@code openssl
 * s_client -psk} completes the handshake with our floor control server and exchanges BFCP Hello / HelloAck bytes,
 * and our client does the same with {@code openssl s_server -psk}. Neither side is given
 * {@code -allow_no_dhe_kex}, and our ends offer and accept psk_dhe_ke only, so the key exchange is (EC)DHE with the
 * PSK (s_client reports the server's X25519 key share). OpenSSL offers no TLS 1.2 ECDHE-PSK-AES128-GCM (0xD001), so
 * the TLS 1.2 fallback is checked here only for refusal of the pure-PSK suite.
 */
@Tag("external")
class BfcpOpensslInteropTest {
    static final long CONF = 51;
    static final int USER = 2;
    static final PskIdentity ID = new PskIdentity(0x0a0b0c0d);
    static final Duration T = Duration.ofSeconds(10);

    KeyMaterial psk;
    String pskHex;

    @BeforeEach
    void key() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        psk = KeyMaterial.of(b);
        pskHex = HexFormat.of().formatHex(b);
    }

    @AfterEach
    void zero() {
        psk.destroy();
    }

    private FloorControlService focus(TlsPolicy policy) throws IOException {
        FloorControlService s = new FloorControlService(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                BfcpTlsServer.Options.defaults().withTls(policy));
        FloorControlServer floor = new FloorControlServer(CONF, List.of(1), FloorPolicy.moderated(), (c, f, h) -> { });
        s.addConference(floor);
        floor.addParticipant(USER, Optional.empty());
        s.addLeg(new BfcpLeg(ID, psk, CONF, USER));
        return s;
    }

    private List<String> sClient(int port, String key, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-psk", key, "-psk_identity", ID.text(), "-ign_eof"));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    @Test
    void opensslSClientHandshakesWithOurServerAndGetsHelloAck() throws Exception {
        try (FloorControlService focus = focus(TlsPolicy.tls13Only());
             ExternalTool client = ExternalTool.start(sClient(focus.address().getPort(), pskHex, "-tls1_3",
                     "-ciphersuites", "TLS_AES_128_GCM_SHA256", "-groups", "X25519:P-256"))) {
            client.awaitStdout(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains("Cipher is TLS_AES_128_GCM_SHA256"), T, "the TLS 1.3 handshake");
            String info = client.stdoutText();
            assertThat(info).contains("TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256");
            assertThat(info).as("an (EC)DHE key share: psk_dhe_ke").contains("Server Temp Key: X25519");

            Hello hello = new Hello(CommonHeader.request(CONF, 0x4242, USER));
            OutputStream in = client.stdin();
            in.write(BfcpCodec.encode(hello));
            in.flush();
            byte[] expected = BfcpCodec.encode(HelloAck.everythingWeSupport(hello.header().response()));
            client.awaitStdout(b -> ExternalTool.contains(b, expected), T, "our HelloAck through OpenSSL");
            assertThat(focus.isConnected(CONF, USER)).isTrue();
        }
    }

    @Test
    void opensslWithAWrongPskIsRefused() throws Exception {
        byte[] other = new byte[16];
        new SecureRandom().nextBytes(other);
        try (FloorControlService focus = focus(TlsPolicy.tls13Only())) {
            ExternalTool.Result r = ExternalTool.run(with(sClient(focus.address().getPort(),
                    HexFormat.of().formatHex(other), "-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256")), T);
            assertThat(r.stdout()).doesNotContain("Cipher is TLS_AES_128_GCM_SHA256");
            assertThat(r.stderr()).containsIgnoringCase("alert");
            assertThat(focus.isConnected(CONF, USER)).isFalse();
        }
    }

    @Test
    void opensslOfferingOnlyPurePskInTls12IsRefusedEvenWithTheFallbackOn() throws Exception {
        try (FloorControlService focus = focus(TlsPolicy.tls13Only().withTls12EcdhePsk())) {
            for (String cipher : List.of("PSK-AES128-GCM-SHA256", "ECDHE-PSK-AES128-CBC-SHA256")) {
                ExternalTool.Result r = ExternalTool.run(with(sClient(focus.address().getPort(), pskHex, "-tls1_2",
                        "-cipher", cipher)), T);
                assertThat(r.stdout()).as(cipher).doesNotContain("Cipher is " + cipher);
                assertThat(r.stderr()).as(cipher).containsIgnoringCase("alert");
            }
            assertThat(focus.isConnected(CONF, USER)).isFalse();
        }
    }

    /** s_client with stdin closed at once: it connects, reports and ends. */
    private static List<String> with(List<String> cmd) {
        List<String> c = new ArrayList<>(cmd);
        c.remove("-ign_eof");
        return c;
    }

    @Test
    void ourClientHandshakesWithOpensslSServerAndExchangesHelloAndHelloAck() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (ExternalTool server = ExternalTool.start(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                "-nocert", "-psk", pskHex, "-psk_identity", ID.text(), "-tls1_3", "-ciphersuites",
                "TLS_AES_128_GCM_SHA256", "-groups", "X25519:P-256", "-naccept", "1"))) {
            server.awaitStdout(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains("ACCEPT"), T,
                    "s_server listening");
            try (BfcpTlsClient client = BfcpTlsClient.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    port), ID, psk, TlsPolicy.tls13Only(), m -> { }, null)) {
                assertThat(client.handshake().protocol()).isEqualTo("TLS 1.3");
                assertThat(client.handshake().cipherSuite()).isEqualTo(0x1301);
                Hello hello = new Hello(CommonHeader.request(CONF, 7, USER));
                CompletableFuture<BfcpMessage> answer = CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.request(hello, T);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                byte[] helloBytes = BfcpCodec.encode(hello);
                server.awaitStdout(b -> ExternalTool.contains(b, helloBytes), T, "our Hello through OpenSSL");
                HelloAck ack = HelloAck.everythingWeSupport(hello.header().response());
                server.stdin().write(BfcpCodec.encode(ack));
                server.stdin().flush();
                assertThat(answer.get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(ack);
            }
        }
    }

    @Test
    void ourClientRefusesAnOpensslServerWithAnotherPsk() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        byte[] other = new byte[16];
        new SecureRandom().nextBytes(other);
        try (ExternalTool server = ExternalTool.start(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                "-nocert", "-psk", HexFormat.of().formatHex(other), "-psk_identity", ID.text(), "-tls1_3",
                "-naccept", "1"))) {
            server.awaitStdout(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains("ACCEPT"), T,
                    "s_server listening");
            int p = port;
            assertThatThrownBy(() -> BfcpTlsClient.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), p),
                    ID, psk, TlsPolicy.tls13Only(), m -> { }, null)).isInstanceOf(IOException.class);
        }
    }
}
