package org.kmsconf.mikey.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.kmsconf.mikey.exchange.Fixture.ALICE;
import static org.kmsconf.mikey.exchange.Fixture.BOB;
import static org.kmsconf.mikey.exchange.Fixture.KMS;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.message.Ssrc;

/**
 * Every byte of every message is protected: any single-byte change or truncation of a valid message is refused,
 * and refusals are {@link MikeyException}s (parties) or error messages (KMS), never another exception.
 */
class ExchangeHostileInputProperties {
    private final Fixture f = new Fixture();
    private final byte[] requestInit = TicketRequest.create(TicketRequest.Spec.conferencing(ALICE, KMS,
            f.pskIds.get(ALICE), List.of(BOB), AlgorithmSet.SET_128), f.psks.get(ALICE), f.context()).message();
    private final TransferInitiator alice = TransferInitiator.create(f.ticket(ALICE, AlgorithmSet.SET_128, BOB),
            new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(1))), f.context());
    private final byte[] transferInit = alice.message();
    private final byte[] transferResp = f.resolve(transferInit, BOB, BOB, f.context()).respond(List.of(Ssrc.of(2)))
            .message();

    private static byte[] mutate(byte[] in, int position, int xor, boolean truncate) {
        int p = position % in.length;
        if (truncate) {
            return Arrays.copyOf(in, p);
        }
        byte[] out = in.clone();
        out[p] ^= (byte) xor;
        return out;
    }

    @Property(tries = 300)
    void kmsRefusesEveryAlteredRequestWithAnErrorMessage(@ForAll @IntRange(min = 0, max = 100_000) int pos,
            @ForAll @IntRange(min = 1, max = 255) int xor, @ForAll boolean truncate) {
        KmsResult r = f.kms.handle(mutate(requestInit, pos, xor, truncate));
        assertThat(r.outcome().granted()).isFalse();
        assertThat(r.response()).isNotEmpty();
    }

    @Property(tries = 300)
    void responderRefusesEveryAlteredTransferInit(@ForAll @IntRange(min = 0, max = 100_000) int pos,
            @ForAll @IntRange(min = 1, max = 255) int xor, @ForAll boolean truncate) {
        byte[] bad = mutate(transferInit, pos, xor, truncate);
        Throwable t = catchThrowable(() -> f.resolve(bad, BOB, BOB, f.context()));
        assertThat(t).isInstanceOf(MikeyException.class);
    }

    @Property(tries = 300)
    void initiatorRefusesEveryAlteredTransferResp(@ForAll @IntRange(min = 0, max = 100_000) int pos,
            @ForAll @IntRange(min = 1, max = 255) int xor, @ForAll boolean truncate) {
        byte[] bad = mutate(transferResp, pos, xor, truncate);
        Throwable t = catchThrowable(() -> alice.processResponse(bad));
        assertThat(t).isInstanceOf(MikeyException.class);
    }
}
