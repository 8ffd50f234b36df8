package org.kmsconf.control.cms;

import java.util.HexFormat;

/**
 * The kekid.keyIdentifier of a NOTIFY body's KEK recipient (docs/profile.md §6, kmsconf extension): the leg's CSB ID
 * (4 octets, big-endian) followed by 0xE0, the CS ID of the event-package KEK. 5 octets, no date, no other.
 */
public record KekId(int csbId) {
    public static final int CS_ID = 0xE0;

    public byte[] bytes() {
        return new byte[] {(byte) (csbId >>> 24), (byte) (csbId >>> 16), (byte) (csbId >>> 8), (byte) csbId,
            (byte) CS_ID};
    }

    /** The kekid in received octets, if it has exactly our form. */
    public static java.util.Optional<KekId> parse(byte[] keyIdentifier) {
        if (keyIdentifier == null || keyIdentifier.length != 5 || (keyIdentifier[4] & 0xFF) != CS_ID) {
            return java.util.Optional.empty();
        }
        int csb = ((keyIdentifier[0] & 0xFF) << 24) | ((keyIdentifier[1] & 0xFF) << 16)
                | ((keyIdentifier[2] & 0xFF) << 8) | (keyIdentifier[3] & 0xFF);
        return java.util.Optional.of(new KekId(csb));
    }

    @Override
    public String toString() {
        return "kekid " + HexFormat.of().formatHex(bytes());
    }
}
