package org.kmsconf.mikey.exchange;

import java.util.EnumSet;
import java.util.Set;
import org.kmsconf.mikey.payload.TicketFlag;

/** The fixed choices of our MIKEY-TICKET profile for conferencing (docs/profile.md). */
public final class Profile {
    private Profile() {
    }

    /** Ticket type 1 (MIKEY base ticket), subtype 1, version 1. */
    public static final int TICKET_TYPE = 1;
    public static final int TICKET_SUBTYPE = 1;
    public static final int TICKET_VERSION = 1;

    /** D=1 E=1 F=1 G=1 H=1 I=1 J=1 K=0 L=0 M=0 (N=0 O=0). */
    public static final Set<TicketFlag> FLAGS = Set.copyOf(EnumSet.of(TicketFlag.D, TicketFlag.E, TicketFlag.F,
            TicketFlag.G, TicketFlag.H, TicketFlag.I, TicketFlag.J));

    /** Length of every SPI we generate (TGK, MPK key data; GENERIC-ID SPI). */
    public static final int SPI_BYTES = 4;
}
