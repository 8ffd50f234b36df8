package org.kmsconf.mikey.message;

import org.kmsconf.mikey.payload.WireWriter;

/**
 * The crypto session ID map of the HDR (RFC 3830 §6.1.1, RFC 4563, RFC 6043 §6.1.1): its type, the #CS it implies
 * and its map info bytes.
 */
public sealed interface CsIdMap permits SrtpIdMap, EmptyMap, GenericIdMap {

    int SRTP_ID = 0;
    int EMPTY = 1;
    int GENERIC_ID = 2;

    /** CS ID map type value. */
    int mapType();

    /** Number of crypto sessions (#CS). */
    int csCount();

    /** Writes the CS ID map info. */
    void encodeInfo(WireWriter w);
}
