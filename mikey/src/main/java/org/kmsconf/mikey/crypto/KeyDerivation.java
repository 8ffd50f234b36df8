package org.kmsconf.mikey.crypto;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The key derivations of MIKEY (RFC 3830 §4.1.3/§4.1.4) and MIKEY-TICKET (RFC 6043 §6.1, App. A), each as one
 * method named after what it derives. The PRF is the one the caller names: the HDR PRF func for message keys and
 * TEKs, the TP PRF Func for forking and the base ticket (RFC 6043 §6.1).
 */
public final class KeyDerivation {

    /** Which message of an exchange the keys protect (RFC 6043 label byte 0x01 / 0x02). */
    public enum Direction {
        /** REQUEST_INIT, TRANSFER_INIT, RESOLVE_INIT (0x01). */
        INITIAL(Labels.KIND_INITIAL),
        /** REQUEST_RESP, TRANSFER_RESP, RESOLVE_RESP (0x02). */
        RESPONSE(Labels.KIND_RESPONSE);

        private final int labelByte;

        Direction(int labelByte) {
            this.labelByte = labelByte;
        }

        public int labelByte() {
            return labelByte;
        }
    }

    private KeyDerivation() {
    }

    // ---- message protection keys -------------------------------------------------------------------------

    /**
     * RFC 6043 message keys (encr, auth, salt) from a PSK, envelope key, MPKi or MPKr':
     * label {@code const || 0xFF || CSB_ID || 0x01|0x02 || len Ri || Ri || len Rr || Rr}.
     * {@code randRi}/{@code randRr} are RAND values or null when absent.
     */
    public static MessageKeys messageKeys(PrfFunc prf, KeyMaterial inkey, Direction direction, int csbId,
                                          byte[] randRi, byte[] randRr, EncrAlg encrAlg, MacAlg macAlg) {
        return keys(prf, inkey, encrAlg, macAlg,
                c -> label(c, direction, csbId, randRi, randRr));
    }

    /** Only the auth_key of {@link #messageKeys} (for a V payload MAC). */
    public static KeyMaterial authKey(PrfFunc prf, KeyMaterial inkey, Direction direction, int csbId,
                                      byte[] randRi, byte[] randRr, MacAlg macAlg) {
        requireMac(macAlg);
        return derive(prf, inkey, label(Labels.PSK_AUTH, direction, csbId, randRi, randRr), macAlg.keyBytes());
    }

    /** RFC 3830 §4.1.4 message keys from a PSK or envelope key: label {@code const || 0xFF || csb_id || RAND}. */
    public static MessageKeys rfc3830MessageKeys(PrfFunc prf, KeyMaterial psk, int csbId, byte[] rand,
                                                 EncrAlg encrAlg, MacAlg macAlg) {
        return keys(prf, psk, encrAlg, macAlg, c -> Labels.rfc3830Psk(c, csbId, rand));
    }

    // ---- SRTP keys from a TGK -----------------------------------------------------------------------------

    /**
     * RFC 6043: SRTP master key (TEK, 0x2AD01C64) and master salt (0x39A2C14B) of crypto session {@code csId}
     * from a TGK or forked TGK': label {@code const || cs_id || 0xFFFFFFFF || 0x03 || len Ri || Ri || len Rr || Rr},
     * Ri present iff the H flag, Rr iff the G flag (pass null when absent). docs/profile.md: csId is the GENERIC-ID
     * CS ID. The master key and salt lengths are those of the crypto session's negotiated {@code policy}.
     */
    public static SrtpKeys srtpKeys(PrfFunc prf, KeyMaterial tgk, int csId, byte[] randRi, byte[] randRr,
                                    SrtpPolicy policy) {
        byte[][] ks = Prf.deriveAll(prf, tgk.raw(), new byte[][] {Labels.tek(Labels.TEK, csId, randRi, randRr),
            Labels.tek(Labels.SALT, csId, randRi, randRr)},
                new int[] {policy.masterKeyLength(), policy.masterSaltLength()});
        return adoptSrtp(csId, ks[0], ks[1], policy);
    }

    /**
     * RFC 6043 TEK (constant 0x2AD01C64) of crypto session {@code csId} from a TGK or forked TGK', used as a key of
     * its own: label {@code 0x2AD01C64 || cs_id || 0xFFFFFFFF || 0x03 || len Ri || Ri || len Rr || Rr}, Ri present iff
     * the H flag, Rr iff the G flag (null when absent). docs/profile.md (kmsconf extension): K(0xB0), the BFCP TLS
     * PSK, and K(0xE0), the event-package KEK, each as long as the TGK.
     */
    public static KeyMaterial tek(PrfFunc prf, KeyMaterial tgk, int csId, byte[] randRi, byte[] randRr, int bytes) {
        return derive(prf, tgk, Labels.tek(Labels.TEK, csId, randRi, randRr), bytes);
    }

