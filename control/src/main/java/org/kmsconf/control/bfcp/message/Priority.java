package org.kmsconf.control.bfcp.message;

/** The 3-bit Prio field of PRIORITY (RFC 8855 §5.2.4, Table 3); values 5-7 are reserved. */
public enum Priority {
    LOWEST, LOW, NORMAL, HIGH, HIGHEST;

    public int value() {
        return ordinal();
    }

    /** The priority with this wire value, or null for a reserved one. */
    public static Priority fromValue(int value) {
        return value >= 0 && value <= 4 ? values()[value] : null;
    }
}
