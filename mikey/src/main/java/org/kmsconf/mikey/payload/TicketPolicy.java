package org.kmsconf.mikey.payload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.PrfFunc;

/**
 * TP payload, ticket policy (RFC 6043 §6.10):
 * <pre>
 * next | Ticket Type(16) | Subtype(8) | Version(8) | PRF Func(7) D(1) | E F G H I J K L | M N O Res(5)
 *      | TP Data length(16) | TP Data
 * </pre>
 * TP Data = first payload type (8) || payload chain: {@code [IDRkms], [IDRi], [TRs], [TRe], [TRr], [KEMAC],
 * {IDRapp}, (IDRr)}. An empty chain is encoded as TP Data length 0.
 */
public record TicketPolicy(int ticketType, int subtype, int version, PrfFunc prfFunc, Set<TicketFlag> flags,
        List<Payload> tpData) implements Payload {

    /** Ticket Type 1: MIKEY base ticket (RFC 6043 App. A). */
    public static final int MIKEY_BASE_TICKET = 1;
    /** Ticket Type 2: 3GPP base ticket (reserved for 3GPP). */
    public static final int THREE_GPP_BASE_TICKET = 2;

    public TicketPolicy {
        if (ticketType < 0 || ticketType > 0xffff || subtype < 0 || subtype > 0xff || version < 0 || version > 0xff) {
            throw new IllegalArgumentException("ticket type / subtype / version out of range");
        }
        Objects.requireNonNull(prfFunc, "prfFunc");
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        tpData = List.copyOf(tpData);
    }

    public boolean has(TicketFlag f) {
        return flags.contains(f);
    }

    /** The first TP Data payload of a given class. */
    public <T extends Payload> Optional<T> first(Class<T> type) {
        for (Payload p : tpData) {
            if (type.isInstance(p)) {
                return Optional.of(type.cast(p));
            }
        }
        return Optional.empty();
    }

    /** All TP Data payloads of a given class. */
    public <T extends Payload> List<T> all(Class<T> type) {
        List<T> out = new ArrayList<>(tpData.size());
        for (Payload p : tpData) {
            if (type.isInstance(p)) {
                out.add(type.cast(p));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** All IDR payloads of a role in TP Data (e.g. the authorised responders, role IDRr). */
    public List<Idr> idrs(IdRole role) {
        List<Idr> out = new ArrayList<>(tpData.size());
        for (Payload p : tpData) {
            if (p instanceof Idr i && i.role() == role) {
                out.add(i);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The three flag bytes, with the PRF func in the 7 high bits of the first. */
    private int[] flagBytes() {
        int[] b = {prfFunc.value() << 1, 0, 0};
        for (TicketFlag f : flags) {
            b[f.byteIndex] |= f.mask;
        }
        return b;
    }

    @Override
    public PayloadType type() {
        return PayloadType.TP;
    }

    @Override
    public void encodeBody(WireWriter w) {
        int[] b = flagBytes();
        w.u16(ticketType).u8(subtype).u8(version).u8(b[0]).u8(b[1]).u8(b[2]);
        w.lenBytes16(encodePrefixedChain(tpData));
    }

    /** {@code first payload type || chain}, or nothing for an empty chain (TP Data, Initiator Data). */
    public static byte[] encodePrefixedChain(List<? extends Payload> chain) {
        if (chain.isEmpty()) {
            return new byte[0];
        }
        WireWriter w = new WireWriter();
        w.u8(PayloadChain.firstType(chain));
        PayloadChain.encode(w, chain);
        return w.toByteArray();
    }

    /** Decodes {@code first payload type || chain} filling the whole reader; empty input is an empty chain. */
    public static List<Payload> decodePrefixedChain(WireReader r, String what) {
        if (r.atEnd()) {
            return List.of();
        }
        int at = r.offset();
        int first = r.u8(what + " first payload");
        if (first == PayloadType.LAST) {
            throw new MikeyException(ErrorCode.UNSPECIFIED, what + " names no first payload", at);
        }
        return PayloadChain.decodeAll(r, first, what);
    }

    static TicketPolicy decode(WireReader r) {
        int ticketType = r.u16("Ticket Type");
        int subtype = r.u8("Subtype");
        int version = r.u8("Version");
        int prfAt = r.offset();
        int b5 = r.u8("PRF Func/D");
        PrfFunc prf = Codes.prfFunc(b5 >>> 1, prfAt);
        int b6 = r.u8("flags E-L");
        int resAt = r.offset();
        int b7 = r.u8("flags M-O");
        if ((b7 & 0x1f) != 0) {
            throw new MikeyException(ErrorCode.INVALID_TPPAR, "TP reserved bits not zero", resAt);
        }
        int[] b = {b5, b6, b7};
        EnumSet<TicketFlag> flags = EnumSet.noneOf(TicketFlag.class);
        for (TicketFlag f : TicketFlag.ALL) {
            if ((b[f.byteIndex] & f.mask) != 0) {
                flags.add(f);
            }
        }
        WireReader data = r.slice(r.u16("TP Data length"), "TP Data");
        return new TicketPolicy(ticketType, subtype, version, prf, flags, decodePrefixedChain(data, "TP Data"));
    }

    @Override
    public String toString() {
        return "TP[type " + ticketType + "/" + subtype + "/" + version + ", " + prfFunc + ", flags "
                + (flags.isEmpty() ? EnumSet.noneOf(TicketFlag.class) : EnumSet.copyOf(flags))
                + ", " + tpData + "]";
    }
}
