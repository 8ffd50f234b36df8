package org.kmsconf.control.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.FloorRequest;
import org.kmsconf.control.bfcp.message.FloorRequestStatus;
import org.kmsconf.control.bfcp.message.RequestState;
import org.kmsconf.control.floor.FloorControlServer;
import org.kmsconf.control.floor.FloorParticipant;
import org.kmsconf.control.floor.FloorPolicy;
import org.kmsconf.control.service.FloorControlService;
import org.kmsconf.control.tls.BfcpLeg;
import org.kmsconf.control.tls.BfcpTlsClient;
import org.kmsconf.control.tls.BfcpTlsServer;
import org.kmsconf.control.tls.PskIdentity;
import org.kmsconf.control.tls.TlsPolicy;
import org.kmsconf.mikey.crypto.KeyMaterial;

/**
 * A floor control session run for real over TLS-PSK on loopback (Hello, FloorRequest, ChairAction, FloorQuery,
 * UserQuery, FloorRelease, an Error 5, Goodbye, and the server's FloorRequestStatus / FloorStatus notifications),
 * written in the clear by the test-only {@link PcapTap} at each client, then dissected by tshark's BFCP dissector:
 * every message decodes as BFCP with its primitive, and no frame is malformed or carries a warning.
 */
@Tag("external")
class BfcpTsharkTest {
    static final long CONF = 31;

    @Test
    void tsharksBfcpDissectorDecodesTheWholeExchangeWithoutMalformedPackets(@TempDir Path dir) throws Exception {
        Map<Integer, List<Integer>> primitives = new ConcurrentHashMap<>();
        try (FloorControlService service = new FloorControlService(new InetSocketAddress(
                InetAddress.getLoopbackAddress(), 0), BfcpTlsServer.Options.defaults())) {
            FloorControlServer floor = new FloorControlServer(CONF, List.of(1, 2), FloorPolicy.moderated(),
                    (c, f, h) -> { });
            service.addConference(floor);
            floor.addParticipant(1, Optional.of("sip:alice@operator"));
            floor.addParticipant(2, Optional.of("sip:bob@operator"));
            floor.setChair(OptionalInt.of(1));
            int port = service.address().getPort();
            List<PcapTap> taps = new ArrayList<>();
            List<BfcpTlsClient> clients = new ArrayList<>();
            List<FloorParticipant> views = new ArrayList<>();
            for (int user : List.of(1, 2)) {
                KeyMaterial psk = key();
                PskIdentity id = new PskIdentity(0x100 + user);
                service.addLeg(new BfcpLeg(id, psk, CONF, user));
                FloorParticipant view = new FloorParticipant(CONF, user, new FloorParticipant.Listener() { });
                // the tap needs the client's port, known only once connected: connect through a forwarding tap
                ForwardingTap fwd = new ForwardingTap();
                BfcpTlsClient c = BfcpTlsClient.connect(service.address(), id, psk, TlsPolicy.tls13Only(),
                        view::receive, fwd);
                PcapTap tap = new PcapTap(c.localAddress().getPort(), port);
                fwd.target = tap;
                taps.add(tap);
                clients.add(c);
                views.add(view);
            }
            BfcpTlsClient alice = clients.get(0);
            BfcpTlsClient bob = clients.get(1);
            FloorParticipant aliceView = views.get(0);
            FloorParticipant bobView = views.get(1);
            Duration t = Duration.ofSeconds(5);
            bob.request(bobView.hello(), t);
            int req = ((FloorRequestStatus) bob.request(bobView.requestFloor(1), t)).floorRequestInformation()
                    .floorRequestId();
            alice.request(aliceView.chairAction(req, 1, RequestState.GRANTED), t);
            bob.request(bobView.floorQuery(List.of(1, 2)), t);
            bob.request(bobView.userQuery(), t);
            bob.request(bobView.query(req), t);
            bob.request(FloorRequest.of(CommonHeader.request(CONF, 999, 1), 1), t); // alice's ID: Error 5
            bob.request(bobView.release(req), t);
            alice.request(aliceView.goodbye(), t);
            Thread.sleep(200); // the last notifications
            for (int i = 0; i < taps.size(); i++) {
                Path pcap = dir.resolve("bfcp-" + (i + 1) + ".pcap");
                taps.get(i).write(pcap);
                primitives.put(i, dissect(pcap, port));
            }
            clients.forEach(BfcpTlsClient::close);
        }
        // bob's side: Hello, HelloAck, FloorRequest, FloorRequestStatus, ... as numbers (RFC 8855 Table 1)
        assertThat(primitives.get(1)).contains(11, 12, 1, 4, 8, 7, 5, 6, 3, 13, 2);
        assertThat(primitives.get(0)).contains(9, 10, 8, 16, 17);
    }

    /** tshark's primitive numbers of every BFCP PDU; fails on any malformed frame or expert warning. */
    private static List<Integer> dissect(Path pcap, int port) throws InterruptedException {
        List<String> base = List.of("tshark", "-n", "-r", pcap.toString(), "-d", "tcp.port==" + port + ",bfcp");
        ExternalTool.Result fields = ExternalTool.run(concat(base, "-T", "fields", "-e", "bfcp.primitive"),
                Duration.ofSeconds(60));
        assertThat(fields.exitCode()).as("tshark: %s", fields.stderr()).isZero();
        List<Integer> prims = fields.stdout().lines().filter(l -> !l.isBlank()).map(Integer::parseInt).toList();
        assertThat(prims).as("every data segment is a BFCP message").isNotEmpty();
        ExternalTool.Result bad = ExternalTool.run(concat(base, "-Y",
                "_ws.malformed || _ws.expert.severity >= warning || !bfcp && tcp.len > 0"), Duration.ofSeconds(60));
        assertThat(bad.exitCode()).isZero();
        assertThat(bad.stdout()).as("malformed, warned or undissected frames in %s", pcap).isBlank();
        ExternalTool.Result count = ExternalTool.run(concat(base, "-Y", "tcp.len > 0"), Duration.ofSeconds(60));
        assertThat(count.stdout().lines().count()).as("one BFCP message per data segment").isEqualTo(prims.size());
        return prims;
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(List.of(b));
        return l;
    }

    private static KeyMaterial key() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return KeyMaterial.of(b);
    }

    /** Lets the client connect before the pcap knows its port; nothing is sent before the handshake anyway. */
    static final class ForwardingTap implements org.kmsconf.control.tls.WireTap {
        volatile PcapTap target;

        @Override
        public void sent(byte[] message) {
            target.sent(message);
        }

        @Override
        public void received(byte[] message) {
            target.received(message);
        }
    }
}
