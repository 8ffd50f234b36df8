package org.kmsconf.mikey.payload;

import java.util.ArrayList;
import java.util.List;

/**
 * A chain of payloads linked by Next payload bytes (RFC 3830 §6): used for the message body after HDR, for RFC 6043
 * TP Data and Initiator Data (after their "first payload" byte) and for the base ticket's Ticket Data (after THDR).
 */
public final class PayloadChain {
    private PayloadChain() {
    }

    /**
     * Decodes payloads starting with type {@code firstType} until a Next payload of 0 (or a SIGN, which is always
     * last). Does not check that the input is exhausted: callers do, with {@link WireReader#expectEnd}.
     */
    public static List<Payload> decode(WireReader r, int firstType) {
        List<Payload> out = new ArrayList<>();
        int type = firstType;
        while (type != PayloadType.LAST) {
            // An unknown type is reported at the offset where that payload would start.
            PayloadType pt = PayloadType.fromValue(type, r.offset());
            if (pt == PayloadType.SIGN) {
                out.add(pt.decodeBody(r));
                break;
            }
            int next = r.u8("Next payload");
            out.add(pt.decodeBody(r));
            type = next;
        }
        return List.copyOf(out);
    }

    /** The type value of the first payload, or 0 for an empty chain. */
    public static int firstType(List<? extends Payload> payloads) {
        return payloads.isEmpty() ? PayloadType.LAST : payloads.get(0).type().value();
    }

    /** Writes every payload with its Next payload byte naming the following one (0 after the last). */
    public static void encode(WireWriter w, List<? extends Payload> payloads) {
        encode(w, payloads, false);
    }

    /**
     * As {@link #encode(WireWriter, List)}; with {@code withoutInitiatorData} a TICKET payload is written without
     * its Initiator Data length and Initiator Data fields (the TRANSFER_INIT MAC input, RFC 6043 §5.2).
     */
    public static void encode(WireWriter w, List<? extends Payload> payloads, boolean withoutInitiatorData) {
        for (int i = 0; i < payloads.size(); i++) {
            Payload p = payloads.get(i);
            boolean last = i == payloads.size() - 1;
            if (p.type() == PayloadType.SIGN) {
                if (!last) {
                    throw new IllegalArgumentException("SIGN must be the last payload (RFC 3830 §6.5)");
                }
            } else {
                w.u8(last ? PayloadType.LAST : payloads.get(i + 1).type().value());
            }
            if (withoutInitiatorData && p instanceof TicketPayload t) {
                t.encodeBody(w, false);
            } else {
                p.encodeBody(w);
            }
        }
    }

    /** Decodes a complete payload chain held in {@code bytes}, refusing trailing bytes. */
    public static List<Payload> decodeAll(WireReader r, int firstType, String what) {
        List<Payload> list = decode(r, firstType);
        r.expectEnd(what);
        return list;
    }
}
