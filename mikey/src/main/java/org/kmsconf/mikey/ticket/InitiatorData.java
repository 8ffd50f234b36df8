package org.kmsconf.mikey.ticket;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.payload.WireReader;

/**
 * Initiator Data of a TICKET (RFC 6043 §6.10, used with key forking): {@code First Payload, Vi, Vr}, i.e.
 * {@code 0x09 || V(next 9) || V(next 0)}. Vi copies the Auth alg and MAC of the TRANSFER_INIT's V payload (our
 * profile: its Next payload becomes 9 because Vr follows). Vr's MAC covers the whole Initiator Data except its own MAC
 * field and is keyed from the unforked MPKr with label 0x04.
 */
public record InitiatorData(Verification vi, Verification vr) {

    public InitiatorData {
        Objects.requireNonNull(vi, "vi");
        Objects.requireNonNull(vr, "vr");
    }

    public byte[] encode() {
        return TicketPolicy.encodePrefixedChain(List.of(vi, vr));
    }

    /** The Vr MAC input: the Initiator Data without Vr's MAC field. */
    public byte[] vrMacInput() {
        byte[] all = encode();
        return Arrays.copyOf(all, all.length - vr.authAlg().macBytes());
    }

    public InitiatorData withVr(Verification newVr) {
        return new InitiatorData(vi, newVr);
    }

    /** Decodes Initiator Data; anything but exactly Vi, Vr is an Invalid TICKET error. */
    public static InitiatorData decode(byte[] data) {
        if (data.length == 0) {
            throw new MikeyException(ErrorCode.INVALID_TICKET, "ticket has no Initiator Data");
        }
        List<Payload> c = TicketPolicy.decodePrefixedChain(new WireReader(data), "Initiator Data");
        if (c.size() != 2 || !(c.get(0) instanceof Verification vi) || !(c.get(1) instanceof Verification vr)) {
            throw new MikeyException(ErrorCode.INVALID_TICKET, "Initiator Data is not Vi, Vr");
        }
        return new InitiatorData(vi, vr);
    }
}
