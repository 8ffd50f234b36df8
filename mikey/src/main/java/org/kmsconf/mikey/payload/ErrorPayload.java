package org.kmsconf.mikey.payload;

import java.util.Objects;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;

/**
 * ERR payload (RFC 3830 §6.12): {@code next | Error no(8) | Reserved(16)}. Error numbers this implementation does
 * not know and a non-zero Reserved field are refused, so that decoding then encoding is the identity.
 */
public record ErrorPayload(ErrorCode errorCode) implements Payload {

    public ErrorPayload {
        Objects.requireNonNull(errorCode, "errorCode");
    }

    @Override
    public PayloadType type() {
        return PayloadType.ERR;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(errorCode.value()).u16(0);
    }

    static ErrorPayload decode(WireReader r) {
        int at = r.offset();
        int no = r.u8("Error no");
        if (no >= ErrorCode.values().length) {
            throw new MikeyException(ErrorCode.UNSPECIFIED, "unknown error number " + no, at);
        }
        int reservedAt = r.offset();
        if (r.u16("ERR reserved") != 0) {
            throw new MikeyException(ErrorCode.UNSPECIFIED, "ERR reserved field not zero", reservedAt);
        }
        return new ErrorPayload(ErrorCode.fromValue(no));
    }

    @Override
    public String toString() {
        return "ERR[" + errorCode + "]";
    }
}
