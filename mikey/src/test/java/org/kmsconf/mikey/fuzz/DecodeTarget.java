package org.kmsconf.mikey.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.print.MikeyPrinter;
import org.kmsconf.mikey.ticket.BaseTicket;
import org.kmsconf.mikey.ticket.InitiatorData;

/**
 * Everything a receiver decodes from untrusted bytes: the message, and inside it the base ticket, the Initiator
 * Data and every NULL-encrypted Key data chain (the parts a KMS or responder parses after decryption), and the
 * printer of {@code kmsconf mikey decode} over the same bytes. The contract
 * under test: each step either succeeds or throws {@link MikeyException}; anything else escapes as a bug. A
 * successful decode must re-encode to exactly the input (the codec promises {@code encode(decode(b)) == b}).
 */
final class DecodeTarget {
    private DecodeTarget() {
    }

    /** Decodes all layers and prints; returns how many layers decoded. Throws only MikeyException or AssertionError. */
    static int decodeEverything(byte[] input) {
        int layers = decodeLayers(input);
        // what `kmsconf mikey decode` shows of the same bytes: the printer decodes every layer again, on its own
        if (MikeyPrinter.text(input).isEmpty() || MikeyPrinter.json(input).isEmpty()) {
            throw new AssertionError("empty printout");
        }
        return layers;
    }

    /** Decodes all layers (no printing); returns how many layers decoded. */
    static int decodeLayers(byte[] input) {
        MikeyMessage m = MikeyCodec.decode(input);
        byte[] again = MikeyCodec.encode(m);
        if (!Arrays.equals(again, input)) {
            throw new AssertionError("re-encoding differs from the decoded input\n in:  "
                    + HexFormat.of().formatHex(input) + "\n out: " + HexFormat.of().formatHex(again));
        }
        int layers = 1;
        List<Payload> all = new ArrayList<>(m.payloads());
        for (TicketPolicy tp : m.all(TicketPolicy.class)) {
            all.addAll(tp.tpData());
        }
        for (Payload p : all) {
            layers += nested(p);
        }
        return layers;
    }

    private static int nested(Payload p) {
        int layers = 0;
        if (p instanceof TicketPayload t) {
            all(t.policy().tpData());
            layers += attempt(() -> {
                BaseTicket bt = BaseTicket.decode(t.ticketData());
                check(bt.encode(), t.ticketData(), "base ticket");
                nested(bt.kemac());
            });
            if (t.initiatorData().length > 0) {
                layers += attempt(() -> {
                    InitiatorData id = InitiatorData.decode(t.initiatorData());
                    check(id.encode(), t.initiatorData(), "Initiator Data");
                });
            }
        } else if (p instanceof Kemac k && k.encrAlg() == EncrAlg.NULL) {
            layers += attempt(() -> {
                List<KeyData> keys = KeyData.decodeChain(k.encrData());
                check(KeyData.encodeChain(keys), k.encrData(), "Key data chain");
            });
        }
        return layers;
    }

    private static void all(List<Payload> tpData) {
        for (Payload p : tpData) {
            nested(p);
        }
    }

    private static int attempt(Runnable r) {
        try {
            r.run();
            return 1;
        } catch (MikeyException expected) {
            return 0;
        }
    }

    private static void check(byte[] again, byte[] input, String what) {
        if (!Arrays.equals(again, input)) {
            throw new AssertionError(what + ": re-encoding differs from the decoded input\n in:  "
                    + HexFormat.of().formatHex(input) + "\n out: " + HexFormat.of().formatHex(again));
        }
    }
}
