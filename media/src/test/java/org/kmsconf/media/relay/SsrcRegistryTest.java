package org.kmsconf.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.message.Ssrc;

class SsrcRegistryTest {

    @Test
    void assignedSsrcsAreUniqueNonZeroAndStablePerParticipant() {
        SsrcRegistry r = new SsrcRegistry();
        Set<Ssrc> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            Ssrc s = r.assign("sip:p" + i + "@example.org");
            assertThat(s.isAssigned()).isTrue();
            assertThat(seen.add(s)).isTrue();
        }
        assertThat(r.assign("sip:p7@example.org")).isEqualTo(r.ssrcOf("sip:p7@example.org").orElseThrow());
        assertThat(r.size()).isEqualTo(500);
    }

    @Test
    void collidingClaimIsRefused() {
        SsrcRegistry r = new SsrcRegistry();
        r.claim("sip:alice@example.org", Ssrc.of(0x1234));
        r.claim("sip:alice@example.org", Ssrc.of(0x1234)); // same owner again: fine
        assertThatThrownBy(() -> r.claim("sip:bob@example.org", Ssrc.of(0x1234)))
                .isInstanceOf(SsrcCollisionException.class).hasMessageContaining("0x00001234");
        assertThat(r.owner(Ssrc.of(0x1234))).contains("sip:alice@example.org");
    }

    @Test
    void releasedSsrcGoesBackOnlyToItsFormerOwner() {
        SsrcRegistry r = new SsrcRegistry();
        r.claim("sip:alice@example.org", Ssrc.of(1));
        r.claim("sip:alice@example.org", Ssrc.of(2)); // alice moves to 2; 1 stays reserved for her
        assertThat(r.owner(Ssrc.of(1))).isEmpty();
        assertThat(r.isFree(Ssrc.of(1))).isFalse();
        assertThatThrownBy(() -> r.claim("sip:bob@example.org", Ssrc.of(1))).isInstanceOf(SsrcCollisionException.class);
        r.release("sip:alice@example.org");
        assertThat(r.ssrcOf("sip:alice@example.org")).isEmpty();
        assertThatThrownBy(() -> r.claim("sip:bob@example.org", Ssrc.of(2))).isInstanceOf(SsrcCollisionException.class);
        r.claim("sip:alice@example.org", Ssrc.of(2)); // back after a re-key
        assertThat(r.owner(Ssrc.of(2))).contains("sip:alice@example.org");
    }

    @Test
    void ssrcZeroMeansNotAssignedYetAndIsNeverClaimed() {
        SsrcRegistry r = new SsrcRegistry();
        assertThatThrownBy(() -> r.claim("sip:alice@example.org", Ssrc.UNASSIGNED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(r.size()).isZero();
    }

    @Test
    void forgottenClaimReservesNothing() {
        SsrcRegistry r = new SsrcRegistry();
        r.claim("sip:alice@example.org", Ssrc.of(5));
        r.forget("sip:alice@example.org");
        assertThat(r.isFree(Ssrc.of(5))).isTrue();
        r.claim("sip:bob@example.org", Ssrc.of(5));
    }
}
