package org.kmsconf.mikey.message;

import java.util.Arrays;
import java.util.List;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.PayloadChain;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.payload.WireReader;
import org.kmsconf.mikey.payload.WireWriter;

/**
 * Binary encoding of whole MIKEY messages. Decoding is strict: every length is checked against the remaining input
 * before anything is allocated, trailing bytes are refused, unknown data types, map types, payload types and code
 * points are refused, and every failure is a {@link MikeyException} with an error code and the byte offset.
 * {@code encode(decode(b))} reproduces {@code b} exactly.
 */
public final class MikeyCodec {
    private MikeyCodec() {
    }

    public static MikeyMessage decode(byte[] bytes) {
        if (bytes == null) {
            throw new MikeyException(ErrorCode.UNSPECIFIED, "no MIKEY message", 0);
        }
        WireReader r = new WireReader(bytes);
        int[] next = new int[1];
        Header h = Header.decode(r, next);
        List<Payload> payloads = PayloadChain.decode(r, next[0]);
        r.expectEnd("last payload");
        return new MikeyMessage(h, payloads);
    }

    /**
     * The common header of a message whose payloads may not decode (to answer it with an error message that
     * copies its CSB ID and map, RFC 3830 §5.1.2).
     */
    public static Header decodeHeader(byte[] bytes) {
        if (bytes == null) {
            throw new MikeyException(ErrorCode.UNSPECIFIED, "no MIKEY message", 0);
        }
        return Header.decode(new WireReader(bytes), new int[1]);
    }

    public static byte[] encode(MikeyMessage m) {
        return encode(m, false);
    }

    private static byte[] encode(MikeyMessage m, boolean withoutInitiatorData) {
        WireWriter w = new WireWriter();
        m.header().encode(w, PayloadChain.firstType(m.payloads()));
        PayloadChain.encode(w, m.payloads(), withoutInitiatorData);
        return w.toByteArray();
    }

    /**
     * The message without the MAC field of its last payload (RFC 3830 §5.2): everything up to and including the
     * Auth alg of the closing V payload, or the MAC alg of a closing KEMAC. This is the start of every MAC input.
     */
    public static byte[] encodeWithoutMac(MikeyMessage m) {
        return strip(encode(m, false), m);
    }

    /**
     * The TRANSFER_INIT MAC input base (RFC 6043 §5.2 Table 5.2): as {@link #encodeWithoutMac} and additionally
     * without the TICKET payload's Initiator Data length and Initiator Data fields.
     */
    public static byte[] encodeWithoutMacAndInitiatorData(MikeyMessage m) {
        return strip(encode(m, true), m);
    }

    private static byte[] strip(byte[] all, MikeyMessage m) {
        Payload last = m.last();
        int macBytes;
        if (last instanceof Verification v) {
            macBytes = v.authAlg().macBytes();
        } else if (last instanceof Kemac k) {
            macBytes = k.macAlg().macBytes();
        } else {
            throw new IllegalArgumentException("message does not end with a V or KEMAC payload: " + last.type());
        }
        return Arrays.copyOf(all, all.length - macBytes);
    }
}
