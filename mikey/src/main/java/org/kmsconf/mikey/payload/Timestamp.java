package org.kmsconf.mikey.payload;

import java.time.Instant;
import java.util.Objects;
import org.kmsconf.mikey.crypto.Ntp;

/**
 * T payload (RFC 3830 §6.6): {@code next | TS type | TS value}. The value is held as the unsigned bits of the
 * field (64 bits for NTP-UTC/NTP, 32 bits for COUNTER/NTP-UTC-32).
 */
public record Timestamp(TsType tsType, long value) implements Payload {

    public Timestamp {
        Objects.requireNonNull(tsType, "tsType");
        if (tsType.valueBytes() == 4 && (value >>> 32) != 0) {
            throw new IllegalArgumentException(tsType + " value does not fit 32 bits");
        }
    }

    /** NTP-UTC 64-bit timestamp of an instant. */
    public static Timestamp ntpUtc(Instant t) {
        return new Timestamp(TsType.NTP_UTC, toNtp64(t));
    }

    /** NTP-UTC-32 (seconds only) of an instant. */
    public static Timestamp ntpUtc32(Instant t) {
        return new Timestamp(TsType.NTP_UTC_32, Ntp.toNtp32(t) & 0xFFFFFFFFL);
    }

    public static Timestamp counter(long counter) {
        return new Timestamp(TsType.COUNTER, counter);
    }

    /** The instant of an NTP-type timestamp; a COUNTER has none. */
    public Instant toInstant() {
        return switch (tsType) {
            case NTP_UTC, NTP -> fromNtp64(value);
            case NTP_UTC_32 -> fromNtp64(value << 32);
            case COUNTER -> throw new IllegalStateException("a COUNTER timestamp has no instant");
        };
    }

    /**
     * The 64-bit form used in the KEMAC IV and in MAC inputs (RFC 3830 §4.2.3, RFC 6043 §6.6): NTP values as they
     * are, COUNTER with leading zero bytes, NTP-UTC-32 as seconds followed by a zero fraction.
     */
    public long ivValue() {
        return switch (tsType) {
            case NTP_UTC, NTP -> value;
            case COUNTER -> value;
            case NTP_UTC_32 -> value << 32;
        };
    }

    @Override
    public PayloadType type() {
        return PayloadType.T;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(tsType.value());
        writeValue(w, tsType, value);
    }

    static void writeValue(WireWriter w, TsType type, long value) {
        if (type.valueBytes() == 8) {
            w.u64(value);
        } else {
            w.u32((int) value);
        }
    }

    static long readValue(WireReader r, TsType type) {
        return type.valueBytes() == 8 ? r.u64("TS value") : r.u32("TS value") & 0xffffffffL;
    }

    static Timestamp decode(WireReader r) {
        TsType type = TsType.read(r);
        return new Timestamp(type, readValue(r, type));
    }

    /** NTP 64-bit (seconds, fraction) of an instant ({@link Ntp#toNtp64}, RFC 4330 era rule). */
    public static long toNtp64(Instant t) {
        return Ntp.toNtp64(t);
    }

    /** The instant of an NTP 64-bit value ({@link Ntp#fromNtp64}, RFC 4330 era rule). */
    public static Instant fromNtp64(long ntp) {
        return Ntp.fromNtp64(ntp);
    }

    @Override
    public String toString() {
        String when = tsType == TsType.COUNTER ? "" : " (" + toInstant() + ")";
        return "T[" + tsType + " " + Long.toHexString(value) + when + "]";
    }
}
