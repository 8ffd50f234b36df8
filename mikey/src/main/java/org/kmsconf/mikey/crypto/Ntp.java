package org.kmsconf.mikey.crypto;

import java.time.Instant;

/**
 * NTP timestamps of the MIKEY T and TR payloads: NTP-UTC (64 bits: seconds since 1900 || fraction, RFC 3830 §6.6)
 * and NTP-UTC-32 (RFC 6043 §6.6: the seconds only), with the RFC 4330 §3 era rule: a seconds field whose most
 * significant bit is 1 counts from 1900-01-01 (era 0, years 1968-2036), one whose MSB is 0 counts from
 * 2036-02-07T06:28:16Z (era 1, years 2036-2104). Fractions convert to and from nanoseconds exactly (round trip).
 */
public final class Ntp {
    /** Seconds from 1900-01-01 to 1970-01-01. */
    public static final long SECONDS_1900_TO_1970 = 2_208_988_800L;
    /** 2^32 seconds after 1900-01-01: the start of era 1. */
    public static final Instant ERA1_START = Instant.ofEpochSecond((1L << 32) - SECONDS_1900_TO_1970);
    /** The first instant representable under the era rule (MSB = 1 in era 0): 1968-01-20T03:14:08Z. */
    public static final Instant MIN = Instant.ofEpochSecond((1L << 31) - SECONDS_1900_TO_1970);
    /** The last whole second representable (MSB = 0 in era 1): 2104-02-26T09:42:23Z. */
    public static final Instant MAX = Instant.ofEpochSecond((1L << 32) + (1L << 31) - 1 - SECONDS_1900_TO_1970, 999_999_999);

    private Ntp() {
    }

    /** Instant -> 64-bit NTP-UTC. Throws for instants outside [{@link #MIN}, {@link #MAX}]. */
    public static long toNtp64(Instant t) {
        long seconds = seconds(t);
        // ceil(nanos * 2^32 / 1e9): with the floor in fromNtp64 this makes nanosecond round trips exact
        long frac = ((long) t.getNano() << 32) / 1_000_000_000L;
        if ((frac * 1_000_000_000L) >>> 32 < t.getNano()) {
            frac++;
        }
        return (seconds << 32) | frac;
    }

    /** 64-bit NTP-UTC -> Instant. */
    public static Instant fromNtp64(long ntp) {
        long frac = ntp & 0xFFFFFFFFL;
        long nanos = (frac * 1_000_000_000L) >>> 32;
        return Instant.ofEpochSecond(epochSeconds(ntp >>> 32), nanos);
    }

    /** Instant -> NTP-UTC-32 (whole seconds, fraction dropped). */
    public static int toNtp32(Instant t) {
        return (int) seconds(t);
    }

    /** NTP-UTC-32 -> Instant. */
    public static Instant fromNtp32(int seconds) {
        return Instant.ofEpochSecond(epochSeconds(seconds & 0xFFFFFFFFL));
    }

    /** The 64-bit form of an NTP-UTC-32 value used in IVs (seconds, then 32 zero bits of fraction). */
    public static long ntp32To64(int seconds) {
        return (seconds & 0xFFFFFFFFL) << 32;
    }

    /** The 64-bit form of a 32-bit COUNTER used in IVs (leading zero bytes). */
    public static long counterTo64(int counter) {
        return counter & 0xFFFFFFFFL;
    }

    private static long seconds(Instant t) {
        if (t.isBefore(MIN) || t.isAfter(MAX)) {
            throw new IllegalArgumentException("instant " + t + " outside the NTP range " + MIN + " .. " + MAX);
        }
        return (t.getEpochSecond() + SECONDS_1900_TO_1970) & 0xFFFFFFFFL;
    }

    private static long epochSeconds(long ntpSeconds) {
        long since1900 = (ntpSeconds & 0x80000000L) != 0 ? ntpSeconds : ntpSeconds + (1L << 32);
        return since1900 - SECONDS_1900_TO_1970;
    }
}
