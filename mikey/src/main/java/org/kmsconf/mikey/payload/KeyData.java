package org.kmsconf.mikey.payload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/**
 * Key data sub-payload (RFC 3830 §6.13, type 20), found only in the plaintext of a KEMAC's encrypted field:
 * {@code next | Type(4) KV(4) | Key data len(16) | Key data | [Salt len(16) | Salt] | [KV data]}.
 * The salt is present exactly for the "+SALT" types. The key bytes never appear in {@link #toString()};
 * {@link #destroy()} zeroes them.
 */
public record KeyData(KeyDataType keyType, byte[] key, byte[] salt, KeyValidity validity) {

    /** Next payload value linking one Key data sub-payload to the next. */
    public static final int SUB_PAYLOAD_TYPE = 20;

    public KeyData {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(validity, "validity");
        key = key.clone();
        if (keyType.hasSalt() != (salt != null)) {
            throw new IllegalArgumentException(keyType + (keyType.hasSalt() ? " needs" : " takes no") + " salt");
        }
        salt = salt == null ? null : salt.clone();
        if (key.length > 0xffff || (salt != null && salt.length > 0xffff)) {
            throw new IllegalArgumentException("key or salt longer than 65535 bytes");
        }
    }

    /** A key without salt named by an SPI (our profile: every key carries an SPI). */
    public static KeyData withSpi(KeyDataType type, byte[] key, byte[] spi) {
        return new KeyData(type, key, null, new KeyValidity.Spi(spi));
    }

    /** A copy of the key; the caller zeroes it when done. */
    @Override
    public byte[] key() {
        return key.clone();
    }

    /** A copy of the salt, or null for a type without salt. */
    @Override
    public byte[] salt() {
        return salt == null ? null : salt.clone();
    }

    /** The SPI/MKI if the KV type is SPI, else null. */
    public byte[] spi() {
        return validity instanceof KeyValidity.Spi s ? s.spi() : null;
    }

    /** Zeroes this record's copies of key and salt. */
    public void destroy() {
        Arrays.fill(key, (byte) 0);
        if (salt != null) {
            Arrays.fill(salt, (byte) 0);
        }
    }

    void encode(WireWriter w, boolean last) {
        w.u8(last ? PayloadType.LAST : SUB_PAYLOAD_TYPE);
        w.u8((keyType.value() << 4) | validity.kvType());
        w.lenBytes16(key);
        if (salt != null) {
            w.lenBytes16(salt);
        }
        validity.encode(w);
    }

    /** The plaintext of a KEMAC encrypted field holding these Key data sub-payloads. */
    public static byte[] encodeChain(List<KeyData> keys) {
        WireWriter w = new WireWriter();
        for (int i = 0; i < keys.size(); i++) {
            keys.get(i).encode(w, i == keys.size() - 1);
        }
        return w.toByteArrayAndWipe();
    }

    /**
     * Decodes a KEMAC plaintext: a chain of Key data sub-payloads linked by Next payload 20, the last with 0, and
     * nothing after it. An empty plaintext (allowed in updates) gives an empty list.
     */
    public static List<KeyData> decodeChain(byte[] plaintext) {
        WireReader r = new WireReader(plaintext);
        List<KeyData> out = new ArrayList<>();
        while (!r.atEnd()) {
            int nextAt = r.offset();
            int next = r.u8("Key data next payload");
            if (next != PayloadType.LAST && next != SUB_PAYLOAD_TYPE) {
                throw new MikeyException(ErrorCode.UNSPECIFIED, "Key data followed by payload type " + next, nextAt);
            }
            int tvAt = r.offset();
            int tv = r.u8("Key data type/KV");
            KeyDataType type = KeyDataType.fromValue(tv >>> 4);
            if (type == null) {
                throw new MikeyException(ErrorCode.UNSPECIFIED, "unknown Key data type " + (tv >>> 4), tvAt);
            }
            byte[] key = r.bytes(r.u16("Key data len"), "Key data");
            byte[] salt = type.hasSalt() ? r.bytes(r.u16("Salt len"), "Salt") : null;
            KeyValidity kv = KeyValidity.decode(r, tv & 0x0f, tvAt);
            out.add(new KeyData(type, key, salt, kv));
            Arrays.fill(key, (byte) 0);
            if (salt != null) {
                Arrays.fill(salt, (byte) 0);
            }
            if (next == PayloadType.LAST) {
                r.expectEnd("last Key data sub-payload");
                break;
            }
            if (r.atEnd()) {
                throw r.error(ErrorCode.UNSPECIFIED, "Key data chain announces another sub-payload but ends");
            }
        }
        return List.copyOf(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyData x && keyType == x.keyType && Arrays.equals(key, x.key)
                && Arrays.equals(salt, x.salt) && validity.equals(x.validity);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyType, key.length, validity);
    }

    @Override
    public String toString() {
        return "KeyData[" + keyType + ", " + (key.length * 8) + "-bit key" + (salt != null ? " + salt" : "")
                + ", " + validity + "]";
    }
}
