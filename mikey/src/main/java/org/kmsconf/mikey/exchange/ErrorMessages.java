package org.kmsconf.mikey.exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.Macs;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.EmptyMap;
import org.kmsconf.mikey.message.Header;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.ErrorPayload;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.Verification;

/**
 * MIKEY error messages (data type 6, RFC 3830 §5.1.2, RFC 6043 §5): {@code HDR, T, (ERR), [V]}. The HDR copies
 * version, PRF func, CSB ID and CS ID map of the message answered, with V = 0. docs/profile.md §1 row 13: an error
 * answering an
 * authenticated initial message carries a V whose auth_key is derived like that message's (label 0x01) and whose MAC
 * covers the error message only; an error after a failed authentication carries no V.
 */
public final class ErrorMessages {
    private ErrorMessages() {
    }

    /** A received error message. {@link #authenticated()} is false when it had no V or its V was not checked. */
    public record ReceivedError(MikeyMessage message, List<ErrorCode> codes, boolean authenticated) {
        public ErrorCode first() {
            return codes.isEmpty() ? ErrorCode.UNSPECIFIED : codes.get(0);
        }

        /** The refusal as an exception naming the first error code. */
        public MikeyException toException(String who) {
            return new MikeyException(first(), who + " answered with error " + codes
                    + (authenticated ? " (authenticated)" : " (unauthenticated)"));
        }
    }

    /** An unauthenticated error answering {@code answered} (or, when it could not be parsed, a bare header). */
    public static byte[] unauthenticated(Header answered, Timestamp t, ErrorCode code) {
        List<Payload> ps = List.of(t, new ErrorPayload(code));
        return MikeyCodec.encode(new MikeyMessage(errorHeader(answered), ps));
    }

    /** An error with a V payload keyed with {@code authKey} (derived as for the initial message, label 0x01). */
    public static byte[] authenticated(Header answered, Timestamp t, ErrorCode code, MacAlg alg, KeyMaterial authKey) {
        MikeyMessage m = new MikeyMessage(errorHeader(answered),
                List.of(t, new ErrorPayload(code), Verification.unsigned(alg)));
        return Exchanges.signedBytes(m, authKey);
    }

    /** The header of an error message answering a message with header {@code answered}. */
    public static Header errorHeader(Header answered) {
        if (answered == null) {
            return new Header(DataType.ERROR, false, PrfFunc.MIKEY_1, 0, EmptyMap.NONE);
        }
        return answered.withDataType(DataType.ERROR).withVFlag(false);
    }

    /** Decodes an error message; its V, if any, is not verified (see {@link #verify}). */
    public static ReceivedError parse(MikeyMessage m) {
        if (m.dataType() != DataType.ERROR) {
            throw new IllegalArgumentException("not an error message: " + m.dataType());
        }
        List<ErrorCode> codes = new ArrayList<>();
        for (ErrorPayload e : m.all(ErrorPayload.class)) {
            codes.add(e.errorCode());
        }
        return new ReceivedError(m, List.copyOf(codes), false);
    }

    /**
     * Parses an error message and, if it carries a V, verifies it with {@code authKey}; a V that fails leaves the
     * error unauthenticated (RFC 3830 §5.1.2: treat it as a hint only).
     */
    public static ReceivedError parseAndVerify(MikeyMessage m, KeyMaterial authKey) {
        ReceivedError e = parse(m);
        Optional<Verification> v = m.payloads().isEmpty() || !(m.last() instanceof Verification x)
                ? Optional.empty() : Optional.of(x);
        boolean ok = v.isPresent() && v.get().authAlg() != MacAlg.NULL && authKey != null
                && Macs.verify(v.get().authAlg(), authKey, v.get().mac(), MikeyCodec.encodeWithoutMac(m));
        return new ReceivedError(m, e.codes(), ok);
    }
}
