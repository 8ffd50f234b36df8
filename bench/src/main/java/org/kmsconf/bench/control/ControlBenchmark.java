package org.kmsconf.bench.control;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.kmsconf.control.bfcp.message.FloorRequestStatus;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.control.confinfo.ConferenceState;
import org.kmsconf.control.confinfo.Endpoint;
import org.kmsconf.control.confinfo.EndpointStatus;
import org.kmsconf.control.confinfo.JoiningMethod;
import org.kmsconf.control.confinfo.Media;
import org.kmsconf.control.confinfo.User;
import org.kmsconf.control.event.NotifyBody;
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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two costs of the non-media control plane that do not need SIP: sealing one conference-package NOTIFY body
 * for one subscriber (the full state of a conference of {@code users} participants, as CMS AuthEnvelopedData with
 * that subscriber's KEK: the per-subscriber work of a fan-out), and one BFCP floor request round trip over TLS 1.3
 * on loopback (FloorRequest -> FloorRequestStatus, then FloorRelease -> FloorRequestStatus, through the real
 * FloorControlService with the floor control server behind it).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ControlBenchmark {

    /** One subscriber's body. */
    @State(Scope.Thread)
    public static class Notify {
        @Param({"5", "50"})
        public int users;

        @Param({"16", "32"})
        public int kekBytes;

        ConferenceInfo state;
        KeyMaterial kek;
        final SecureRandom random = new SecureRandom();

        @Setup
        public void setUp() {
            List<User> list = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                list.add(new User("sip:user" + i + "@operator", org.kmsconf.control.confinfo.State.FULL, Optional.empty(), List.of(),
                        List.of(new Endpoint("sip:user" + i + "@192.0.2." + (i % 250 + 1), org.kmsconf.control.confinfo.State.FULL,
                                Optional.empty(), Optional.of(EndpointStatus.CONNECTED),
                                Optional.of(JoiningMethod.DIALED_IN), Optional.empty(),
                                List.of(Media.audio("1", 0x10000L + i))))));
            }
            state = new ConferenceInfo("sip:focus7.conference1@operator", org.kmsconf.control.confinfo.State.FULL, 1, Optional.empty(),
                    Optional.empty(), Optional.of(new ConferenceState(Optional.of((long) users), Optional.of(true),
                            Optional.of(false))), list);
            byte[] k = new byte[kekBytes];
            random.nextBytes(k);
            kek = KeyMaterial.of(k);
        }
    }

    @Benchmark
    public byte[] sealNotifyBodyPerSubscriber(Notify n) {
        return NotifyBody.seal(n.state, 0x0a0b0c0d, n.kek, n.random);
    }

    /** A floor control service on loopback and one connected participant. */
    @State(Scope.Benchmark)
    public static class Floor {
        static final long CONF = 9;
        FloorControlService service;
        BfcpTlsClient client;
        FloorParticipant bob;
        final Duration timeout = Duration.ofSeconds(5);

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            service = new FloorControlService(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    BfcpTlsServer.Options.defaults());
            FloorControlServer floor = new FloorControlServer(CONF, List.of(1), FloorPolicy.firstComeFirstServed(),
                    (c, f, h) -> { });
            service.addConference(floor);
            floor.addParticipant(2, Optional.of("sip:bob@operator"));
            floor.setChair(OptionalInt.empty());
            byte[] k = new byte[16];
            new SecureRandom().nextBytes(k);
            KeyMaterial psk = KeyMaterial.of(k);
            PskIdentity id = new PskIdentity(0x22);
            service.addLeg(new BfcpLeg(id, psk, CONF, 2));
            bob = new FloorParticipant(CONF, 2, new FloorParticipant.Listener() { });
            client = BfcpTlsClient.connect(service.address(), id, psk, TlsPolicy.tls13Only(), bob::receive, null);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            client.close();
            service.close();
        }
    }

    /** Request and release: two round trips per operation (the state is the same before and after). */
    @Benchmark
    public Object floorRequestRoundTripOverTls(Floor f) throws Exception {
        FloorRequestStatus s = (FloorRequestStatus) f.client.request(f.bob.requestFloor(1), f.timeout);
        return f.client.request(f.bob.release(s.floorRequestInformation().floorRequestId()), f.timeout);
    }
}
