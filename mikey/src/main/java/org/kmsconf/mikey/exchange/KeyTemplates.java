package org.kmsconf.mikey.exchange;

import java.util.List;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.KeyValidity;
import org.kmsconf.mikey.payload.TicketPolicy;

/**
 * The keys a ticket request asks for. RFC 6043 §6.10 (TP payload): a request's TP may carry a KEMAC with NULL
 * encryption and NULL MAC whose Key data sub-payloads are <em>templates</em>, key bytes zeroed, giving the number,
 * type, length and KV of the keys wanted; the KMS fills them with fresh keys (the granted TP carries no KEMAC). A
 * TP without KEMAC asks for the default: one TGK of the algorithm set's key length (RFC 6043 §5.1).
 *
 * <p>What this KMS honours, and why (every other template is refused with 15 Invalid TPpar, the RFC's error for TP
 * parameters a KMS does not support): exactly one TGK or TGK+SALT (the ticket carries MPK + one TGK; TEKs and GTGKs
 * are not forked, i.e. group keys, which the conferencing profile excludes; an MPK is always the KMS's own); key length
 * 16 or 32 bytes and not longer than the algorithm set's keys (RFC 6043 §6.2: keys above 128 bits need the 256-bit
 * set); a salt of 8 to 64 bytes; KV Null or SPI (an SPI given is kept, an empty or absent one is filled with a fresh
 * 4-byte SPI, since every key carries one); key and salt bytes all zero (a requester does not choose key material).
 */
record KeyTemplates(KeyDataType tgkType, int tgkBytes, int saltBytes, byte[] tgkSpi) {
    static final int MIN_SALT = 8;
    static final int MAX_SALT = 64;

    /** The keys asked for by {@code tp}'s KEMAC, or the default when it has none. */
    static KeyTemplates of(TicketPolicy tp, AlgorithmSet set) {
        Kemac kemac = tp.first(Kemac.class).orElse(null);
        if (kemac == null) {
            return new KeyTemplates(KeyDataType.TGK, set.keyBytes(), 0, null);
        }
        if (tp.all(Kemac.class).size() > 1) {
            throw unsupported("more than one KEMAC in the TP");
        }
        if (kemac.encrAlg() != EncrAlg.NULL || kemac.macAlg() != MacAlg.NULL) {
            throw unsupported("a template KEMAC uses NULL encryption and NULL MAC (RFC 6043 §6.10), not "
                    + kemac.encrAlg() + "/" + kemac.macAlg());
        }
        List<KeyData> templates;
        try {
            templates = KeyData.decodeChain(kemac.encrData());
        } catch (MikeyException e) {
            throw unsupported("template Key data do not decode: " + e.getMessage());
        }
        try {
            if (templates.size() != 1) {
                throw unsupported(templates.size() + " key templates: this KMS issues exactly one TGK per ticket");
            }
            KeyData t = templates.get(0);
            if (t.keyType() != KeyDataType.TGK && t.keyType() != KeyDataType.TGK_SALT) {
                throw unsupported(t.keyType() + " template: only TGK or TGK+SALT (TEK and GTGK would be group keys;"
                        + " the MPK is the KMS's)");
            }
            byte[] key = t.key();
            byte[] salt = t.salt();
            try {
                if (!allZero(key) || (salt != null && !allZero(salt))) {
                    throw unsupported("template key or salt bytes are not zero");
                }
                if (key.length != 16 && key.length != 32) {
                    throw unsupported("TGK of " + key.length + " bytes: 16 or 32 only");
                }
                if (key.length > set.keyBytes()) {
                    throw unsupported("a " + (key.length * 8) + "-bit TGK needs the 256-bit algorithm set"
                            + " (RFC 6043 §6.2)");
                }
                if (salt != null && (salt.length < MIN_SALT || salt.length > MAX_SALT)) {
                    throw unsupported("salt of " + salt.length + " bytes: " + MIN_SALT + " to " + MAX_SALT);
                }
                byte[] spi;
                if (t.validity() instanceof KeyValidity.Spi s) {
                    spi = s.spi().length == 0 ? null : s.spi();
                } else if (t.validity() instanceof KeyValidity.Null) {
                    spi = null;
                } else {
                    throw unsupported("KV " + t.validity() + ": only Null or SPI");
                }
                return new KeyTemplates(t.keyType(), key.length, salt == null ? 0 : salt.length, spi);
            } finally {
                java.util.Arrays.fill(key, (byte) 0);
            }
        } finally {
            templates.forEach(KeyData::destroy);
        }
    }

    boolean hasSalt() {
        return tgkType.hasSalt();
    }

    private static boolean allZero(byte[] b) {
        int x = 0;
        for (byte v : b) {
            x |= v;
        }
        return x == 0;
    }

    private static MikeyException unsupported(String why) {
        return KmsRefusal.TEMPLATE_UNSUPPORTED.refuse("KEMAC template refused: " + why);
    }
}
