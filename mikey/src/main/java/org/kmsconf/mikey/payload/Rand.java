package org.kmsconf.mikey.payload;

import java.util.Arrays;

/** RAND payload (RFC 3830 §6.11): {@code next | RAND len(8) | RAND}. */
public record Rand(byte[] rand) implements Payload {

    public Rand {
        rand = checkedCopy(rand);
    }

    /** A copy of a RAND value, refused when its one-byte length field (RFC 3830 §6.11) cannot carry it; RANDR too. */
    static byte[] checkedCopy(byte[] rand) {
        if (rand.length > 0xff) {
            throw new IllegalArgumentException("RAND longer than 255 bytes");
        }
        return rand.clone();
    }

    @Override
    public byte[] rand() {
        return rand.clone();
    }

    @Override
    public PayloadType type() {
        return PayloadType.RAND;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.lenBytes8(rand);
    }

    static Rand decode(WireReader r) {
        int len = r.u8("RAND len");
        return new Rand(r.bytes(len, "RAND"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rand x && Arrays.equals(rand, x.rand);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rand);
    }

    @Override
    public String toString() {
        return "RAND[" + Bytes.hex(rand) + "]";
    }
}
