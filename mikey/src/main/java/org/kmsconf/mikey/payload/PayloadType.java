package org.kmsconf.mikey.payload;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/**
 * Payload type numbers (the "Next payload" values, RFC 3830 §6.1 Table 6.1.c and RFC 6043 §6), each with the
 * decoder of its body. The Key data sub-payload (20) is not listed: it lives only inside a KEMAC's encrypted field
 * and is handled by {@link KeyData}. THDR has no number at all (RFC 6043 App. A.3).
 */
public enum PayloadType {
    KEMAC(1, Kemac::decode),
    PKE(2, Pke::decode),
    DH(3, Dh::decode),
    /** SIGN has no Next payload field and is always the last payload (RFC 3830 §6.5). */
    SIGN(4, Sign::decode),
    T(5, Timestamp::decode),
    ID(6, Id::decode),
    CERT(7, Cert::decode),
    CHASH(8, Chash::decode),
    V(9, Verification::decode),
    SP(10, SecurityPolicy::decode),
    RAND(11, Rand::decode),
    ERR(12, ErrorPayload::decode),
    TR(13, Tr::decode),
    IDR(14, Idr::decode),
    RANDR(15, Randr::decode),
    TP(16, TicketPolicy::decode),
    TICKET(17, TicketPayload::decode),
    GENERAL_EXTENSION(21, GeneralExtension::decode);

    /** {@link #values()} clones its array on every call; look-ups on the decode path use this one. */
    private static final PayloadType[] ALL = values();

    /** Next payload value meaning "no further payload". */
    public static final int LAST = 0;

    /** Reads a payload body (everything after its Next payload byte). */
    @FunctionalInterface
    public interface BodyDecoder {
        Payload decode(WireReader r);
    }

    private final int value;
    private final BodyDecoder decoder;

    PayloadType(int value, BodyDecoder decoder) {
        this.value = value;
        this.decoder = decoder;
    }

    public int value() {
        return value;
    }

    public Payload decodeBody(WireReader r) {
        return decoder.decode(r);
    }

    /** The payload type for a Next payload value; 0 and unknown values are an error at {@code offset}. */
    public static PayloadType fromValue(int value, int offset) {
        for (PayloadType t : ALL) {
            if (t.value == value) {
                return t;
            }
        }
        throw new MikeyException(ErrorCode.UNSPECIFIED, "unknown payload type " + value, offset);
    }
}
