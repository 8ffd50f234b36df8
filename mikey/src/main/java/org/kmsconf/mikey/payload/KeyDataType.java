package org.kmsconf.mikey.payload;

/** Type field of the Key data sub-payload (RFC 3830 §6.13, RFC 6043 §6.13 adds GTGK and MPK). */
public enum KeyDataType {
    TGK(0, false),
    TGK_SALT(1, true),
    TEK(2, false),
    TEK_SALT(3, true),
    GTGK(4, false),
    GTGK_SALT(5, true),
    MPK(6, false);

    /** {@link #values()} clones its array on every call; look-ups on the decode path use this one. */
    private static final KeyDataType[] ALL = values();

    private final int value;
    private final boolean hasSalt;

    KeyDataType(int value, boolean hasSalt) {
        this.value = value;
        this.hasSalt = hasSalt;
    }

    public int value() {
        return value;
    }

    /** True for the "+SALT" types, which carry the Salt len and Salt fields. */
    public boolean hasSalt() {
        return hasSalt;
    }

    /** The type for a 4-bit value, or null if unknown. */
    static KeyDataType fromValue(int v) {
        for (KeyDataType t : ALL) {
            if (t.value == v) {
                return t;
            }
        }
        return null;
    }
}
