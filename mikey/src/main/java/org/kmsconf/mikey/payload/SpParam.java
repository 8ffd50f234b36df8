package org.kmsconf.mikey.payload;

import java.util.Arrays;

/** One policy parameter TLV of an SP payload (RFC 3830 §6.10): {@code Type(8) | Length(8) | Value}. */
public record SpParam(int paramType, byte[] value) {

    public SpParam {
        if (paramType < 0 || paramType > 0xff) {
            throw new IllegalArgumentException("parameter type out of range");
        }
        value = value.clone();
        if (value.length > 0xff) {
            throw new IllegalArgumentException("parameter value longer than 255 bytes");
        }
    }

    /** An SRTP parameter with a one-byte value (all parameters of our profile). */
    public static SpParam of(SrtpParam p, int oneByte) {
        return new SpParam(p.value(), new byte[] {(byte) oneByte});
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value as an unsigned big-endian number (values longer than 4 bytes do not fit). */
    public long numeric() {
        long v = 0;
        for (byte b : value) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpParam x && paramType == x.paramType && Arrays.equals(value, x.value);
    }

    @Override
    public int hashCode() {
        return 31 * paramType + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        SrtpParam p = SrtpParam.fromValue(paramType);
        return (p != null ? p.name() : "type " + paramType) + "=" + Bytes.hex(value);
    }
}
