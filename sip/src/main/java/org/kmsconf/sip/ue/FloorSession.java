package org.kmsconf.sip.ue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;
import org.kmsconf.control.bfcp.message.BeneficiaryInformation;
import org.kmsconf.control.bfcp.message.BfcpError;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.ChairActionAck;
import org.kmsconf.control.bfcp.message.FloorRequestInformation;
import org.kmsconf.control.bfcp.message.FloorRequestStatus;
import org.kmsconf.control.bfcp.message.RequestState;
import org.kmsconf.control.bfcp.message.RequestStatus;
import org.kmsconf.control.floor.FloorParticipant;
import org.kmsconf.control.tls.BfcpTlsClient;
import org.kmsconf.control.tls.PskIdentity;
import org.kmsconf.control.tls.TlsPolicy;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.NonMediaSession;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.sdp.BfcpLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A participant's floor control in one conference (RFC 8855 over TLS, RFC 8856): the BFCP connection to the
 * focus's floor control server, made with the PSK its leg's MIKEY exchange keyed (K(0xB0), psk_identity from the
 * exchange's CSB ID) and the conference and user IDs of the focus's SDP, made again with the new PSK after every
 * re-key. Floor requests and releases, and the chair's (the owner's) decisions, block until the server answers.
 */
public final class FloorSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FloorSession.class);

    /** A floor request as the server last reported it. */
    public record Status(int floorRequestId, RequestState state) { }

    private final UeContext ue;
    private final String focus;
    private volatile FloorParticipant participant;
    private volatile BfcpTlsClient client;
    private volatile int floorId;

    FloorSession(UeContext ue, String focus) {
        this.ue = ue;
        this.focus = focus;
    }

    public String focusUri() {
        return focus;
    }

    /** Connects (again) with the leg's current PSK, closing the connection made with the previous one. */
    synchronized void connect(BfcpLine server, Leg leg) throws IOException {
        KeyMaterial psk = leg.nonMediaKey(NonMediaSession.BFCP_TLS_PSK)
                .orElseThrow(() -> new IOException("the leg's MIKEY exchange keyed no BFCP TLS PSK"));
        FloorParticipant p = participant;
        if (p == null || p.conferenceId() != server.confId() || p.userId() != server.userId()) {
            p = new FloorParticipant(server.confId(), server.userId(), new FloorParticipant.Listener() {
                @Override
                public void floorStatus(int floor, OptionalInt holder, List<FloorRequestInformation> requests) {
                    ue.floorListener.floor(focus, holderUri(requests, holder), requests);
                }
            });
            participant = p;
        }
        floorId = server.floorId();
        BfcpTlsClient old = client;
        if (old != null) {
            old.close();
        }
        FloorParticipant receiving = p;
        client = BfcpTlsClient.connect(server.address(), new PskIdentity(leg.csbId()), psk, TlsPolicy.tls13Only(),
                receiving::receive, null);
        try {
            client.request(p.hello(), ue.config.timeout());
        } catch (TimeoutException e) {
            throw new IOException("no HelloAck from " + server.address());
        }
        LOG.info("{}: floor control with {} as BFCP user {} of conference {}", ue.self, focus, server.userId(),
                server.confId());
    }

    /** Whether the BFCP connection is up. */
    public boolean connected() {
        BfcpTlsClient c = client;
        return c != null && c.isOpen();
    }

    /** Asks for the floor (the conference's audio). */
    public Status request() throws FlowFailedException {
        return status(exchange(participant().requestFloor(floorId), "FloorRequest"));
    }

    /** Gives the floor back, or withdraws a request not yet granted. */
    public Status release(int floorRequestId) throws FlowFailedException {
        return status(exchange(participant().release(floorRequestId), "FloorRelease"));
    }

    /** The chair's decision on a request (Granted, Denied, Revoked, Accepted): refused unless we are the chair. */
    public void decide(int floorRequestId, RequestState decision) throws FlowFailedException {
        BfcpMessage answer = exchange(participant().chairAction(floorRequestId, floorId, decision), "ChairAction");
        if (!(answer instanceof ChairActionAck)) {
            throw new FlowFailedException(0, "ChairAction answered " + answer.primitive());
        }
    }

    /** Who holds the floor, by the last FloorStatus (the focus names each participant's SIP URI). */
    public Optional<String> holder() {
        FloorParticipant p = participant;
        return p == null ? Optional.empty() : holderUri(p.requests(floorId), p.holder(floorId));
    }

    /** The floor's requests by the last FloorStatus (granted first, then the queue, then pending ones). */
    public List<FloorRequestInformation> requests() {
        FloorParticipant p = participant;
        return p == null ? List.of() : p.requests(floorId);
    }

    /** The open request of {@code identity} for the floor, if the last FloorStatus shows one. */
    public Optional<Status> requestOf(String identity) {
        for (FloorRequestInformation i : requests()) {
            if (i.beneficiary().flatMap(BeneficiaryInformation::uri).filter(identity::equals).isPresent()) {
                return Optional.of(new Status(i.floorRequestId(), stateOf(i)));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> holderUri(List<FloorRequestInformation> requests, OptionalInt holder) {
        if (holder.isEmpty()) {
            return Optional.empty();
        }
        return requests.stream().map(FloorRequestInformation::beneficiary).flatMap(Optional::stream)
                .filter(b -> b.beneficiaryId() == holder.getAsInt()).map(BeneficiaryInformation::uri)
                .flatMap(Optional::stream).findFirst();
    }

    private FloorParticipant participant() throws FlowFailedException {
        FloorParticipant p = participant;
        if (p == null || !connected()) {
            throw new FlowFailedException(0, "no floor control with " + focus);
        }
        return p;
    }

    private BfcpMessage exchange(BfcpMessage request, String what) throws FlowFailedException {
        try {
            BfcpMessage answer = client.request(request, ue.config.timeout());
            if (answer instanceof BfcpError e) {
                throw new FlowFailedException(0, what + " refused by " + focus + ": BFCP error " + e.code()
                        + e.errorInfo().map(i -> " (" + i + ")").orElse(""));
            }
            return answer;
        } catch (IOException e) {
            throw new FlowFailedException(0, what + " to " + focus + ": " + e.getMessage());
        } catch (TimeoutException e) {
            throw new FlowFailedException(0, "no answer to " + what + " from " + focus);
        }
    }

    private static Status status(BfcpMessage m) throws FlowFailedException {
        if (!(m instanceof FloorRequestStatus s)) {
            throw new FlowFailedException(0, "unexpected BFCP answer " + m.primitive());
        }
        return new Status(s.floorRequestInformation().floorRequestId(), stateOf(s.floorRequestInformation()));
    }

    private static RequestState stateOf(FloorRequestInformation i) {
        return i.overallStatus().flatMap(o -> o.status()).map(RequestStatus::state)
                .or(() -> i.floorStatuses().get(0).status().map(RequestStatus::state)).orElse(RequestState.PENDING);
    }

    @Override
    public synchronized void close() {
        BfcpTlsClient c = client;
        client = null;
        if (c != null) {
            c.close();
        }
    }
}
