package org.kmsconf.app.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.kmsconf.app.config.KeyAgents;
import org.kmsconf.app.keylog.KeyLogFile;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.conference.FocusUris;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.focus.FloorControlConfig;
import org.kmsconf.sip.focus.ServerConfig;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.media.RelayMedia;
import org.kmsconf.sip.stack.SipStacks;
import org.kmsconf.sip.trace.FlowListener;
import org.kmsconf.sip.trace.KeyLogListener;
import org.kmsconf.sip.ue.AnswerPolicy;
import org.kmsconf.sip.ue.UeConfig;
import org.kmsconf.sip.ue.UserAgent;

/**
 * Every party of the demo, in one process on loopback: an embedded KMS (H2 store in a temporary directory), the
 * conference system (factory + focus with the per-leg SRTP relay) and the user agents, each provisioned in the KMS
 * with its own random PSK. Closing it stops everything and deletes the temporary directory.
 */
public final class DemoWorld implements AutoCloseable {
    public static final String DOMAIN = "operator";
    public static final String FACTORY = "sip:factory.conference1@" + DOMAIN;
    /** The KMS-side rule of which focus URIs the factory may create (TR 33.829 clause 5.3.3.3.1 example). */
    public static final String FOCUS_RULE = "focus{N}.conference1";
    public static final String FOCUS_PATTERN = "sip:focus{N}.conference1@" + DOMAIN;
    public static final String CONFERENCE_SYSTEM_USER = "conference1";
    private static final Duration SIP_TIMEOUT = Duration.ofSeconds(8);
    /** Which call-outs (flow 4) and REFERs (flow 5) the demo's user agents answer (kmsconf ue --answer). */
    public static final AnswerPolicy ANSWER = AnswerPolicy.always();

    private final Path tempDir;
    private final KmsServer kms;
    private final Directory directory = new Directory();
    private final Map<String, ProvisionedKey> keys = new LinkedHashMap<>();
    private final Map<String, UserAgent> ues = new LinkedHashMap<>();
    /** Sockets holding each UE's advertised media port until its RTP endpoint binds it ({@link #takeMediaPort}). */
    private final Map<String, java.net.DatagramSocket> mediaPlaceholders = new java.util.concurrent.ConcurrentHashMap<>();
    private final String transport;
    private final FlowListener trace;
    private final KeyLogFile keyLog;
    private final KmsClient kmsClient;
    private RelayMedia media;
    private ConferenceServer server;

    private DemoWorld(Path tempDir, KmsServer kms, String transport, FlowListener trace, KeyLogFile keyLog) {
        this.tempDir = tempDir;
        this.kms = kms;
        this.transport = transport;
        this.trace = trace;
        this.keyLog = keyLog;
        this.kmsClient = KeyAgents.client(List.of(URI.create(kms.uri() + "/kms")));
    }

