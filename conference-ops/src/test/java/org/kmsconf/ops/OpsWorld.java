package org.kmsconf.ops;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kmsconf.httpserver.TokenFile;
import org.kmsconf.kms.KmsAdmin;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.media.rtp.RtpEndpoint;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.ops.client.AdminClient;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.conference.Limits;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.focus.ServerConfig;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.MikeyKeyAgent;
import org.kmsconf.sip.media.RelayMedia;
import org.kmsconf.sip.stack.Capacity;
import org.kmsconf.sip.stack.SipStacks;
import org.kmsconf.sip.stack.SourceRateLimit;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UeConfig;
import org.kmsconf.sip.ue.UserAgent;

/**
 * The real path on loopback for the admin interface: an embedded KMS (in-memory H2, HTTP), a conference server with
 * the per-leg SRTP relay, its admin interface on a free port, user agents keyed through the KMS, SIP and SRTP over
 * real sockets.
 */
final class OpsWorld implements AutoCloseable {
    static final String FACTORY = "sip:factory.conference1@operator";

    final KmsServer kms;
    final KmsClient client;
    final KmsAdmin admin;
    final Directory directory = new Directory();
    final List<FlowEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, UserAgent> ues = new LinkedHashMap<>();
    final Map<String, ProvisionedKey> keys = new LinkedHashMap<>();
    final List<RtpEndpoint> media = new ArrayList<>();
    final RelayMedia relay = RelayMedia.start(InetAddress.getLoopbackAddress());
    final ConferenceOps ops;
    final ConferenceServer server;
    final HttpClient http = HttpClient.newHttpClient();
    private int mediaPort = 41000 + (int) (ProcessHandle.current().pid() % 2000) * 4;

    OpsWorld(Path dir) throws Exception {
        this(dir, false);
    }

    /** With {@code kmsPanel}, the KMS serves its audit tail and the console shows the KMS (rates, audit). */
    OpsWorld(Path dir, boolean kmsPanel) throws Exception {
        this(dir, kmsPanel, java.util.function.UnaryOperator.identity());
    }

    /** As {@link #OpsWorld(Path, boolean)}, the admin interface's configuration changed by {@code adjust}. */
    OpsWorld(Path dir, boolean kmsPanel, java.util.function.UnaryOperator<OpsConfig> adjust) throws Exception {
        Path auditToken = dir.resolve("kms-audit.token");
        kms = kmsPanel ? KmsServer.start(KmsConfig.inMemory().build(), auditToken)
                : KmsServer.start(KmsConfig.inMemory().build());
        client = KmsClient.builder().address(kms.uri()).build();
        admin = kms.admin();
        OpsConfig config = OpsConfig.loopback(0, dir.resolve("admin.token"))
                .withAuditFile(dir.resolve("admin-audit.jsonl"));
        if (kmsPanel) {
            config = config.withKms(kms.uri(), auditToken);
        }
        config = adjust.apply(config);
        ProvisionedKey confsys = admin.addUser(NewUser.of("confsys", FACTORY));
        keys.put(FACTORY, confsys);
        admin.addFactory(FACTORY);
        ops = ConferenceOps.prepare(config);
        server = ConferenceServer.start(ServerConfig.of(FACTORY, "127.0.0.1", 0, directory, ops.timed(agentOf(FACTORY)))
                .withMedia(relay).withTrace(ops.alongside(events::add)).withTimeout(Duration.ofSeconds(5))
                .withLimits(Limits.DEFAULT.withMaxConferencesPerCreator(100))
                .withCapacity(new Capacity(16, 64, SourceRateLimit.NONE)));
        server.register(directory, "udp");
        ops.start(server, relay.relay());
    }

    KeyAgent agentOf(String identity) {
        ProvisionedKey k = keys.get(identity);
        return new MikeyKeyAgent(client, kms.kmsIdentity(), k.keyId(), KeyMaterial.of(k.psk()), AlgorithmSet.SET_128,
                PartyContext.system());
    }

    UserAgent ue(String name) throws Exception {
        String id = "sip:" + name + "@operator";
        keys.put(id, admin.addUser(NewUser.of(name, id).canCreateConferences(true)));
        UserAgent ua = UserAgent.start(UeConfig.of(id, "127.0.0.1", 0,
                new InetSocketAddress("127.0.0.1", mediaPort += 2), directory, agentOf(id)).withTrace(events::add)
                .withTimeout(Duration.ofSeconds(5)));
        directory.put(id, ua.contact("udp"));
        ues.put(id, ua);
        return ua;
    }

    /** Opens the call's RTP endpoint (where its SDP said) towards the focus's relay leg. */
    RtpEndpoint rtp(Call call) {
        RtpEndpoint e = RtpEndpoint.open(call.localMedia(), call.ssrc(), call.sendKeys(), call.receiveKeys());
        e.remote(call.peerMedia());
        media.add(e);
        return e;
    }

    AdminClient adminClient() {
        return new AdminClient(ops.uri(), TokenFile.read(ops.token().file(), ConferenceOps.ADMIN_TOKEN), "tester", null);
    }

    String token() {
        return TokenFile.read(ops.token().file(), ConferenceOps.ADMIN_TOKEN);
    }

    HttpResponse<String> request(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ops.uri() + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The Call-ID of the INVITE {@code from} sent to {@code to}, as the trace saw it. */
    String inviteCallId(String from, String to) {
        return events.stream().filter(e -> e instanceof FlowEvent.SipMessage m && m.what().equals("INVITE")
                        && m.direction() == FlowEvent.Direction.SENT && m.from().startsWith(from) && m.to().startsWith(to))
                .map(e -> ((FlowEvent.SipMessage) e).callId()).reduce((a, b) -> b).orElseThrow();
    }

    @Override
    public void close() {
        media.forEach(RtpEndpoint::close);
        List<AutoCloseable> all = new ArrayList<>(ues.values());
        all.add(server);
        SipStacks.closeAll(all);
        ops.close();
        relay.close();
        client.close();
        kms.close();
    }
}
