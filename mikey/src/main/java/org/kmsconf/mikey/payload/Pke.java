package org.kmsconf.mikey.payload;

import java.util.Arrays;

/**
 * PKE payload (RFC 3830 §6.4): {@code next | C(2) Data len(14) | Data}, kept opaque. C: 0 no cache, 1 cache,
 * 2 cache for CSB.
 */
public record Pke(int cache, byte[] data) implements Payload {

    public Pke {
        if (cache < 0 || cache > 3) {
            throw new IllegalArgumentException("C field is 2 bits");
        }
        data = data.clone();
        if (data.length > 0x3fff) {
            throw new IllegalArgumentException("PKE data longer than 16383 bytes");
        }
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public PayloadType type() {
        return PayloadType.PKE;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u16((cache << 14) | data.length).bytes(data);
    }

    static Pke decode(WireReader r) {
        int v = r.u16("PKE C/len");
        return new Pke(v >>> 14, r.bytes(v & 0x3fff, "PKE data"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pke x && cache == x.cache && Arrays.equals(data, x.data);
    }

    @Override
    public int hashCode() {
        return 31 * cache + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PKE[C " + cache + ", " + data.length + " bytes]";
    }
}