    /** RFC 3830 §4.1.3: TEK and salt from a TGK with label {@code const || cs_id || csb_id || RAND}. */
    public static SrtpKeys rfc3830SrtpKeys(PrfFunc prf, KeyMaterial tgk, int csId, int csbId, byte[] rand,
                                           SrtpPolicy policy) {
        byte[][] ks = Prf.deriveAll(prf, tgk.raw(), new byte[][] {Labels.rfc3830Tgk(Labels.TEK, csId, csbId, rand),
            Labels.rfc3830Tgk(Labels.SALT, csId, csbId, rand)},
                new int[] {policy.masterKeyLength(), policy.masterSaltLength()});
        return adoptSrtp(csId, ks[0], ks[1], policy);
    }

    private static SrtpKeys adoptSrtp(int csId, byte[] key, byte[] salt, SrtpPolicy policy) {
        try {
            return new SrtpKeys(csId, key, salt, policy);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(salt, (byte) 0);
        }
    }

    // ---- RFC 6043 forking, MPK split, base ticket ---------------------------------------------------------

    /** MPKr' = PRF(MPKr, fork label with 0x2B288856, IDRr ID data, RANDRkms); same length as MPKr. */
    public static KeyMaterial forkMpkr(PrfFunc prf, KeyMaterial mpkr, byte[] idrData, byte[] randRkms) {
        return derive(prf, mpkr, Labels.fork(Labels.FORK_MPKR, idrData, randRkms), mpkr.length());
    }

    /** TGK' = PRF(TGK, fork label with 0x1512B54A, IDRr ID data, RANDRkms); same length as TGK. */
    public static KeyMaterial forkTgk(PrfFunc prf, KeyMaterial tgk, byte[] idrData, byte[] randRkms) {
        return derive(prf, tgk, Labels.fork(Labels.FORK_TGK, idrData, randRkms), tgk.length());
    }

    /** MPKi = PRF(MPK, {@code 0x220E99A2 || 0xFF || 0xFFFFFFFF || 0x06 || len RAND || RAND}); RAND of the base ticket. */
    public static KeyMaterial mpki(PrfFunc prf, KeyMaterial mpk, byte[] ticketRand) {
        return derive(prf, mpk, Labels.mpk(Labels.MPKI, ticketRand), mpk.length());
    }

    /** MPKr = PRF(MPK, {@code 0x1F4D675B || 0xFF || 0xFFFFFFFF || 0x06 || len RAND || RAND}). */
    public static KeyMaterial mpkr(PrfFunc prf, KeyMaterial mpk, byte[] ticketRand) {
        return derive(prf, mpk, Labels.mpk(Labels.MPKR, ticketRand), mpk.length());
    }

    /**
     * Base-ticket protection keys from the TPK (RFC 6043 App. A): label
     * {@code const || 0xFF || 0xFFFFFFFF || 0x05 || len RAND || RAND}. The ticket KEMAC uses NULL MAC; the ticket's
     * V uses the auth key, so pass the V payload's MAC algorithm as {@code macAlg}.
     */
    public static MessageKeys ticketKeys(PrfFunc prf, KeyMaterial tpk, byte[] ticketRand, EncrAlg encrAlg,
                                         MacAlg macAlg) {
        return keys(prf, tpk, encrAlg, macAlg, c -> Labels.tpk(c, ticketRand));
    }

    /** Auth key of the Initiator Data Vr MAC: PRF(unforked MPKr, {@code 0x2D22AC75 || 0xFF || 0xFFFFFFFF || 0x04}). */
    public static KeyMaterial vrKey(PrfFunc prf, KeyMaterial mpkr, MacAlg macAlg) {
        requireMac(macAlg);
        return derive(prf, mpkr, Labels.vr(Labels.PSK_AUTH), macAlg.keyBytes());
    }

    // ---------------------------------------------------------------------------------------------------------

    /** encr_key, auth_key and salt_key (as the algorithms need them) from one inkey, labels by constant. */
    private static MessageKeys keys(PrfFunc prf, KeyMaterial inkey, EncrAlg encrAlg, MacAlg macAlg,
                                    IntFunction<byte[]> labelFor) {
        int saltLen = MessageKeys.saltBytes(encrAlg);
        byte[][] labels = {labelFor.apply(Labels.PSK_ENCR), labelFor.apply(Labels.PSK_AUTH),
            labelFor.apply(Labels.PSK_SALT)};
        int[] lens = {encrAlg.keyBytes(), macAlg.keyBytes(), saltLen};
        byte[][] k = Prf.deriveAll(prf, inkey.raw(), labels, lens);
        return new MessageKeys(encrAlg, macAlg, encrAlg == EncrAlg.NULL ? null : KeyMaterial.adopt(k[0]),
                macAlg == MacAlg.NULL ? null : KeyMaterial.adopt(k[1]), saltLen == 0 ? null : KeyMaterial.adopt(k[2]));
    }

    private static byte[] label(int constant, Direction d, int csbId, byte[] ri, byte[] rr) {
        return d == Direction.INITIAL ? Labels.initial(constant, csbId, ri, rr) : Labels.response(constant, csbId, ri, rr);
    }

    private static KeyMaterial derive(PrfFunc prf, KeyMaterial inkey, byte[] label, int len) {
        return KeyMaterial.adopt(Prf.derive(prf, inkey.raw(), label, len));
    }

    private static void requireMac(MacAlg macAlg) {
        if (macAlg == MacAlg.NULL) {
            throw new IllegalArgumentException("a NULL MAC has no key");
        }
    }
}
