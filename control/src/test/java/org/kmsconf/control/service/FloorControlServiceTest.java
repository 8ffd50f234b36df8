package org.kmsconf.control.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmsconf.control.bfcp.message.BfcpError;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.ChairActionAck;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.ErrorCode;
import org.kmsconf.control.bfcp.message.FloorRequest;
import org.kmsconf.control.bfcp.message.FloorRequestStatus;
import org.kmsconf.control.bfcp.message.HelloAck;
import org.kmsconf.control.bfcp.message.RequestState;
import org.kmsconf.control.floor.FloorControlServer;
import org.kmsconf.control.floor.FloorParticipant;
import org.kmsconf.control.floor.FloorPolicy;
import org.kmsconf.control.tls.BfcpLeg;
import org.kmsconf.control.tls.BfcpTlsClient;
import org.kmsconf.control.tls.BfcpTlsServer;
import org.kmsconf.control.tls.PskIdentity;
import org.kmsconf.control.tls.TlsPolicy;
import org.kmsconf.mikey.crypto.KeyMaterial;

/**
 * Floor control end to end over TLS-PSK on loopback: the owner (chair), bob and carol each on their own leg's
 * connection; the floor moves bob -> carol with the owner's grant, every participant sees it, and the holder hook
 * (what the relay follows) sees 2 then 3. Legs removed or re-keyed lose their connection.
 */
class FloorControlServiceTest {
    static final long CONF = 4242;
    static final int OWNER = 1;
    static final int BOB = 2;
    static final int CAROL = 3;
    static final Duration T = Duration.ofSeconds(5);

    final List<String> holders = new CopyOnWriteArrayList<>();
    FloorControlService service;
    FloorControlServer floor;

    /** A participant's end: its TLS client and its view of the floors. */
    static final class Party implements AutoCloseable {
        final FloorParticipant view;
        final BfcpTlsClient client;
        final BlockingQueue<BfcpMessage> notes = new LinkedBlockingQueue<>();

        Party(FloorControlService s, int user, PskIdentity id, KeyMaterial psk) throws IOException {
            view = new FloorParticipant(CONF, user, new FloorParticipant.Listener() { });
            client = BfcpTlsClient.connect(s.address(), id, psk, TlsPolicy.tls13Only(), m -> {
                notes.add(m); // first: once the view shows a change, its message is in notes
                view.receive(m);
            }, null);
        }

        BfcpMessage ask(BfcpMessage m) throws Exception {
            BfcpMessage a = client.request(m, T);
            view.receive(a);
            return a;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    static KeyMaterial key() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return KeyMaterial.of(b);
    }

