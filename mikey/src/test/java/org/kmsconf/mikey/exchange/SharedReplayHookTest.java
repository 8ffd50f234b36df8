package org.kmsconf.mikey.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kmsconf.mikey.exchange.Fixture.ALICE;
import static org.kmsconf.mikey.exchange.Fixture.BOB;
import static org.kmsconf.mikey.exchange.Fixture.KMS;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.ErrorPayload;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.replay.ReplayCache;
import org.kmsconf.mikey.replay.ReplayKey;

/**
 * {@link KmsDirectory#firstSeen}: asked once per initial message, after authentication and before any policy
 * decision or key generation; a refusal is the local replay cache's refusal (Invalid TS, no V) and costs no keys.
 */
class SharedReplayHookTest {
    private final Fixture f = new Fixture();

    /** Counts the random bytes the KMS draws (tickets, keys, SPIs, RANDs, response timestamps come from elsewhere). */
    private static final class CountingRandom extends SecureRandom {
        final AtomicInteger draws = new AtomicInteger();

        @Override
        public void nextBytes(byte[] bytes) {
            draws.incrementAndGet();
            super.nextBytes(bytes);
        }
    }

    private final CountingRandom kmsRandom = new CountingRandom();
    private final KmsProtocol kms = new KmsProtocol(f.kmsSettings, f.directory,
            new PartyContext(f.clock, kmsRandom, new ReplayCache(1000, Duration.ofSeconds(300), f.clock)));

    private byte[] requestInit() {
        return TicketRequest.create(TicketRequest.Spec.conferencing(ALICE, KMS, f.pskIds.get(ALICE), List.of(BOB),
                AlgorithmSet.SET_128), f.psks.get(ALICE), f.context()).message();
    }

    @Test
    void requestIsCheckedOnceAfterAuthenticationAndBeforePolicy() {
        List<ReplayKey> seen = new ArrayList<>();
        List<Instant> expiries = new ArrayList<>();
        f.directory.sharedGuard = (k, expiry) -> seen.add(k) && expiries.add(expiry);
        KmsResult r = kms.handle(requestInit());
        assertThat(r.outcome().granted()).isTrue();
        assertThat(f.directory.calls).containsExactly("firstSeen", "mayRequest");
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).digestHex()).matches("[0-9a-f]{64}");
        // kept until the message's timestamp has left the ±300 s window
        assertThat(expiries.get(0)).isEqualTo(seen.get(0).timestamp().plusSeconds(300));
    }

    @Test
    void unauthenticatedMessageIsNeverOfferedToTheSharedGuard() {
        byte[] msg = TicketRequest.create(TicketRequest.Spec.conferencing(ALICE, KMS, f.pskIds.get(ALICE),
                List.of(BOB), AlgorithmSet.SET_128), f.psks.get(BOB), f.context()).message(); // wrong PSK
        KmsResult r = kms.handle(msg);
        assertThat(r.outcome().error()).isEqualTo(ErrorCode.AUTH_FAILURE);
        assertThat(f.directory.calls).isEmpty();
    }

    @Test
    void refusedRequestIsInvalidTsWithoutVAndComputesNothing() {
        f.directory.sharedGuard = (k, expiry) -> false;
        KmsResult r = kms.handle(requestInit());
        assertRefusedAsReplay(r);
        assertThat(f.directory.calls).containsExactly("firstSeen");
        assertThat(kmsRandom.draws).hasValue(0); // no MPK, TGK, SPI or ticket RAND drawn
    }

    @Test
    void refusedResolveIsInvalidTsWithoutVAndComputesNothing() {
        byte[] transferInit = f.transferInit(ALICE, BOB, AlgorithmSet.SET_128, BOB);
        TransferResponder bob = TransferResponder.receive(transferInit, f.context());
        byte[] resolveInit = bob.resolveInit(BOB, KMS, f.pskIds.get(BOB), f.psks.get(BOB));
        f.directory.calls.clear();
        f.directory.sharedGuard = (k, expiry) -> false;
        KmsResult r = kms.handle(resolveInit);
        assertRefusedAsReplay(r);
        assertThat(f.directory.calls).containsExactly("firstSeen");
        assertThat(kmsRandom.draws).hasValue(0); // no RANDRkms drawn, nothing forked
    }

    @Test
    void aFailingSharedGuardPropagatesInsteadOfAnswering() {
        f.directory.sharedGuard = (k, expiry) -> {
            throw new IllegalStateException("database down");
        };
        assertThatThrownBy(() -> kms.handle(requestInit())).isInstanceOf(IllegalStateException.class)
                .hasMessage("database down");
        assertThat(f.directory.calls).containsExactly("firstSeen");
    }

    private static void assertRefusedAsReplay(KmsResult r) {
        assertThat(r.outcome().granted()).isFalse();
        assertThat(r.outcome().error()).isEqualTo(ErrorCode.INVALID_TS);
        assertThat(r.outcome().reason()).contains("replayed");
        MikeyMessage err = MikeyCodec.decode(r.response());
        assertThat(err.dataType()).isEqualTo(DataType.ERROR);
        assertThat(err.first(ErrorPayload.class).orElseThrow().errorCode()).isEqualTo(ErrorCode.INVALID_TS);
        // the same answer as the local replay cache gives a replay: no V
        assertThat(err.first(Verification.class)).isEmpty();
    }
}
