package org.kmsconf.mikey.payload;

import java.util.Arrays;
import java.util.Objects;
import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.crypto.MacAlg;

/**
 * KEMAC payload (RFC 3830 §6.2): {@code next | Encr alg | Encr data len(16) | Encr data | MAC alg | MAC}.
 * The encrypted field is kept as bytes; its plaintext is a {@link KeyData} chain. The MAC length is implicit from
 * the MAC algorithm.
 */
public record Kemac(EncrAlg encrAlg, byte[] encrData, MacAlg macAlg, byte[] mac) implements Payload {

    public Kemac {
        Objects.requireNonNull(encrAlg, "encrAlg");
        Objects.requireNonNull(macAlg, "macAlg");
        encrData = encrData.clone();
        mac = mac.clone();
        if (encrData.length > 0xffff) {
            throw new IllegalArgumentException("KEMAC encrypted data longer than 65535 bytes");
        }
        if (mac.length != macAlg.macBytes()) {
            throw new IllegalArgumentException("MAC length " + mac.length + " does not match " + macAlg);
        }
    }

    /** A KEMAC whose MAC field is not computed yet (zero bytes of the right length). */
    public static Kemac unsigned(EncrAlg encrAlg, byte[] encrData, MacAlg macAlg) {
        return new Kemac(encrAlg, encrData, macAlg, new byte[macAlg.macBytes()]);
    }

    public Kemac withMac(byte[] newMac) {
        return new Kemac(encrAlg, encrData, macAlg, newMac);
    }

    @Override
    public byte[] encrData() {
        return encrData.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public PayloadType type() {
        return PayloadType.KEMAC;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(encrAlg.value()).lenBytes16(encrData).u8(macAlg.value()).bytes(mac);
    }

    static Kemac decode(WireReader r) {
        EncrAlg ea = Codes.encrAlg(r, "KEMAC encr alg");
        int len = r.u16("KEMAC encr data len");
        byte[] data = r.bytes(len, "KEMAC encr data");
        MacAlg ma = Codes.macAlg(r, "KEMAC MAC alg");
        byte[] mac = r.bytes(ma.macBytes(), "KEMAC MAC");
        return new Kemac(ea, data, ma, mac);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Kemac k && encrAlg == k.encrAlg && macAlg == k.macAlg
                && Arrays.equals(encrData, k.encrData) && Arrays.equals(mac, k.mac);
    }

    @Override
    public int hashCode() {
        return Objects.hash(encrAlg, macAlg, Arrays.hashCode(encrData), Arrays.hashCode(mac));
    }

    @Override
    public String toString() {
        return "KEMAC[" + encrAlg + ", " + encrData.length + " bytes encrypted, " + macAlg + "]";
    }
}
