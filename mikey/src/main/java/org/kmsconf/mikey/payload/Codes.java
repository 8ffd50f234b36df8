package org.kmsconf.mikey.payload;

import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.PrfFunc;

/** Reads algorithm code points so that an unknown value fails with its own error code and its offset. */
public final class Codes {
    private Codes() {
    }

    public static EncrAlg encrAlg(WireReader r, String what) {
        int at = r.offset();
        int v = r.u8(what);
        try {
            return EncrAlg.fromValue(v);
        } catch (MikeyException e) {
            throw new MikeyException(e.errorCode(), "unknown " + what + " " + v, at);
        }
    }

    public static MacAlg macAlg(WireReader r, String what) {
        int at = r.offset();
        int v = r.u8(what);
        try {
            return MacAlg.fromValue(v);
        } catch (MikeyException e) {
            throw new MikeyException(e.errorCode(), "unknown " + what + " " + v, at);
        }
    }

    /** A 7-bit PRF func value already extracted from its byte at {@code at}. */
    public static PrfFunc prfFunc(int v, int at) {
        try {
            return PrfFunc.fromValue(v);
        } catch (MikeyException e) {
            throw new MikeyException(e.errorCode(), "unknown PRF func " + v, at);
        }
    }
}
