package org.kmsconf.mikey.payload;

import java.util.Arrays;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/**
 * CERT payload (RFC 3830 §6.7): {@code next | Cert type(8) | Cert len(16) | Cert data}, kept opaque. Types:
 * 0 X.509v3, 1 X.509v3 URL, 2 X.509v3 Sign, 3 X.509v3 Encr.
 */
public record Cert(int certType, byte[] data) implements Payload {

    public Cert {
        if (certType < 0 || certType > 3) {
            throw new IllegalArgumentException("unknown cert type " + certType);
        }
        data = data.clone();
        if (data.length > 0xffff) {
            throw new IllegalArgumentException("certificate longer than 65535 bytes");
        }
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public PayloadType type() {
        return PayloadType.CERT;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(certType).lenBytes16(data);
    }

    static Cert decode(WireReader r) {
        int at = r.offset();
        int t = r.u8("cert type");
        if (t > 3) {
            throw new MikeyException(ErrorCode.INVALID_CERT, "unknown cert type " + t, at);
        }
        int len = r.u16("cert len");
        return new Cert(t, r.bytes(len, "cert data"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cert x && certType == x.certType && Arrays.equals(data, x.data);
    }

    @Override
    public int hashCode() {
        return 31 * certType + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CERT[type " + certType + ", " + data.length + " bytes]";
    }
}
