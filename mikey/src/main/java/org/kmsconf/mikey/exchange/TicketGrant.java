package org.kmsconf.mikey.exchange;

import java.util.List;
import java.util.Objects;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.payload.Bytes;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.TicketPayload;

/**
 * What a successful Ticket Request exchange gives the Initiator (RFC 6043 §5.1): the TICKET (to put into
 * TRANSFER_INIT, possibly several times: J = 1) and the keys the KMS sent in REQUEST_RESP's KEMAC: MPKi, MPKr (key
 * forking) and the TGK with its SPI. The keys never appear in {@link #toString()}; {@link #destroy()} zeroes them.
 */
public final class TicketGrant {
    private final TicketPayload ticket;
    private final AlgorithmSet set;
    private final KeyMaterial mpki;
    private final KeyMaterial mpkr;
    private final KeyMaterial tgk;
    private final byte[] tgkSpi;

    TicketGrant(TicketPayload ticket, AlgorithmSet set, KeyMaterial mpki, KeyMaterial mpkr, KeyMaterial tgk,
            byte[] tgkSpi) {
        this.ticket = Objects.requireNonNull(ticket);
        this.set = set;
        this.mpki = mpki;
        this.mpkr = mpkr;
        this.tgk = tgk;
        this.tgkSpi = tgkSpi.clone();
    }

    /** The TICKET payload as issued (Initiator Data empty). */
    public TicketPayload ticket() {
        return ticket;
    }

    public AlgorithmSet algorithmSet() {
        return set;
    }

    public KeyMaterial mpki() {
        return mpki;
    }

    public KeyMaterial mpkr() {
        return mpkr;
    }

    public KeyMaterial tgk() {
        return tgk;
    }

    /** The SPI of the TGK key data (docs/profile.md §1 row 14: also the SPI of every crypto session keyed from it). */
    public byte[] tgkSpi() {
        return tgkSpi.clone();
    }

    /** The authorised responders named in the ticket policy (IDRr). */
    public List<String> responders() {
        return ticket.policy().idrs(IdRole.IDRr).stream().map(Idr::asString).toList();
    }

    /** Zeroes MPKi, MPKr and TGK. */
    public void destroy() {
        mpki.destroy();
        mpkr.destroy();
        tgk.destroy();
    }

    @Override
    public String toString() {
        return "TicketGrant[" + set + ", responders " + responders() + ", TGK SPI " + Bytes.hex(tgkSpi)
                + ", keys redacted]";
    }
}
