package org.kmsconf.mikey.payload;

import java.util.Arrays;
import java.util.Objects;
import org.kmsconf.mikey.crypto.MacAlg;

/** V payload (RFC 3830 §6.9): {@code next | Auth alg | Ver data}; the MAC length is implicit from the algorithm. */
public record Verification(MacAlg authAlg, byte[] mac) implements Payload {

    public Verification {
        Objects.requireNonNull(authAlg, "authAlg");
        mac = mac.clone();
        if (mac.length != authAlg.macBytes()) {
            throw new IllegalArgumentException("MAC length " + mac.length + " does not match " + authAlg);
        }
    }

    /** A V payload with a zero MAC of the right length, to be replaced once the MAC is computed. */
    public static Verification unsigned(MacAlg authAlg) {
        return new Verification(authAlg, new byte[authAlg.macBytes()]);
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public PayloadType type() {
        return PayloadType.V;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(authAlg.value()).bytes(mac);
    }

    static Verification decode(WireReader r) {
        MacAlg alg = Codes.macAlg(r, "V auth alg");
        return new Verification(alg, r.bytes(alg.macBytes(), "V MAC"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Verification v && authAlg == v.authAlg && Arrays.equals(mac, v.mac);
    }

    @Override
    public int hashCode() {
        return Objects.hash(authAlg, Arrays.hashCode(mac));
    }

    @Override
    public String toString() {
        return "V[" + authAlg + ", mac=" + Bytes.hex(mac) + "]";
    }
}
