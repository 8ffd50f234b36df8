package org.kmsconf.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UserAgent;

/**
 * Warm latency of each flow on loopback (embedded KMS over HTTP, SIP over UDP then TCP), printed as one line per
 * transport. A measurement, not part of the normal test run:
 * {@code ./mvnw -q -B -o verify -pl sip -Dtest=FlowTimingTest -Dsurefire.excludedGroups=}; see docs/performance.md.
 */
@Tag("measurement")
class FlowTimingTest {
    private static final String BOB = "sip:bob@operator";
    private static final String CAROL = "sip:carol@operator";

    @Test
    void measureEachFlow() throws Exception {
        int rounds = Integer.getInteger("kmsconf.timing.rounds", 50);
        for (String tr : List.of("udp", "tcp")) {
            try (KmsWorld w = new KmsWorld()) {
                w.server(null, false, tr);
                UserAgent alice = w.ue("alice", tr);
                UserAgent bob = w.ue("bob", tr);
                UserAgent carol = w.ue("carol", tr);
                long[] total = new long[5];
                for (int i = -10; i < rounds; i++) { // 10 warm-up rounds
                    long t0 = System.nanoTime();
                    String f = alice.createConference(KmsWorld.FACTORY, List.of(BOB, CAROL)).focusUri();
                    long t1 = System.nanoTime();
                    alice.join(f);
                    long t2 = System.nanoTime();
                    assertThat(alice.referFocus(f, CAROL).succeeded()).isTrue();
                    long t3 = System.nanoTime();
                    assertThat(alice.referUser(BOB, f).succeeded()).isTrue();
                    long t4 = System.nanoTime();
                    bob.leave(f);
                    long t5 = System.nanoTime();
                    Call c = carol.call(f).orElseThrow();
                    alice.leave(f);
                    c.ended().get();
                    if (i >= 0) {
                        total[0] += t1 - t0;
                        total[1] += t2 - t1;
                        total[2] += t3 - t2;
                        total[3] += t4 - t3;
                        total[4] += t5 - t4;
                    }
                }
                System.out.printf("FLOW-TIMING %s over %d rounds (mean ms): create %.1f, join %.1f, referFocus %.1f,"
                        + " referUser %.1f, leave %.1f%n", tr.toUpperCase(java.util.Locale.ROOT), rounds,
                        total[0] / 1e6 / rounds, total[1] / 1e6 / rounds, total[2] / 1e6 / rounds,
                        total[3] / 1e6 / rounds, total[4] / 1e6 / rounds);
            }
        }
    }
}
