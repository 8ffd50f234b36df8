package org.kmsconf.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SsrcRegistryTest {

    @Test
    void assignedSsrcsAreUniqueNonZeroAndStablePerParticipant() {
        SsrcRegistry r = new SsrcRegistry();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            int s = r.assign("sip:p" + i + "@example.org");
            assertThat(s).isNotZero();
            assertThat(seen.add(s)).isTrue();
        }
        assertThat(r.assign("sip:p7@example.org")).isEqualTo(r.ssrcOf("sip:p7@example.org").getAsInt());
        assertThat(r.size()).isEqualTo(500);
    }

    @Test
    void collidingClaimIsRefused() {
        SsrcRegistry r = new SsrcRegistry();
        r.claim("sip:alice@example.org", 0x1234);
        r.claim("sip:alice@example.org", 0x1234); // same owner again: fine
        assertThatThrownBy(() -> r.claim("sip:bob@example.org", 0x1234))
                .isInstanceOf(SsrcCollisionException.class).hasMessageContaining("0x00001234");
        assertThat(r.owner(0x1234)).contains("sip:alice@example.org");
    }

    @Test
    void releasedSsrcGoesBackOnlyToItsFormerOwner() {
        SsrcRegistry r = new SsrcRegistry();
        r.claim("sip:alice@example.org", 1);
        r.claim("sip:alice@example.org", 2); // alice moves to 2; 1 stays reserved for her
        assertThat(r.owner(1)).isEmpty();
        assertThat(r.isFree(1)).isFalse();
        assertThatThrownBy(() -> r.claim("sip:bob@example.org", 1)).isInstanceOf(SsrcCollisionException.class);
        r.release("sip:alice@example.org");
        assertThat(r.ssrcOf("sip:alice@example.org")).isEmpty();
        assertThatThrownBy(() -> r.claim("sip:bob@example.org", 2)).isInstanceOf(SsrcCollisionException.class);
        r.claim("sip:alice@example.org", 2); // back after a re-key
        assertThat(r.owner(2)).contains("sip:alice@example.org");
    }

    @Test
    void forgottenClaimReservesNothing() {
        SsrcRegistry r = new SsrcRegistry();
        r.claim("sip:alice@example.org", 5);
        r.forget("sip:alice@example.org");
        assertThat(r.isFree(5)).isTrue();
        r.claim("sip:bob@example.org", 5);
    }
}
