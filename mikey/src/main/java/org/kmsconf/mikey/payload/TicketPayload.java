package org.kmsconf.mikey.payload;

import java.util.Arrays;
import java.util.Objects;

/**
 * TICKET payload (RFC 6043 §6.10): the TP fields, then {@code Ticket Data length(16) | Ticket Data |
 * Initiator Data length(16) | Initiator Data}. Ticket Data and Initiator Data are kept as bytes; the base ticket
 * and the Initiator Data codecs ({@code org.kmsconf.mikey.ticket}) read them.
 */
public record TicketPayload(TicketPolicy policy, byte[] ticketData, byte[] initiatorData) implements Payload {

    public TicketPayload {
        Objects.requireNonNull(policy, "policy");
        ticketData = ticketData.clone();
        initiatorData = initiatorData.clone();
        if (ticketData.length > 0xffff || initiatorData.length > 0xffff) {
            throw new IllegalArgumentException("Ticket Data / Initiator Data longer than 65535 bytes");
        }
    }

    @Override
    public byte[] ticketData() {
        return ticketData.clone();
    }

    @Override
    public byte[] initiatorData() {
        return initiatorData.clone();
    }

    public TicketPayload withInitiatorData(byte[] data) {
        return new TicketPayload(policy, ticketData, data);
    }

    @Override
    public PayloadType type() {
        return PayloadType.TICKET;
    }

    @Override
    public void encodeBody(WireWriter w) {
        encodeBody(w, true);
    }

    /** The payload without its Next payload byte; without the Initiator Data length and data if asked. */
    public void encodeBody(WireWriter w, boolean withInitiatorData) {
        policy.encodeBody(w);
        w.lenBytes16(ticketData);
        if (withInitiatorData) {
            w.lenBytes16(initiatorData);
        }
    }

    /**
     * The input of the base ticket's V MAC (RFC 6043 App. A.2): the TICKET payload without its Next payload byte,
     * without the Initiator Data length and Initiator Data, and without the trailing {@code macBytes} of the
     * ticket's own MAC (the V payload closing the Ticket Data).
     */
    public byte[] ticketMacInput(int macBytes) {
        WireWriter w = new WireWriter();
        encodeBody(w, false);
        byte[] all = w.toByteArray();
        if (macBytes < 0 || macBytes > ticketData.length) {
            throw new IllegalArgumentException("MAC longer than the Ticket Data");
        }
        return Arrays.copyOf(all, all.length - macBytes);
    }

    static TicketPayload decode(WireReader r) {
        TicketPolicy tp = TicketPolicy.decode(r);
        byte[] td = r.bytes(r.u16("Ticket Data length"), "Ticket Data");
        byte[] id = r.bytes(r.u16("Initiator Data length"), "Initiator Data");
        return new TicketPayload(tp, td, id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TicketPayload x && policy.equals(x.policy) && Arrays.equals(ticketData, x.ticketData)
                && Arrays.equals(initiatorData, x.initiatorData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy, Arrays.hashCode(ticketData), Arrays.hashCode(initiatorData));
    }

    @Override
    public String toString() {
        return "TICKET[" + policy + ", ticket data " + ticketData.length + " bytes, initiator data "
                + initiatorData.length + " bytes]";
    }
}
