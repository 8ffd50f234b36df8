package org.kmsconf.sip;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.kmsconf.kms.KmsAdmin;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.sip.conference.Limits;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.focus.ServerConfig;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.MikeyKeyAgent;
import org.kmsconf.sip.media.ConferenceMedia;
import org.kmsconf.sip.stack.Capacity;
import org.kmsconf.sip.stack.SipStacks;
import org.kmsconf.sip.stack.SourceRateLimit;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.KeyLogListener;
import org.kmsconf.sip.ue.UeConfig;
import org.kmsconf.sip.ue.UserAgent;

/**
 * The real path on loopback: an embedded KMS (kms module, in-memory H2, HTTP), a conference server and user agents
 * keyed with {@link MikeyKeyAgent} (mikey exchanges + KMS client), SIP over real sockets.
 */
final class KmsWorld implements AutoCloseable {
    static final String FACTORY = "sip:factory.conference1@operator";
    static final Pattern FOCI = Pattern.compile("sip:focus\\d+\\.conference1@operator");

    final KmsServer kms = KmsServer.start(KmsConfig.inMemory().build());
    final KmsClient client = KmsClient.builder().address(kms.uri()).build();
    final KmsAdmin admin = kms.admin();
    final Directory directory = new Directory();
    final List<FlowEvent> events = new CopyOnWriteArrayList<>();
    /** Key-log lines in the format of docs/demo.md "The key log", from every party. */
    final List<String> keyLog = new CopyOnWriteArrayList<>();
    final KeyLogListener keyLogListener = (sender, receiver, ssrc, k) -> keyLog.add("SRTP " + sender + " "
            + receiver + " " + ssrc + " " + HexFormat.of().formatHex(k.masterKey()) + " "
            + HexFormat.of().formatHex(k.masterSalt()) + " " + k.policy().name());
    final Map<String, UserAgent> ues = new LinkedHashMap<>();
    final List<ConferenceServer> servers = new ArrayList<>();
    private final Map<String, ProvisionedKey> keys = new ConcurrentHashMap<>();
    private final ProvisionedKey confsys;
    private int mediaPort = 40000;
    private final AlgorithmSet set;

    KmsWorld() {
        this(AlgorithmSet.SET_128);
    }

    /** With {@link AlgorithmSet#SET_256} every user gets a 256-bit PSK and asks for 256-bit tickets. */
    KmsWorld(AlgorithmSet set) {
        this.set = set;
        int bits = set == AlgorithmSet.SET_256 ? 256 : 128;
        confsys = admin.addUser(NewUser.of("confsys", FACTORY).pskBits(bits));
        admin.addFactory(FACTORY);
    }

    /** A fresh agent of a provisioned user (own replay cache), as another device of that user would have. */
    KeyAgent agentOf(String identity) {
        return agentOf(identity, List.of());
    }

    /** The same, offering these SRTP policies in its TRANSFER_INITs (empty: the algorithm set's default). */
    KeyAgent agentOf(String identity, List<SrtpPolicy> offer) {
        ProvisionedKey k = identity.equals(FACTORY) ? confsys : keys.get(identity);
        return new MikeyKeyAgent(client, kms.kmsIdentity(), k.keyId(), KeyMaterial.of(k.psk()), set,
                PartyContext.system(), offer);
    }

    ConferenceServer server(Set<String> allowedCreators, boolean participantsMayRefer, String transport)
            throws Exception {
        return server(allowedCreators, participantsMayRefer, transport, null);
    }

    ConferenceServer server(Set<String> allowedCreators, boolean participantsMayRefer, String transport,
                            ConferenceMedia media) throws Exception {
        return server(serverConfig(allowedCreators, participantsMayRefer, media), transport);
    }

    /** The test servers' configuration: the given policy, generous limits and no per-source rate (one address). */
    ServerConfig serverConfig(Set<String> allowedCreators, boolean participantsMayRefer, ConferenceMedia media) {
        return ServerConfig.of(FACTORY, "127.0.0.1", 0, directory, agentOf(FACTORY))
                .withAllowedCreators(allowedCreators).withParticipantsMayRefer(participantsMayRefer).withMedia(media)
                .withTrace(events::add).withKeyLog(keyLogListener).withTimeout(Duration.ofSeconds(5))
                .withLimits(Limits.DEFAULT.withMaxConferencesPerCreator(1000))
                .withCapacity(new Capacity(32, 256, SourceRateLimit.NONE));
    }

    ConferenceServer server(ServerConfig config, String transport) throws Exception {
        ConferenceServer cs = ConferenceServer.start(config);
        cs.register(directory, transport);
        servers.add(cs);
        return cs;
    }

    UserAgent ue(String name, String transport) throws Exception {
        return ue(name, transport, List.of());
    }

    /** A user agent whose TRANSFER_INITs offer these SRTP policies (empty: the algorithm set's default). */
    UserAgent ue(String name, String transport, List<SrtpPolicy> offer) throws Exception {
        return ue(name, transport, offer, c -> c);
    }

    /** A user agent with its configuration adjusted (e.g. floor control, no subscription). */
    UserAgent ue(String name, String transport, UnaryOperator<UeConfig> adjust) throws Exception {
        return ue(name, transport, List.of(), adjust);
    }

    private UserAgent ue(String name, String transport, List<SrtpPolicy> offer, UnaryOperator<UeConfig> adjust)
            throws Exception {
        String id = "sip:" + name + "@operator";
        keys.put(id, admin.addUser(NewUser.of(name, id).canCreateConferences(true)
                .pskBits(set == AlgorithmSet.SET_256 ? 256 : 128)));
        UserAgent ua = UserAgent.start(adjust.apply(UeConfig.of(id, "127.0.0.1", 0,
                new InetSocketAddress("127.0.0.1", mediaPort += 2), directory, agentOf(id, offer)).withTrace(events::add)
                .withKeyLog(keyLogListener).withTimeout(Duration.ofSeconds(5))));
        directory.put(id, ua.contact(transport));
        ues.put(id, ua);
        return ua;
    }

    /** KMS-side policy: may this user create conferences (hold a secure session with the factory)? */
    void canCreate(String name, boolean can) {
        admin.setCanCreateConferences(name, can);
    }

    void useTransport(String transport) {
        for (UserAgent ua : ues.values()) {
            directory.put(ua.identity(), ua.contact(transport));
        }
        for (ConferenceServer cs : servers) {
            cs.register(directory, transport);
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(ues.values());
        all.addAll(servers);
        SipStacks.closeAll(all);
        client.close();
        kms.close();
    }
}
