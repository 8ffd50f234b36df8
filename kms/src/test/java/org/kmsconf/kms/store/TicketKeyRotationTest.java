package org.kmsconf.kms.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.TestStores;

/** Rotation: exactly one active ticket protection key, the new one; the old ones stay to open older tickets. */
class TicketKeyRotationTest {
    @Test
    void rotationActivatesTheNewKeyAndKeepsTheOldOnes() {
        try (KmsStore s = TestStores.open(KmsConfig.inMemory().build(), false)) {
            String first = s.ticketKeys().activeKeyIdHex().orElseThrow();
            String second = s.ticketKeys().rotate();
            String third = s.ticketKeys().rotate();
            assertThat(s.ticketKeys().activeKeyIdHex()).contains(third);
            List<TicketKey> all = s.ticketKeys().all();
            assertThat(all).extracting(TicketKey::keyIdHex).containsExactlyInAnyOrder(first, second, third);
            assertThat(all.get(0).keyIdHex()).isEqualTo(third); // active first
            assertThat(s.ticketKeys().active().keyIdHex()).isEqualTo(third);
            all.forEach(TicketKey::destroy);
        }
    }
}
