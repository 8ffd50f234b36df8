package org.kmsconf.mikey.payload;

import java.time.Instant;
import java.util.Objects;

/** TR payload, timestamp with role (RFC 6043 §6.5): {@code next | TS Role | TS Type | TS value}. */
public record Tr(TrRole role, TsType tsType, long value) implements Payload {

    public Tr {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(tsType, "tsType");
        if (tsType.valueBytes() == 4 && (value >>> 32) != 0) {
            throw new IllegalArgumentException(tsType + " value does not fit 32 bits");
        }
    }

    /** A TR with an NTP-UTC 64-bit time. */
    public static Tr ntpUtc(TrRole role, Instant t) {
        return new Tr(role, TsType.NTP_UTC, Timestamp.toNtp64(t));
    }

    /** The same value read as a T timestamp (for its conversions). */
    public Timestamp asTimestamp() {
        return new Timestamp(tsType, value);
    }

    public Instant toInstant() {
        return asTimestamp().toInstant();
    }

    @Override
    public PayloadType type() {
        return PayloadType.TR;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(role.value()).u8(tsType.value());
        Timestamp.writeValue(w, tsType, value);
    }

    static Tr decode(WireReader r) {
        TrRole role = TrRole.read(r);
        TsType t = TsType.read(r);
        return new Tr(role, t, Timestamp.readValue(r, t));
    }

    @Override
    public String toString() {
        String when = tsType == TsType.COUNTER || role == TrRole.TRr ? Long.toString(value) : toInstant().toString();
        return "TR[" + role + " " + tsType + " " + when + "]";
    }
}
