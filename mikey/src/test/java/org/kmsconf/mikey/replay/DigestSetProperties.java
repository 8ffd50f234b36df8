package org.kmsconf.mikey.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link DigestSet} against a plain map: any sequence of adds and removals by age leaves the same entries, answers
 * the same look-ups and removes the same number. The digests come from a small pool whose first words mostly share
 * their low bits, so entries collide, probe past each other and are shifted back on removal.
 */
class DigestSetProperties {
    /** One operation: add pool[digest] at time, or remove everything older than time. */
    record Op(boolean add, int digest, long time) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> add = Arbitraries.integers().between(0, 199).flatMap(d -> Arbitraries.longs().between(0, 1000)
                .map(t -> new Op(true, d, t)));
        Arbitrary<Op> remove = Arbitraries.longs().between(0, 1000).map(t -> new Op(false, 0, t));
        return Arbitraries.frequencyOf(
                Tuple.of(8, add), Tuple.of(1, remove)).list().ofMaxSize(2000);
    }

    static long[] digest(int seed, int i) {
        Random r = new Random(seed * 1_000_003L + i);
        // first word: one of 8 values in its low 32 bits (slot collisions), the rest random
        long a = ((long) r.nextInt() << 32) | (i % 8);
        return new long[] {a == 0 ? 1 : a, r.nextLong(), r.nextLong(), r.nextLong()};
    }

    @Property(tries = 300)
    void behavesAsAMapOfDigestToTime(@ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        long[][] pool = new long[200][];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = digest(seed, i);
        }
        DigestSet set = new DigestSet();
        Map<Integer, Long> model = new HashMap<>();
        for (Op op : ops) {
            long[] d = pool[op.digest()];
            if (op.add()) {
                boolean added = set.add(d[0], d[1], d[2], d[3], op.time());
                assertThat(added).isEqualTo(!model.containsKey(op.digest()));
                model.putIfAbsent(op.digest(), op.time());
            } else {
                List<Integer> old = new ArrayList<>();
                model.forEach((k, t) -> {
                    if (t < op.time()) {
                        old.add(k);
                    }
                });
                old.forEach(model::remove);
                assertThat(set.removeOlderThan(op.time())).isEqualTo(old.size());
            }
            assertThat(set.size()).isEqualTo(model.size());
            if (!model.isEmpty()) {
                assertThat(set.oldestTime()).isEqualTo(model.values().stream().min(Long::compare).orElseThrow());
            }
        }
        for (int i = 0; i < pool.length; i++) {
            long[] d = pool[i];
            assertThat(set.contains(d[0], d[1], d[2], d[3])).as("digest %d", i).isEqualTo(model.containsKey(i));
        }
    }

    @Test
    void growsPastManyEntriesAndEmptiesOldestFirst() {
        DigestSet set = new DigestSet();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            long[] d = digest(7, i);
            assertThat(set.add(d[0] ^ ((long) i << 8), d[1], d[2], d[3], n - i)).isTrue();
        }
        assertThat(set.size()).isEqualTo(n);
        assertThat(set.slots()).isEqualTo(262_144);
        assertThat(set.oldestTime()).isEqualTo(1);
        assertThat(set.removeOlderThan(n / 2 + 1)).isEqualTo(n / 2);
        for (int i = 0; i < n; i++) {
            long[] d = digest(7, i);
            // time n - i: the ones with n - i <= n/2, i.e. i >= n/2, are gone
            assertThat(set.contains(d[0] ^ ((long) i << 8), d[1], d[2], d[3])).isEqualTo(i < n / 2);
        }
        assertThat(set.removeOlderThan(n - 99)).isEqualTo(n / 2 - 100); // 100 left: the table shrinks
        assertThat(set.slots()).isEqualTo(512);
        for (int i = 0; i < n; i++) {
            long[] d = digest(7, i);
            assertThat(set.contains(d[0] ^ ((long) i << 8), d[1], d[2], d[3])).isEqualTo(i < 100);
        }
        assertThat(set.removeOlderThan(Long.MAX_VALUE)).isEqualTo(100);
        assertThat(set.size()).isZero();
        assertThat(set.slots()).isEqualTo(16);
    }

    @Test
    void theAllZeroDigestIsRefused() {
        assertThatThrownBy(() -> new DigestSet().add(0, 0, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
