package org.kmsconf.sip;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.kmsconf.sip.stack.SipNode;
import org.kmsconf.sip.trace.FlowEvent;

/** A conference server and user agents on loopback, keyed through the {@link FakeKms} test double. */
final class FakeWorld implements AutoCloseable {
    static final String FACTORY = "sip:factory.conference1@operator";
    static final Pattern FOCI = Pattern.compile("sip:focus\\d+\\.conference1@operator");

    final FakeKms kms = new FakeKms(FACTORY, FOCI);
    final Directory directory = new Directory();
    final List<FlowEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, UserAgent> ues = new LinkedHashMap<>();
    final List<ConferenceServer> servers = new ArrayList<>();
    private int mediaPort = 40000;

    ConferenceServer server(Set<String> allowedCreators, boolean participantsMayRefer, String transport)
            throws Exception {
        ConferenceServer cs = ConferenceServer.start(new ConferenceServer.Config(FACTORY, null, "127.0.0.1", 0,
                directory, new FakeKeyAgent(kms, Set.of(FACTORY), true), allowedCreators, participantsMayRefer, null,
                events::add, null, Duration.ofSeconds(5)));
        cs.register(directory, transport);
        servers.add(cs);
        return cs;
    }

    UserAgent ue(String name, String transport) throws Exception {
        String id = "sip:" + name + "@operator";
        UserAgent ua = UserAgent.start(new UserAgent.Config(id, "127.0.0.1", 0,
                new InetSocketAddress("127.0.0.1", mediaPort += 2), directory,
                new FakeKeyAgent(kms, Set.of(id), false), events::add, null, Duration.ofSeconds(5)));
        directory.put(id, ua.contact(transport));
        ues.put(id, ua);
        return ua;
    }

    /** Points every directory entry at one transport. */
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
        SipNode.closeAll(all);
    }
}
