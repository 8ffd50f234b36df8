package org.kmsconf.mikey.payload;

/**
 * The flags D..O of the TP and TICKET payloads (RFC 6043 §6.10). D is the least significant bit of the PRF byte
 * (byte 5), E..L are bits 7..0 of byte 6, M..O are bits 7..5 of byte 7; the low 5 bits of byte 7 are reserved.
 */
public enum TicketFlag {
    /** The ticket was created by the KMS (0: by the Initiator). */
    D(0, 0x01),
    /** The Ticket Resolve exchange is mandatory. */
    E(1, 0x80),
    /** The Responder SHALL send TRANSFER_RESP. */
    F(1, 0x40),
    /** The Responder SHALL generate RANDRr. */
    G(1, 0x20),
    /** RANDRi SHALL be used in the TGK -> TEK derivation. */
    H(1, 0x10),
    /** Key forking. */
    I(1, 0x08),
    /** The ticket may be reused. */
    J(1, 0x04),
    /** The KMS changed the requested policy or KEMAC (0 in a TP). */
    K(1, 0x02),
    /** The Initiator may supply session keys (KEMAC in TRANSFER_INIT). */
    L(1, 0x01),
    /** The Responder may supply session keys. */
    M(2, 0x80),
    /** The Initiator can use the ticket without extra processing. */
    N(2, 0x40),
    /** The Responder can process the ticket without extra processing. */
    O(2, 0x20);

    /** {@link #values()} clones its array on every call; {@link TicketPolicy} decodes every ticket with this one. */
    static final TicketFlag[] ALL = values();

    /** Which of the three flag bytes (0: PRF byte, 1: E..L, 2: M..O/Res). */
    final int byteIndex;
    final int mask;

    TicketFlag(int byteIndex, int mask) {
        this.byteIndex = byteIndex;
        this.mask = mask;
    }
}
