package org.kmsconf.mikey.payload;

import java.util.Arrays;

/**
 * SIGN payload (RFC 3830 §6.5): {@code S type(4) | Signature len(12) | Signature}, kept opaque. It has no Next
 * payload field and is always the last payload. S type: 0 RSA PKCS#1 v1.5, 1 RSA-PSS, 2 ECCSI (RFC 6509).
 */
public record Sign(int sType, byte[] signature) implements Payload {

    public Sign {
        if (sType < 0 || sType > 15) {
            throw new IllegalArgumentException("S type is 4 bits");
        }
        signature = signature.clone();
        if (signature.length > 0xfff) {
            throw new IllegalArgumentException("signature longer than 4095 bytes");
        }
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public PayloadType type() {
        return PayloadType.SIGN;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u16((sType << 12) | signature.length).bytes(signature);
    }

    static Sign decode(WireReader r) {
        int v = r.u16("SIGN type/len");
        return new Sign(v >>> 12, r.bytes(v & 0xfff, "signature"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sign x && sType == x.sType && Arrays.equals(signature, x.signature);
    }

    @Override
    public int hashCode() {
        return 31 * sType + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SIGN[type " + sType + ", " + signature.length + " bytes]";
    }
}
