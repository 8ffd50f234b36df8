package org.kmsconf.mikey.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The SSRC value type: unsigned 32 bits, one text form, 0 as "not assigned yet". */
class SsrcTest {

    @Property
    void textFormsRoundTrip(@ForAll int bits) {
        Ssrc s = Ssrc.of(bits);
        assertThat(s.toString()).matches("0x[0-9a-f]{8}");
        assertThat(Ssrc.parse(s.toString())).isEqualTo(s);
        assertThat(Ssrc.parse(s.toString().toUpperCase().replace("0X", "0x"))).isEqualTo(s);
        assertThat(Ssrc.parse(Long.toString(s.value()))).isEqualTo(s);
        assertThat(Ssrc.of(s.value())).isEqualTo(s);
        assertThat(s.value()).isBetween(0L, 0xFFFF_FFFFL);
        assertThat(s.bits()).isEqualTo(bits);
    }

    @Test
    void theHighBitIsAValueNotASign() {
        Ssrc s = Ssrc.of(0xFEDCBA98L);
        assertThat(s.bits()).isNegative();
        assertThat(s.value()).isEqualTo(0xFEDCBA98L);
        assertThat(s).hasToString("0xfedcba98");
        assertThat(Ssrc.of(0xFEDCBA98)).isEqualTo(s);
        List<Ssrc> sorted = new ArrayList<>(List.of(s, Ssrc.of(1), Ssrc.of(0x7fffffff)));
        Collections.sort(sorted);
        assertThat(sorted).containsExactly(Ssrc.of(1), Ssrc.of(0x7fffffff), s); // unsigned order
    }

    @Test
    void outOfRangeAndMalformedTextAreRefused() {
        assertThatThrownBy(() -> Ssrc.of(-1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ssrc.of(0x1_0000_0000L)).isInstanceOf(IllegalArgumentException.class);
        for (String bad : new String[] {"", "0x", "0x123456789", "4294967296", "-1", "12ab", "0xg0000000", " ", null,
            "+5", "99999999999"}) {
            assertThatThrownBy(() -> Ssrc.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Ssrc.parse(" 0x00000001 ")).isEqualTo(Ssrc.of(1));
    }

    @Test
    void zeroIsTheUnassignedValueAndRandomNeverGivesIt() {
        assertThat(Ssrc.UNASSIGNED.isAssigned()).isFalse();
        assertThat(Ssrc.of(0)).isEqualTo(Ssrc.UNASSIGNED);
        Random zeroFirst = new Random() {
            private static final long serialVersionUID = 1L;
            private int calls;

            @Override
            public int nextInt() {
                return calls++ < 3 ? 0 : 42;
            }
        };
        assertThat(Ssrc.random(zeroFirst)).isEqualTo(Ssrc.of(42));
    }
}
