package org.kmsconf.mikey.payload;

/**
 * The security protocols a crypto session or an SP payload may name (RFC 3830 §6.10 "Prot type"; IANA "Prot Type":
 * 0 SRTP, 1 TESLA, 2-240 unassigned, 241-255 private use). We accept SRTP and our two private-use types for the
 * non-media keys of a conference leg (docs/profile.md §6, "kmsconf extension"); anything else, TESLA included, is
 * refused with error 9 Invalid SP. This enum is the one place the numbers 241 and 242 are written.
 */
public enum ProtType {
    /** RFC 3830: SRTP, with the {@link SrtpParam} parameters. */
    SRTP(0),
    /**
     * kmsconf private use: the crypto session whose TEK is the external PSK of BFCP over TLS (CS ID 0xB0). No policy
     * parameters, no session data.
     */
    KMSCONF_TLS_PSK(241),
    /**
     * kmsconf private use: the crypto session whose TEK is the KEK of the conference event package's CMS bodies
     * (CS ID 0xE0). No policy parameters, no session data.
     */
    KMSCONF_CMS_KEK(242);

    /** {@link #values()} clones its array on every call; look-ups on the decode path use this one. */
    private static final ProtType[] ALL = values();

    private final int value;

    ProtType(int value) {
        this.value = value;
    }

    /** The 8-bit wire value. */
    public int value() {
        return value;
    }

    /** The protocol with this wire value, or null if we do not implement it. */
    public static ProtType fromValue(int value) {
        for (ProtType p : ALL) {
            if (p.value == value) {
                return p;
            }
        }
        return null;
    }
}
