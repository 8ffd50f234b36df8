package org.kmsconf.mikey.ticket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.payload.Bytes;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.PayloadChain;
import org.kmsconf.mikey.payload.Rand;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.payload.WireReader;
import org.kmsconf.mikey.payload.WireWriter;

/**
 * Ticket Data of the MIKEY base ticket (Ticket Type 1, RFC 6043 App. A): {@code THDR, T, RAND, KEMAC, [IDRpsk], V}.
 * THDR ({@code Next payload(8) | THDR Data length(16) | THDR Data}) has no payload number and is implicitly first.
 * The KEMAC carries {@code MPK || TGK...} encrypted with keys from the ticket protection key (TPK) and a NULL MAC;
 * the V MAC, keyed from the TPK, covers the TICKET payload as {@code TicketPayload.ticketMacInput} defines.
 */
public record BaseTicket(byte[] thdrData, Timestamp t, Rand rand, Kemac kemac, Optional<Idr> idrPsk,
        Verification v) {

    public BaseTicket {
        thdrData = thdrData.clone();
        if (thdrData.length > 0xffff) {
            throw new IllegalArgumentException("THDR data longer than 65535 bytes");
        }
        Objects.requireNonNull(t, "t");
        Objects.requireNonNull(rand, "rand");
        Objects.requireNonNull(kemac, "kemac");
        Objects.requireNonNull(idrPsk, "idrPsk");
        Objects.requireNonNull(v, "v");
        idrPsk.ifPresent(i -> {
            if (i.role() != IdRole.IDRpsk) {
                throw new IllegalArgumentException("the base ticket's IDR must have role IDRpsk");
            }
        });
    }

    @Override
    public byte[] thdrData() {
        return thdrData.clone();
    }

    public BaseTicket withV(Verification newV) {
        return new BaseTicket(thdrData, t, rand, kemac, idrPsk, newV);
    }

    private List<Payload> chain() {
        List<Payload> c = new ArrayList<>(List.of(t, rand, kemac));
        idrPsk.ifPresent(c::add);
        c.add(v);
        return c;
    }

    /** The Ticket Data bytes. */
    public byte[] encode() {
        WireWriter w = new WireWriter();
        List<Payload> c = chain();
        w.u8(PayloadChain.firstType(c)).lenBytes16(thdrData);
        PayloadChain.encode(w, c);
        return w.toByteArray();
    }

    /** Decodes Ticket Data; anything but the base ticket layout is an Invalid TICKET error. */
    public static BaseTicket decode(byte[] ticketData) {
        WireReader r = new WireReader(ticketData);
        int next = r.u8("THDR next payload");
        byte[] thdr = r.bytes(r.u16("THDR Data length"), "THDR Data");
        List<Payload> c = PayloadChain.decodeAll(r, next, "Ticket Data");
        int i = 0;
        Timestamp t = expect(c, i++, Timestamp.class);
        Rand rand = expect(c, i++, Rand.class);
        Kemac kemac = expect(c, i++, Kemac.class);
        Optional<Idr> idr = Optional.empty();
        if (i < c.size() && c.get(i) instanceof Idr x) {
            if (x.role() != IdRole.IDRpsk) {
                throw new MikeyException(ErrorCode.INVALID_TICKET, "base ticket IDR is not IDRpsk");
            }
            idr = Optional.of(x);
            i++;
        }
        Verification v = expect(c, i++, Verification.class);
        if (i != c.size()) {
            throw new MikeyException(ErrorCode.INVALID_TICKET, "payloads after the base ticket's V");
        }
        return new BaseTicket(thdr, t, rand, kemac, idr, v);
    }

    private static <T extends Payload> T expect(List<Payload> c, int i, Class<T> type) {
        if (i >= c.size() || !type.isInstance(c.get(i))) {
            throw new MikeyException(ErrorCode.INVALID_TICKET,
                    "base ticket payload " + (i + 1) + " is not " + type.getSimpleName());
        }
        return type.cast(c.get(i));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BaseTicket x && Arrays.equals(thdrData, x.thdrData) && t.equals(x.t)
                && rand.equals(x.rand) && kemac.equals(x.kemac) && idrPsk.equals(x.idrPsk) && v.equals(x.v);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(thdrData), t, rand, kemac, idrPsk, v);
    }

    @Override
    public String toString() {
        return "BaseTicket[THDR " + Bytes.hex(thdrData) + ", " + t + ", " + rand + ", " + kemac + ", "
                + idrPsk.map(Idr::toString).orElse("no IDRpsk") + ", " + v + "]";
    }
}