    /**
     * Starts the KMS, provisions the conference system and {@code users} (user parts; the first one may create
     * conferences), starts the conference server and a user agent for each user in {@code withAgents}.
     */
    public static DemoWorld start(String transport, List<String> users, List<String> withAgents, FlowListener trace,
                                  KeyLogFile keyLog) throws IOException {
        Path dir = Files.createTempDirectory("kmsconf-demo-");
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        KmsServer kms;
        try {
            kms = KmsServer.start(KmsConfig.builder().dataDir(dir).masterKeyHex(HexFormat.of().formatHex(master))
                    .listen("127.0.0.1", 0).defaultAllow(true).build());
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        } finally {
            java.util.Arrays.fill(master, (byte) 0);
        }
        DemoWorld w = new DemoWorld(dir, kms, transport, trace, keyLog);
        try {
            w.provision(users);
            w.startServer();
            for (String u : withAgents) {
                w.startAgent(u);
            }
            return w;
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
    }

    public static String uri(String user) {
        return "sip:" + user + "@" + DOMAIN;
    }

    private void provision(List<String> users) {
        var admin = kms.admin();
        ProvisionedKey cs = admin.addUser(NewUser.of(CONFERENCE_SYSTEM_USER, FACTORY));
        admin.addFactory(FACTORY, FOCUS_RULE, List.of());
        keys.put(FACTORY, cs);
        keyLogPsk(FACTORY, cs);
        boolean first = true;
        for (String u : users) {
            ProvisionedKey k = admin.addUser(NewUser.of(u, uri(u)).canCreateConferences(first));
            first = false;
            keys.put(uri(u), k);
            keyLogPsk(uri(u), k);
        }
    }

    /** Adds the key-log PSK line of a public identity (each focus URI gets the conference system's PSK). */
    public void keyLogPsk(String identity, ProvisionedKey key) {
        if (keyLog != null) {
            byte[] psk = key.psk();
            try {
                keyLog.psk(identity, psk);
            } finally {
                java.util.Arrays.fill(psk, (byte) 0);
            }
        }
    }

    /** A key-log SRTP line (when the key log is on). */
    public void keyLogSrtp(String sender, String receiver, org.kmsconf.mikey.message.Ssrc ssrc,
                           org.kmsconf.mikey.crypto.SrtpKeys k) {
        if (keyLog != null) {
            keyLog.srtpKeys(sender, receiver, ssrc, k);
        }
    }

    private void startServer() throws IOException {
        media = RelayMedia.start(InetAddress.getLoopbackAddress());
        KeyAgent agent = agentOf(FACTORY);
        server = ConferenceServer.start(ServerConfig.of(FACTORY, "127.0.0.1", 0, directory, agent)
                .withFocusUris(FocusUris.rule(FOCUS_PATTERN)).withMedia(media).withTrace(trace)
                .withKeyLog(keyLogListener()).withTimeout(SIP_TIMEOUT)
                .withFloorControl(FloorControlConfig.defaults()));
        server.register(directory, transport);
    }

    private UserAgent startAgent(String user) throws IOException {
        String id = uri(user);
        KeyAgent agent = agentOf(id);
        // The SDP's media address: a socket holds the port until the UE's RTP endpoint binds exactly it.
        java.net.DatagramSocket placeholder = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        InetSocketAddress mediaAddr = (InetSocketAddress) placeholder.getLocalSocketAddress();
        mediaPlaceholders.put(id, placeholder);
        UserAgent ua = UserAgent.start(UeConfig.of(id, "127.0.0.1", 0, mediaAddr, directory, agent).withTrace(trace)
                .withKeyLog(keyLogListener()).withTimeout(SIP_TIMEOUT).withAnswer(ANSWER));
        directory.put(id, ua.contact(transport));
        ues.put(id, ua);
        return ua;
    }

    /** A fresh key agent of a user, as another device of that user (or that user acting as an attacker) has. */
    KeyAgent keyAgent(String user) {
        return agentOf(uri(user));
    }

    Directory directory() {
        return directory;
    }

    /** The real MIKEY-TICKET key agent of a provisioned identity, talking to the KMS over HTTP. */
    private KeyAgent agentOf(String identity) {
        ProvisionedKey k = keys.get(identity);
        byte[] psk = k.psk();
        try {
            return KeyAgents.mikey(kmsClient, kms.kmsIdentity(), k.keyId(), psk);
        } finally {
            java.util.Arrays.fill(psk, (byte) 0);
        }
    }

    private KeyLogListener keyLogListener() {
        return keyLog == null ? KeyLogListener.NONE : keyLog;
    }

    /** Frees the media port {@code user}'s UE advertises in its SDP, right before its RTP endpoint binds it. */
    public void releaseMediaPort(String user) {
        java.net.DatagramSocket placeholder = mediaPlaceholders.remove(uri(user));
        if (placeholder != null) {
            placeholder.close();
        }
    }

    /** The URL clients POST MIKEY messages to. */
    public URI kmsEndpoint() {
        return URI.create(kms.uri() + "/kms");
    }

    public KmsServer kms() {
        return kms;
    }

    public ConferenceServer server() {
        return server;
    }

    public RelayMedia media() {
        return media;
    }

    public UserAgent ue(String user) {
        UserAgent ua = ues.get(uri(user));
        if (ua == null) {
            throw new IllegalArgumentException("no user agent for " + user);
        }
        return ua;
    }

    public ProvisionedKey conferenceSystemKey() {
        return keys.get(FACTORY);
    }

    public String transport() {
        return transport;
    }

    @Override
    public void close() {
        List<AutoCloseable> sip = new ArrayList<>(ues.values());
        if (server != null) {
            sip.add(server);
        }
        SipStacks.closeAll(sip); // stops the stacks in parallel (each stop() sleeps a second)
        mediaPlaceholders.values().forEach(java.net.DatagramSocket::close);
        if (media != null) {
            media.close();
        }
        kmsClient.close();
        kms.close();
        keys.values().forEach(ProvisionedKey::destroy);
        deleteTree(tempDir);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
