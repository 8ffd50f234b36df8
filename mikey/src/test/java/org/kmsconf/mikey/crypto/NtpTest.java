package org.kmsconf.mikey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** NTP-UTC 64-bit and NTP-UTC-32 conversions with the RFC 4330 era rule. */
class NtpTest {

    @Test
    void rfc4567ExampleTimestampIs2006() {
        // TEST-VECTORS §B: T = c8e350ea00000000 is 2006-10-20 13:43:06 UTC.
        assertThat(Ntp.fromNtp64(0xc8e350ea00000000L)).isEqualTo(Instant.parse("2006-10-20T13:43:06Z"));
        assertThat(Ntp.toNtp64(Instant.parse("2006-10-20T13:43:06Z"))).isEqualTo(0xc8e350ea00000000L);
    }

    @Test
    void unixEpochIsSeconds2208988800() {
        assertThat(Ntp.toNtp64(Instant.EPOCH)).isEqualTo(2_208_988_800L << 32);
        assertThat(Ntp.toNtp32(Instant.EPOCH)).isEqualTo((int) 2_208_988_800L);
    }

    @Test
    void halfASecondIsFraction80000000() {
        assertThat(Ntp.toNtp64(Instant.ofEpochSecond(0, 500_000_000)) & 0xFFFFFFFFL).isEqualTo(0x80000000L);
    }

    @Test
    void secondsWithMostSignificantBitZeroAreInEra1After2036() {
        assertThat(Ntp.fromNtp32(0)).isEqualTo(Instant.parse("2036-02-07T06:28:16Z"));
        assertThat(Ntp.toNtp32(Instant.parse("2036-02-07T06:28:16Z"))).isZero();
        assertThat(Ntp.fromNtp32(0x7FFFFFFF)).isEqualTo(Instant.parse("2104-02-26T09:42:23Z"));
        assertThat(Ntp.fromNtp32(0x80000000)).isEqualTo(Instant.parse("1968-01-20T03:14:08Z"));
    }

    @Test
    void instantsOutsideTheNtpRangeAreRefused() {
        assertThatThrownBy(() -> Ntp.toNtp64(Instant.parse("1960-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ntp.toNtp32(Instant.parse("2105-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shortFormsWidenTo64Bits() {
        assertThat(Ntp.ntp32To64(0xe9a1b2c3)).isEqualTo(0xe9a1b2c300000000L);
        assertThat(Ntp.counterTo64(0xFFFFFFFF)).isEqualTo(0x00000000FFFFFFFFL);
    }

    @Property(tries = 2000)
    void nanosecondRoundTripIsExact(@ForAll @LongRange(min = -63_000_000_00L, max = 4_200_000_000L) long epochSecond,
                                    @ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
        Instant t = Instant.ofEpochSecond(epochSecond, nanos);
        if (t.isBefore(Ntp.MIN) || t.isAfter(Ntp.MAX)) {
            return;
        }
        assertThat(Ntp.fromNtp64(Ntp.toNtp64(t))).isEqualTo(t);
        assertThat(Ntp.fromNtp32(Ntp.toNtp32(t))).isEqualTo(Instant.ofEpochSecond(epochSecond));
    }
}
