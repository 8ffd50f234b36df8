package org.kmsconf.sip.focus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.kmsconf.control.floor.FloorControlServer;
import org.kmsconf.control.floor.FloorPolicy;
import org.kmsconf.control.service.FloorControlService;
import org.kmsconf.control.tls.BfcpLeg;
import org.kmsconf.control.tls.BfcpTlsServer;
import org.kmsconf.control.tls.PskIdentity;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.NonMediaSession;
import org.kmsconf.sip.conference.Conference;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.media.ConferenceMedia;
import org.kmsconf.sip.sdp.BfcpLine;
import org.kmsconf.sip.trace.SignallingCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The focus as floor control server (RFC 8855, RFC 8856): one BFCP TLS port for every conference, one floor (the
 * audio, floor ID 1) per floor-controlled conference, moderated by its owner as chair. A participant's leg may
 * connect once its MIKEY exchange keyed the BFCP TLS PSK (CS 0xB0): its psk_identity comes from the exchange's CSB
 * ID, its User ID is the participant's in this conference (the same across re-keys), and its messages must carry
 * that User ID and the conference's ID. A re-key replaces the PSK (the old connection closes); a leg that ends or a
 * participant removed can connect no more. The holder of the floor is the only participant whose audio the relay
 * forwards.
 */
