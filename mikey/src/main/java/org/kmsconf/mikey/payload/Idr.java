package org.kmsconf.mikey.payload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * IDR payload, ID with role (RFC 6043 §6.6): {@code next | ID Role | ID Type | ID len(16) | ID data}. In MAC inputs
 * and in key forking only {@link #data()} is used (our profile: identity = ID data bytes).
 */
public record Idr(IdRole role, IdType idType, byte[] data) implements Payload {

    public Idr {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(idType, "idType");
        data = data.clone();
        if (data.length > 0xffff) {
            throw new IllegalArgumentException("ID data longer than 65535 bytes");
        }
    }

    /** An IDR of type URI (SIP URIs of users, factory, focus and KMS). */
    public static Idr uri(IdRole role, String uri) {
        return new Idr(role, IdType.URI, uri.getBytes(StandardCharsets.UTF_8));
    }

    /** An IDR of type byte string (IDRpsk key identifiers, RFC 6043 §4.2). */
    public static Idr byteString(IdRole role, byte[] data) {
        return new Idr(role, IdType.BYTE_STRING, data);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The ID data as UTF-8 text. */
    public String asString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** True if role, type and data equal (the data compared byte for byte). */
    public boolean sameIdentity(Idr other) {
        return idType == other.idType && Arrays.equals(data, other.data);
    }

    @Override
    public PayloadType type() {
        return PayloadType.IDR;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(role.value()).u8(idType.value()).lenBytes16(data);
    }

    static Idr decode(WireReader r) {
        IdRole role = IdRole.read(r);
        IdType t = IdType.read(r);
        int len = r.u16("IDR len");
        return new Idr(role, t, r.bytes(len, "IDR data"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Idr x && role == x.role && idType == x.idType && Arrays.equals(data, x.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, idType, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "IDR[" + role + " " + idType + " " + (idType == IdType.BYTE_STRING ? Bytes.hex(data) : asString())
                + "]";
    }
}
