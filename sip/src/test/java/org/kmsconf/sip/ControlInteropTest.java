package org.kmsconf.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.sip.message.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.control.bfcp.BfcpCodec;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.Hello;
import org.kmsconf.control.bfcp.message.HelloAck;
import org.kmsconf.control.tls.PskIdentity;
import org.kmsconf.mikey.exchange.NonMediaSession;
import org.kmsconf.sip.focus.FloorControlConfig;
import org.kmsconf.sip.sdp.BfcpLine;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UserAgent;

/**
 * The keys a leg's MIKEY exchange gives its non-media sessions, checked end to end over SIP against OpenSSL, an
 * implementation nobody here wrote: {@code openssl s_client -psk} with bob's K(0xB0) completes TLS 1.3 with the
 * focus's floor control server and gets the HelloAck to its BFCP Hello; {@code openssl cms -decrypt} with bob's
 * K(0xE0) opens a NOTIFY body the focus sealed for bob's leg. External profile (needs openssl).
 */
@Tag("external")
class ControlInteropTest {
    private static final String BOB = "sip:bob@operator";
    private static final Duration T = Duration.ofSeconds(10);
    private KmsWorld w;
    private UserAgent alice;
    private UserAgent bob;

    @BeforeEach
    void start() throws Exception {
        w = new KmsWorld();
        w.server(w.serverConfig(null, false, null).withFloorControl(FloorControlConfig.defaults()), "udp");
        alice = w.ue("alice", "udp", c -> c.withFloorControl(true));
        bob = w.ue("bob", "udp", c -> c.withFloorControl(true));
    }

    @AfterEach
    void stop() {
        w.close();
    }

    private String moderated() throws Exception {
        UserAgent.Created c = alice.createConference(KmsWorld.FACTORY, List.of(BOB), true);
        alice.join(c.focusUri(), c.ticket());
        return c.focusUri();
    }

    @Test
    void opensslSClientWithTheLegsPskHandshakesWithTheFocusAndGetsHelloAck() throws Exception {
        String focus = moderated();
        Call b = bob.join(focus);
        BfcpLine line = b.bfcp().orElseThrow();
        String psk = HexFormat.of().formatHex(b.leg().nonMediaKey(NonMediaSession.BFCP_TLS_PSK).orElseThrow()
                .bytes());
        Process p = start(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + line.address().getPort(),
                "-psk", psk, "-psk_identity", new PskIdentity(b.leg().csbId()).text(), "-tls1_3", "-ciphersuites",
                "TLS_AES_128_GCM_SHA256", "-ign_eof"));
        try {
            ByteArrayOutputStream out = drain(p.getInputStream());
            await(out, s -> new String(s, StandardCharsets.ISO_8859_1).contains("Cipher is TLS_AES_128_GCM_SHA256"),
                    "the TLS 1.3 handshake with the focus");
            Hello hello = new Hello(CommonHeader.request(line.confId(), 0x4242, line.userId()));
            OutputStream in = p.getOutputStream();
            in.write(BfcpCodec.encode(hello));
            in.flush();
            byte[] ack = BfcpCodec.encode(HelloAck.everythingWeSupport(hello.header().response()));
            await(out, s -> indexOf(s, ack) >= 0, "the focus's HelloAck through OpenSSL");
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * The body comes from a subscription made as bob from another endpoint (the focus seals it under bob's leg KEK,
     * as every body for bob): OpenSSL opens it with bob's K(0xE0) and kekid CSB ID || 0xE0.
     */
    @Test
    void opensslCmsOpensANotifyBodyWithTheLegsKek(@TempDir Path dir) throws Exception {
        String focus = moderated();
        Call b = bob.join(focus);
        byte[] body;
        try (RawSip other = new RawSip()) {
            Request s = other.msgs.request(Request.SUBSCRIBE, BOB, focus, w.directory.lookup(focus).orElseThrow());
            s.addHeader(other.node.headerFactory().createEventHeader("conference"));
            s.addHeader(other.node.headerFactory().createAcceptHeader("application", "pkcs7-mime"));
            s.addHeader(other.node.headerFactory().createExpiresHeader(60));
            assertThat(other.send(s).getStatusCode()).isEqualTo(200);
            long end = System.nanoTime() + T.toNanos();
            while (other.received.stream().noneMatch(r -> r.getRawContent() != null) && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            body = other.received.stream().filter(r -> r.getRawContent() != null).findFirst().orElseThrow()
                    .getRawContent();
        }
        Path der = dir.resolve("notify.p7m");
        Files.write(der, body);
        String kek = HexFormat.of().formatHex(b.leg().nonMediaKey(NonMediaSession.EVENT_PACKAGE_KEK).orElseThrow()
                .bytes());
        Process p = start(List.of("openssl", "cms", "-decrypt", "-inform", "DER", "-in", der.toString(),
                "-secretkey", kek, "-secretkeyid", String.format("%08x", b.leg().csbId()) + "e0"));
        ByteArrayOutputStream out = drain(p.getInputStream());
        ByteArrayOutputStream err = drain(p.getErrorStream());
        assertThat(p.waitFor(T.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        Thread.sleep(50);
        String plain = out.toString(StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(plain).startsWith("Content-Type: application/conference-info+xml\r\n\r\n")
                .contains("entity=\"" + focus + "\"", "entity=\"" + BOB + "\"", "state=\"full\"");
    }

    private static Process start(List<String> cmd) {
        try {
            return new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new AssertionError("openssl is needed by this external test (" + e.getMessage()
                    + "): run scripts/install-external.sh", e);
        }
    }

    private static ByteArrayOutputStream drain(InputStream in) {
        ByteArrayOutputStream to = new ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (to) {
                        to.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "openssl-output");
        t.setDaemon(true);
        t.start();
        return to;
    }

    private static void await(ByteArrayOutputStream out, Predicate<byte[]> p, String what)
            throws InterruptedException {
        long end = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < end) {
            byte[] now;
            synchronized (out) {
                now = out.toByteArray();
            }
            if (p.test(now)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("waiting for " + what + "; openssl wrote:\n"
                + out.toString(StandardCharsets.ISO_8859_1));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
