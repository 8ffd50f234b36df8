package org.kmsconf.mikey.payload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** ID payload (RFC 3830 §6.7): {@code next | ID Type | ID len(16) | ID data}. */
public record Id(IdType idType, byte[] data) implements Payload {

    public Id {
        Objects.requireNonNull(idType, "idType");
        data = data.clone();
        if (data.length > 0xffff) {
            throw new IllegalArgumentException("ID data longer than 65535 bytes");
        }
    }

    public static Id uri(String uri) {
        return new Id(IdType.URI, uri.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The ID data as UTF-8 text (NAI and URI are text; a byte string is shown the same way). */
    public String asString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public PayloadType type() {
        return PayloadType.ID;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(idType.value()).lenBytes16(data);
    }

    static Id decode(WireReader r) {
        IdType t = IdType.read(r);
        int len = r.u16("ID len");
        return new Id(t, r.bytes(len, "ID data"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Id x && idType == x.idType && Arrays.equals(data, x.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(idType, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "ID[" + idType + " " + (idType == IdType.BYTE_STRING ? Bytes.hex(data) : asString()) + "]";
    }
}