    @BeforeEach
    void start() throws IOException {
        service = new FloorControlService(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                BfcpTlsServer.Options.defaults());
        floor = new FloorControlServer(CONF, List.of(1), FloorPolicy.moderated(),
                (c, f, h) -> holders.add(h.isPresent() ? String.valueOf(h.getAsInt()) : "-"));
        service.addConference(floor);
        for (int u : List.of(OWNER, BOB, CAROL)) {
            synchronized (floor) {
                service.deliver(CONF, floor.addParticipant(u, Optional.of("sip:u" + u + "@operator")));
            }
        }
        floor.setChair(OptionalInt.of(OWNER));
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private Party join(int user, int csbId) throws IOException {
        PskIdentity id = new PskIdentity(csbId);
        KeyMaterial psk = key();
        service.addLeg(new BfcpLeg(id, psk, CONF, user));
        return new Party(service, user, id, psk);
    }

    static void await(BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + T.toNanos();
        while (!c.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(c.getAsBoolean()).isTrue();
    }

    @Test
    void theFloorMovesFromBobToCarolWithTheOwnersGrant() throws Exception {
        try (Party owner = join(OWNER, 0x11); Party bob = join(BOB, 0x22); Party carol = join(CAROL, 0x33)) {
            assertThat(bob.ask(bob.view.hello())).isInstanceOf(HelloAck.class);

            FloorRequestStatus b = (FloorRequestStatus) bob.ask(bob.view.requestFloor(1));
            int bobRequest = b.floorRequestInformation().floorRequestId();
            assertThat(bob.view.myRequest(bobRequest)).hasValue(RequestState.PENDING);
            await(() -> owner.view.requests(1).size() == 1); // the chair sees the pending request

            assertThat(owner.ask(owner.view.chairAction(bobRequest, 1, RequestState.GRANTED)))
                    .isInstanceOf(ChairActionAck.class);
            await(() -> bob.view.myRequest(bobRequest).equals(Optional.of(RequestState.GRANTED)));
            await(() -> carol.view.holder(1).equals(OptionalInt.of(BOB)));

            int carolRequest = ((FloorRequestStatus) carol.ask(carol.view.requestFloor(1)))
                    .floorRequestInformation().floorRequestId();
            owner.ask(owner.view.chairAction(carolRequest, 1, RequestState.GRANTED));
            await(() -> bob.view.myRequest(bobRequest).isEmpty()); // revoked: final
            await(() -> owner.view.holder(1).equals(OptionalInt.of(CAROL)));
            await(() -> bob.view.holder(1).equals(OptionalInt.of(CAROL)));
            await(() -> carol.view.myRequest(carolRequest).equals(Optional.of(RequestState.GRANTED)));
            assertThat(bob.notes).anySatisfy(m -> assertThat(m).isInstanceOfSatisfying(FloorRequestStatus.class,
                    s -> assertThat(s.floorRequestInformation().overallStatus().orElseThrow().status().orElseThrow()
                            .state()).isEqualTo(RequestState.REVOKED)));
            assertThat(holders).containsExactly(String.valueOf(BOB), String.valueOf(CAROL));
            assertThat(floor.holder(1)).hasValue(CAROL);
        }
    }

    @Test
    void carolClaimingBobsUserIdGetsUnauthorizedOperationAndChangesNothing() throws Exception {
        try (Party bob = join(BOB, 0x22); Party carol = join(CAROL, 0x33)) {
            BfcpMessage a = carol.client.request(FloorRequest.of(CommonHeader.request(CONF, 5, BOB), 1), T);
            assertThat(a).isInstanceOfSatisfying(BfcpError.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED_OPERATION));
            assertThat(floor.holder(1)).isEmpty();
            assertThat(holders).isEmpty();
            assertThat(bob.client.isOpen()).isTrue();
        }
    }

    @Test
    void aRemovedParticipantsConnectionClosesAndItCannotReconnect() throws Exception {
        PskIdentity id = new PskIdentity(0x22);
        KeyMaterial psk = key();
        service.addLeg(new BfcpLeg(id, psk, CONF, BOB));
        try (Party bob = new Party(service, BOB, id, psk)) {
            await(() -> service.isConnected(CONF, BOB));
            service.removeLeg(id);
            synchronized (floor) {
                service.deliver(CONF, floor.removeParticipant(BOB));
            }
            bob.client.closedFuture().get(5, TimeUnit.SECONDS);
            assertThatThrownBy(() -> new Party(service, BOB, id, psk)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void afterARekeyTheOldConnectionClosesAndOnlyTheNewPskConnects() throws Exception {
        PskIdentity oldId = new PskIdentity(0x22);
        KeyMaterial oldPsk = key();
        service.addLeg(new BfcpLeg(oldId, oldPsk, CONF, BOB));
        try (Party bob = new Party(service, BOB, oldId, oldPsk)) {
            await(() -> service.isConnected(CONF, BOB));
            PskIdentity newId = new PskIdentity(0x23);
            KeyMaterial newPsk = key();
            service.replaceLeg(oldId, new BfcpLeg(newId, newPsk, CONF, BOB));
            bob.client.closedFuture().get(5, TimeUnit.SECONDS);
            assertThatThrownBy(() -> new Party(service, BOB, oldId, oldPsk)).isInstanceOf(IOException.class);
            try (Party again = new Party(service, BOB, newId, newPsk)) {
                assertThat(again.ask(again.view.hello())).isInstanceOf(HelloAck.class);
            }
        }
    }

    @Test
    void aPskIdentityOfALiveLegCannotBeRegisteredTwice() {
        service.addLeg(new BfcpLeg(new PskIdentity(0x22), key(), CONF, BOB));
        assertThatThrownBy(() -> service.addLeg(new BfcpLeg(new PskIdentity(0x22), key(), CONF, CAROL)))
                .isInstanceOf(IllegalStateException.class);
    }
}
