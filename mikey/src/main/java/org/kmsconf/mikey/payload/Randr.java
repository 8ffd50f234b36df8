package org.kmsconf.mikey.payload;

import java.util.Arrays;
import java.util.Objects;

/** RANDR payload, RAND with role (RFC 6043 §6.8): {@code next | RAND Role | RAND len(8) | RAND}. */
public record Randr(RandRole role, byte[] rand) implements Payload {

    public Randr {
        Objects.requireNonNull(role, "role");
        rand = Rand.checkedCopy(rand);
    }

    @Override
    public byte[] rand() {
        return rand.clone();
    }

    @Override
    public PayloadType type() {
        return PayloadType.RANDR;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(role.value()).lenBytes8(rand);
    }

    static Randr decode(WireReader r) {
        RandRole role = RandRole.read(r);
        int len = r.u8("RANDR len");
        return new Randr(role, r.bytes(len, "RANDR"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Randr x && role == x.role && Arrays.equals(rand, x.rand);
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, Arrays.hashCode(rand));
    }

    @Override
    public String toString() {
        return "RANDR[" + role + " " + Bytes.hex(rand) + "]";
    }
}
