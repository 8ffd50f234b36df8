package org.kmsconf.mikey.payload;

import java.util.Arrays;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/**
 * Key validity (KV) of a Key data sub-payload or DH payload (RFC 3830 §6.13): KV type 0 Null (no KV data),
 * 1 SPI/MKI ({@code SPI len(8) | SPI}), 2 Interval ({@code VF len(8) | Valid From | VT len(8) | Valid To}).
 */
public sealed interface KeyValidity {

    int NULL = 0;
    int SPI = 1;
    int INTERVAL = 2;

    /** The 4-bit KV type value. */
    int kvType();

    void encode(WireWriter w);

    /** No key validity data. */
    record Null() implements KeyValidity {
        @Override
        public int kvType() {
            return NULL;
        }

        @Override
        public void encode(WireWriter w) {
        }

        @Override
        public String toString() {
            return "KV null";
        }
    }

    /** SPI or MKI naming the key (RFC 6043: one MUST be given for every key). */
    record Spi(byte[] spi) implements KeyValidity {
        public Spi {
            spi = spi.clone();
            if (spi.length > 0xff) {
                throw new IllegalArgumentException("SPI longer than 255 bytes");
            }
        }

        @Override
        public byte[] spi() {
            return spi.clone();
        }

        @Override
        public int kvType() {
            return SPI;
        }

        @Override
        public void encode(WireWriter w) {
            w.lenBytes8(spi);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Spi x && Arrays.equals(spi, x.spi);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(spi);
        }

        @Override
        public String toString() {
            return "KV SPI " + Bytes.hex(spi);
        }
    }

    /** Validity interval; for SRTP each bound is a 48-bit packet index (6 bytes). */
    record Interval(byte[] validFrom, byte[] validTo) implements KeyValidity {
        public Interval {
            validFrom = validFrom.clone();
            validTo = validTo.clone();
            if (validFrom.length > 0xff || validTo.length > 0xff) {
                throw new IllegalArgumentException("interval bound longer than 255 bytes");
            }
        }

        @Override
        public byte[] validFrom() {
            return validFrom.clone();
        }

        @Override
        public byte[] validTo() {
            return validTo.clone();
        }

        @Override
        public int kvType() {
            return INTERVAL;
        }

        @Override
        public void encode(WireWriter w) {
            w.lenBytes8(validFrom).lenBytes8(validTo);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Interval x && Arrays.equals(validFrom, x.validFrom) && Arrays.equals(validTo, x.validTo);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(validFrom) + Arrays.hashCode(validTo);
        }

        @Override
        public String toString() {
            return "KV interval " + Bytes.hex(validFrom) + ".." + Bytes.hex(validTo);
        }
    }

    static KeyValidity none() {
        return new Null();
    }

    static KeyValidity spi(byte[] spi) {
        return new Spi(spi);
    }

    /** Reads the KV data for a KV type already read at {@code at}. */
    static KeyValidity decode(WireReader r, int kvType, int at) {
        return switch (kvType) {
            case NULL -> new Null();
            case SPI -> new Spi(r.bytes(r.u8("SPI len"), "SPI"));
            case INTERVAL -> {
                byte[] from = r.bytes(r.u8("VF len"), "Valid From");
                byte[] to = r.bytes(r.u8("VT len"), "Valid To");
                yield new Interval(from, to);
            }
            default -> throw new MikeyException(ErrorCode.UNSPECIFIED, "unknown KV type " + kvType, at);
        };
    }
}
