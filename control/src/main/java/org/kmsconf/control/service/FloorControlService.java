package org.kmsconf.control.service;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.floor.FloorControlServer;
import org.kmsconf.control.floor.Outgoing;
import org.kmsconf.control.tls.BfcpHandler;
import org.kmsconf.control.tls.BfcpLeg;
import org.kmsconf.control.tls.BfcpSession;
import org.kmsconf.control.tls.BfcpTlsServer;
import org.kmsconf.control.tls.PskIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The focus's floor control over TLS: one BFCP TLS port for every conference, the legs that may connect to it (by
 * psk_identity, registered after each leg's MIKEY exchange), and one {@link FloorControlServer} per conference.
 * Messages from a leg's connection go to its conference's server; what the server answers and notifies goes to the
 * connections of the participants it names. Per conference, handling and delivery happen under the server's lock,
 * so every participant sees the notifications in the order the state changed.
 */
public final class FloorControlService implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(FloorControlService.class);

    private record Key(long conferenceId, int userId) {
    }

    private final Map<Long, FloorControlServer> conferences = new ConcurrentHashMap<>();
    private final Map<PskIdentity, BfcpLeg> legs = new ConcurrentHashMap<>();
    private final Map<Key, BfcpSession> sessions = new ConcurrentHashMap<>();
    private final BfcpTlsServer server;

    /** Starts the BFCP TLS port on {@code bind} (port 0: any free port). */
    public FloorControlService(InetSocketAddress bind, BfcpTlsServer.Options options) throws IOException {
        this.server = BfcpTlsServer.start(bind, id -> Optional.ofNullable(legs.get(id)), new Handler(), options);
    }

    /** The address clients connect to (for the SDP of the BFCP m-line). */
    public InetSocketAddress address() {
        return server.address();
    }

    public void addConference(FloorControlServer conference) {
        if (conferences.putIfAbsent(conference.conferenceId(), conference) != null) {
            throw new IllegalStateException("conference " + conference.conferenceId() + " already has floor control");
        }
    }

    /** The conference ended: its legs are forgotten and their connections closed. */
    public void removeConference(long conferenceId) {
        conferences.remove(conferenceId);
        legs.values().removeIf(l -> l.conferenceId() == conferenceId);
        sessions.entrySet().removeIf(e -> {
            if (e.getKey().conferenceId() == conferenceId) {
                e.getValue().close();
                return true;
            }
            return false;
        });
    }

    /**
     * A leg may connect once its MIKEY exchange gave K(0xB0). Its psk_identity (from the CSB ID) must not name a live
     * leg: the focus refuses such a CSB ID (SIP 488) before it gets here.
     */
    public void addLeg(BfcpLeg leg) {
        if (!conferences.containsKey(leg.conferenceId())) {
            throw new IllegalStateException("no floor control for conference " + leg.conferenceId());
        }
        if (legs.putIfAbsent(leg.identity(), leg) != null) {
            throw new IllegalStateException("psk_identity " + leg.identity() + " names a live leg");
        }
        LOG.info("BFCP leg {} may connect", leg);
    }

    /**
     * Re-keying (a new MIKEY exchange on the leg): the new PSK replaces the old one and the connection made with the
     * old one closes; the client reconnects with the new PSK (SDP {@code a=connection:new}).
     */
    public void replaceLeg(PskIdentity old, BfcpLeg fresh) {
        if (!fresh.identity().equals(old) && legs.containsKey(fresh.identity())) {
            throw new IllegalStateException("psk_identity " + fresh.identity() + " names a live leg");
        }
        BfcpLeg was = legs.remove(old);
        legs.put(fresh.identity(), fresh);
        if (was != null) {
            closeSessionOf(was);
        }
        LOG.info("BFCP leg {} re-keyed as {}", was, fresh);
    }

    /** The leg ended or its participant was removed: no new connection, and the current one closes. */
    public void removeLeg(PskIdentity identity) {
        BfcpLeg was = legs.remove(identity);
        if (was != null) {
            closeSessionOf(was);
            LOG.info("BFCP leg {} removed", was);
        }
    }

    private void closeSessionOf(BfcpLeg leg) {
        BfcpSession s = sessions.remove(new Key(leg.conferenceId(), leg.userId()));
        if (s != null && s.leg().identity().equals(leg.identity())) {
            s.close();
        } else if (s != null) {
            sessions.put(new Key(leg.conferenceId(), leg.userId()), s); // a newer leg's connection: keep it
        }
    }

    /**
     * Sends what a {@link FloorControlServer} call of the focus produced (addParticipant, removeParticipant,
     * setChair) to the participants connected. Call it while holding the server's lock (synchronized on it) if
     * other threads use that server, to keep the order.
     */
    public void deliver(long conferenceId, List<Outgoing> out) {
        for (Outgoing o : out) {
            BfcpSession s = sessions.get(new Key(conferenceId, o.userId()));
            if (s == null) {
                continue; // not connected (yet): FloorStatus is resent on every change anyway
            }
            try {
                s.send(o.message());
            } catch (IOException e) {
                LOG.info("BFCP to user {} of conference {} lost: {}", o.userId(), conferenceId, e.getMessage());
            }
        }
    }

    /** Is a leg's participant connected now? */
    public boolean isConnected(long conferenceId, int userId) {
        BfcpSession s = sessions.get(new Key(conferenceId, userId));
        return s != null && s.isOpen();
    }

    @Override
    public void close() {
        server.close();
        sessions.values().forEach(BfcpSession::close);
        sessions.clear();
    }

    private final class Handler implements BfcpHandler {
        @Override
        public void connected(BfcpSession session) {
            BfcpLeg leg = session.leg();
            if (!legs.containsKey(leg.identity())) {
                session.close(); // removed while handshaking
                return;
            }
            BfcpSession older = sessions.put(new Key(leg.conferenceId(), leg.userId()), session);
            if (older != null && older != session) {
                older.close(); // one connection per leg: the newest wins
            }
        }

        @Override
        public void message(BfcpSession session, BfcpMessage message) {
            BfcpLeg leg = session.leg();
            FloorControlServer fcs = conferences.get(leg.conferenceId());
            if (fcs == null) {
                session.close();
                return;
            }
            synchronized (fcs) {
                deliver(leg.conferenceId(), fcs.handle(leg.userId(), message));
            }
        }

        @Override
        public void closed(BfcpSession session) {
            BfcpLeg leg = session.leg();
            sessions.remove(new Key(leg.conferenceId(), leg.userId()), session);
        }
    }
}