final class FocusFloors implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FocusFloors.class);
    static final int AUDIO_FLOOR = 1;

    private final ConferenceSystem sys;
    private final FloorControlService service;
    private final Map<String, Floor> byFocus = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** The floor control of one conference; guarded by its server's lock. */
    private static final class Floor {
        final long confId;
        final String owner;
        final FloorControlServer server;
        final Map<String, Integer> userIds = new HashMap<>();
        final Map<Integer, String> identities = new HashMap<>();
        final Map<String, PskIdentity> legs = new HashMap<>();

        Floor(long confId, String owner, FloorControlServer server) {
            this.confId = confId;
            this.owner = owner;
            this.server = server;
        }

        int userId(String identity) {
            return userIds.computeIfAbsent(identity, i -> {
                int id = userIds.size() + 1;
                identities.put(id, i);
                return id;
            });
        }
    }

    FocusFloors(ConferenceSystem sys, FloorControlConfig config) throws IOException {
        this.sys = sys;
        this.service = config == null ? null : new FloorControlService(
                new InetSocketAddress(sys.node.host(), config.port()),
                BfcpTlsServer.Options.defaults().withTls(config.tls()));
        if (service != null) {
            LOG.info("floor control (BFCP over TLS-PSK) on {}", service.address());
        }
    }

    /** Whether this server does floor control at all. */
    boolean enabled() {
        return service != null;
    }

    /** Where participants connect for BFCP, if floor control is on. */
    Optional<InetSocketAddress> address() {
        return service == null ? Optional.empty() : Optional.of(service.address());
    }

    boolean controls(String focusUri) {
        return byFocus.containsKey(focusUri);
    }

    /** A conference whose creator asked for floor control: its audio is relayed for the floor holder only. */
    void open(Conference<FocusLeg> conf, ConferenceMedia.Room room) {
        if (service == null) {
            return;
        }
        long id = freeConferenceId();
        FloorControlServer server = new FloorControlServer(id, List.of(AUDIO_FLOOR), FloorPolicy.moderated(),
                (c, floor, holder) -> holderChanged(conf.focusUri(), room, holder));
        Floor f = new Floor(id, conf.owner(), server);
        service.addConference(server);
        byFocus.put(conf.focusUri(), f);
        room.floorControl(true);
        LOG.info("{}: floor control on (BFCP conference {}), chair {}", conf.focusUri(), id, conf.owner());
    }

    /** A random non-zero 32-bit BFCP Conference ID that no live conference of this server uses. */
    private long freeConferenceId() {
        while (true) {
            long id = random.nextInt() & 0xFFFF_FFFFL;
            if (id != 0 && byFocus.values().stream().noneMatch(f -> f.confId == id)) {
                return id;
            }
        }
    }

    private void holderChanged(String focusUri, ConferenceMedia.Room room, OptionalInt holder) {
        Floor f = byFocus.get(focusUri);
        Optional<String> who = f == null || holder.isEmpty() ? Optional.empty()
                : Optional.ofNullable(f.identities.get(holder.getAsInt()));
        room.floorHolder(who); // from now on the relay forwards only this participant's audio
        LOG.info("{}: the audio floor is held by {}", focusUri, who.orElse("nobody"));
    }

    /**
     * The BFCP line of the focus's answer to an offer whose MIKEY exchange gave {@code keys}: the server's line when
     * the participant asked for floor control (a client line), the conference is floor-controlled and the exchange
     * keyed CS 0xB0; refused (port 0) when it asked but one of these fails; none when it did not ask.
     */
    Optional<BfcpLine> answer(Conference<FocusLeg> conf, String identity, Optional<BfcpLine> offered, Leg keys) {
        Floor f = byFocus.get(conf.focusUri());
        if (offered.isEmpty() || !offered.get().accepted()) {
            legEnded(conf, identity); // no BFCP stream (any more) on this leg
            return offered.map(o -> BfcpLine.refused());
        }
        Optional<KeyMaterial> psk = keys.nonMediaKey(NonMediaSession.BFCP_TLS_PSK);
        String why = f == null ? conf.focusUri() + " is not floor-controlled"
                : psk.isEmpty() ? "the leg's MIKEY exchange keyed no BFCP TLS PSK (CS 0xB0)" : null;
        if (why == null) {
            synchronized (f.server) {
                int userId = f.userId(identity);
                BfcpLeg leg = new BfcpLeg(new PskIdentity(keys.csbId()), psk.get().copy(), f.confId, userId);
                PskIdentity previous = f.legs.get(identity);
                try {
                    if (previous != null) {
                        service.replaceLeg(previous, leg);
                    } else {
                        service.addLeg(leg);
                    }
                } catch (IllegalStateException e) {
                    leg.psk().destroy();
                    why = "psk_identity " + leg.identity() + " names another live leg";
                }
                if (why == null) {
                    f.legs.put(identity, leg.identity());
                    if (!f.server.isParticipant(userId)) {
                        service.deliver(f.confId, f.server.addParticipant(userId, Optional.of(identity)));
                    }
                    if (identity.equals(f.owner) && f.server.chair().isEmpty()) {
                        service.deliver(f.confId, f.server.setChair(OptionalInt.of(userId)));
                    }
                    sys.tracer.check(conf.focusUri(), SignallingCheck.FLOOR_CONTROL_KEYED, true, identity
                            + " as BFCP user " + userId);
                    return Optional.of(BfcpLine.server(service.address(), f.confId, userId, AUDIO_FLOOR));
                }
            }
        }
        sys.tracer.check(conf.focusUri(), SignallingCheck.FLOOR_CONTROL_KEYED, false, identity + ": " + why);
        return Optional.of(BfcpLine.refused());
    }

    /** A participant's leg ended or dropped its BFCP stream: its connection closes and its requests end. */
    void legEnded(Conference<FocusLeg> conf, String identity) {
        Floor f = byFocus.get(conf.focusUri());
        if (f == null) {
            return;
        }
        synchronized (f.server) {
            PskIdentity id = f.legs.remove(identity);
            if (id != null) {
                service.removeLeg(id);
            }
            Integer userId = f.userIds.get(identity);
            if (userId != null && f.server.isParticipant(userId)) {
                service.deliver(f.confId, f.server.removeParticipant(userId));
            }
        }
    }

    /** The conference ended: its BFCP connections close. */
    void conferenceEnded(String focusUri) {
        Floor f = byFocus.remove(focusUri);
        if (f != null) {
            service.removeConference(f.confId);
        }
    }

    /** Who holds the audio floor of a conference, if it is floor-controlled and someone does. */
    Optional<String> holder(String focusUri) {
        Floor f = byFocus.get(focusUri);
        if (f == null) {
            return Optional.empty();
        }
        synchronized (f.server) {
            OptionalInt h = f.server.holder(AUDIO_FLOOR);
            return h.isEmpty() ? Optional.empty() : Optional.ofNullable(f.identities.get(h.getAsInt()));
        }
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
    }
}
