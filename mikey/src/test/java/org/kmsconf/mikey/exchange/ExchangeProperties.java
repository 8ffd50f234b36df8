package org.kmsconf.mikey.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kmsconf.mikey.exchange.Fixture.ALICE;
import static org.kmsconf.mikey.exchange.Fixture.BOB;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;

/** Keys agree for any number of audio m-lines and SSRCs; the KMS serves concurrent users. */
class ExchangeProperties {
    private final Fixture f = new Fixture();

    @Property(tries = 25)
    void bothSidesDeriveTheSameDistinctKeysForEveryCryptoSession(@ForAll @Size(min = 1, max = 4) List<Integer> mine,
            @ForAll boolean set256, @ForAll @Size(max = 4) @UniqueElements List<SrtpPolicy> offer) {
        AlgorithmSet set = set256 ? AlgorithmSet.SET_256 : AlgorithmSet.SET_128;
        List<SrtpPolicy> offered = offer.stream().filter(set::allows).toList();
        SrtpPolicy expected = offered.isEmpty() ? set.defaultSrtpPolicy() : offered.get(0);
        TicketGrant grant = f.ticket(ALICE, set, BOB);
        List<Ssrc> ours = mine.stream().map(Ssrc::of).toList();
        TransferInitiator alice = TransferInitiator.create(grant,
                new TransferInitiator.Spec(ALICE, BOB, ours, offered), f.context());
        List<Ssrc> theirs = mine.stream().map(x -> Ssrc.of(~x)).toList();
        TransferResponse resp = f.resolve(alice.message(), BOB, BOB, f.context()).respond(theirs);
        TransferResult atAlice = alice.processResponse(resp.message());
        assertThat(atAlice.allKeys().keySet()).hasSize(2 * mine.size());
        Set<String> fingerprints = new HashSet<>();
        for (int k = 0; k < mine.size(); k++) {
            for (int cs : List.of(2 * k + 1, 2 * k + 2)) {
                assertThat(atAlice.keys(cs).sameKeysAs(resp.result().keys(cs))).isTrue();
                // the negotiated policy travels with the keys, on both sides
                assertThat(atAlice.keys(cs).policy()).isEqualTo(expected);
                assertThat(resp.result().keys(cs).policy()).isEqualTo(expected);
                fingerprints.add(atAlice.keys(cs).fingerprint());
            }
            assertThat(atAlice.ssrc(2 * k + 1)).isEqualTo(ours.get(k));
            assertThat(atAlice.ssrc(2 * k + 2)).isEqualTo(theirs.get(k));
        }
        assertThat(fingerprints).hasSize(2 * mine.size()); // every crypto session has its own key
    }

    @Test
    void kmsServesConcurrentRequestsAndResolves() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(pool.submit(() -> {
                    TicketGrant g = f.ticket(ALICE, AlgorithmSet.SET_128, BOB);
                    TransferInitiator a = TransferInitiator.create(g,
                            new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(1))), f.context());
                    TransferResponse r = f.resolve(a.message(), BOB, BOB, f.context()).respond(List.of(Ssrc.of(2)));
                    return a.processResponse(r.message()).keys(1).sameKeysAs(r.result().keys(1));
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
