package org.kmsconf.mikey.exchange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.payload.Tr;
import org.kmsconf.mikey.payload.TrRole;
import org.kmsconf.mikey.payload.TsType;

/** What the KMS reads from a ticket policy, when it issues a ticket and when it resolves one. */
final class KmsTicketPolicy {
    private KmsTicketPolicy() {
    }

    /** Only the MIKEY base ticket, type/subtype/version 1/1/1 (RFC 6043 App. A). */
    static void checkType(TicketPolicy tp) {
        if (tp.ticketType() != Profile.TICKET_TYPE || tp.subtype() != Profile.TICKET_SUBTYPE
                || tp.version() != Profile.TICKET_VERSION) {
            throw KmsRefusal.TICKET_TYPE.refuse("ticket type " + tp.ticketType() + "/" + tp.subtype() + "/"
                    + tp.version() + " not supported (MIKEY base ticket 1/1/1 only)");
        }
    }

    /** The time of the policy's TR of this role (TRs, TRe), if any; an NTP time, never a counter. */
    static Optional<Instant> time(TicketPolicy tp, TrRole role) {
        for (Tr x : tp.all(Tr.class)) {
            if (x.role() == role) {
                if (x.tsType() == TsType.COUNTER) {
                    throw KmsRefusal.TR_UNSUPPORTED.refuse(role + " must be an NTP time");
                }
                return Optional.of(x.toInstant());
            }
        }
        return Optional.empty();
    }

    /** The identities as text, in order. */
    static List<String> uris(List<Idr> idrs) {
        List<String> out = new ArrayList<>(idrs.size());
        for (Idr i : idrs) {
            out.add(i.asString());
        }
        return List.copyOf(out);
    }
}
