package org.kmsconf.mikey.payload;

/**
 * One MIKEY payload (RFC 3830 §6, RFC 6043 §6). A payload never stores its own type or its Next payload byte: the
 * type is implied by {@link #type()} and the Next payload byte is written by {@link PayloadChain} from the payload
 * that follows. {@link #encodeBody} writes everything after the Next payload byte.
 */
public sealed interface Payload
        permits Kemac, Pke, Dh, Sign, Timestamp, Id, Cert, Chash, Verification, SecurityPolicy, Rand, ErrorPayload,
        Tr, Idr, Randr, TicketPolicy, TicketPayload, GeneralExtension {

    PayloadType type();

    /** Writes the payload's fields that follow its Next payload byte (SIGN: the whole payload). */
    void encodeBody(WireWriter w);
}
