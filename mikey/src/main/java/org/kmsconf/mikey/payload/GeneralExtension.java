package org.kmsconf.mikey.payload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * General Extension payload (RFC 3830 §6.15): {@code next | Type(8) | Length(16) | Data}. Types: 0 Vendor ID,
 * 1 SDP IDs (RFC 4567 bidding-down protection), 3 Key ID (RFC 4563), 5 OMA BCAST.
 */
public record GeneralExtension(int extType, byte[] data) implements Payload {

    public static final int VENDOR_ID = 0;
    public static final int SDP_IDS = 1;
    public static final int KEY_ID = 3;
    public static final int OMA_BCAST = 5;

    public GeneralExtension {
        if (extType < 0 || extType > 0xff) {
            throw new IllegalArgumentException("extension type out of range");
        }
        data = data.clone();
        if (data.length > 0xffff) {
            throw new IllegalArgumentException("extension data longer than 65535 bytes");
        }
    }

    /** RFC 4567 §3.1 SDP IDs extension: the ";"-separated list of offered key management protocol ids. */
    public static GeneralExtension sdpIds(String list) {
        return new GeneralExtension(SDP_IDS, list.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public PayloadType type() {
        return PayloadType.GENERAL_EXTENSION;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(extType).lenBytes16(data);
    }

    static GeneralExtension decode(WireReader r) {
        int t = r.u8("extension type");
        int len = r.u16("extension length");
        return new GeneralExtension(t, r.bytes(len, "extension data"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneralExtension x && extType == x.extType && Arrays.equals(data, x.data);
    }

    @Override
    public int hashCode() {
        return 31 * extType + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "GENERAL_EXTENSION[type " + extType + ", " + Bytes.shortHex(data) + "]";
    }
}
