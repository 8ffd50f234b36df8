package org.kmsconf.mikey.message;

import org.kmsconf.mikey.payload.WireWriter;

/**
 * Empty map (RFC 4563 §4.1.1, map type 1): no map info. RFC 6043 uses it with #CS = 0 in REQUEST_INIT and
 * RESOLVE_INIT; RFC 4563 allows a #CS count without per-session data, kept here so that decoding is the identity.
 */
public record EmptyMap(int csCount) implements CsIdMap {

    /** #CS = 0. */
    public static final EmptyMap NONE = new EmptyMap(0);

    public EmptyMap {
        if (csCount < 0 || csCount > 0xff) {
            throw new IllegalArgumentException("#CS out of range");
        }
    }

    @Override
    public int mapType() {
        return EMPTY;
    }

    @Override
    public void encodeInfo(WireWriter w) {
    }
}
