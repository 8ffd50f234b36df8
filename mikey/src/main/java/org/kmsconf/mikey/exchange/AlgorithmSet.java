package org.kmsconf.mikey.exchange;

import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.crypto.SrtpPolicy;

/**
 * The two algorithm sets of our profile (RFC 6043 §6.2: the 256-bit set must not be mixed with 128-bit algorithms).
 * Key lengths apply to MPK, TGK, TPK and the SRTP master key; RAND lengths satisfy RFC 6043's entropy rules
 * (len RANDRi + len RANDRr, len RANDRkms and the ticket RAND each at least the longest key they protect).
 */
public enum AlgorithmSet {
    /** PRF MIKEY-1, AES-CM-128, HMAC-SHA-1-160, 128-bit keys, AES_CM_128_HMAC_SHA1_80 SRTP. */
    SET_128(PrfFunc.MIKEY_1, EncrAlg.AES_CM_128, MacAlg.HMAC_SHA_1_160, 16),
    /** PRF-HMAC-SHA-256, AES-CM-256, HMAC-SHA-256-256, 256-bit keys, AES-256-CM SRTP. */
    SET_256(PrfFunc.HMAC_SHA_256, EncrAlg.AES_CM_256, MacAlg.HMAC_SHA_256_256, 32);

    private final PrfFunc prf;
    private final EncrAlg encrAlg;
    private final MacAlg macAlg;
    private final int keyBytes;

    AlgorithmSet(PrfFunc prf, EncrAlg encrAlg, MacAlg macAlg, int keyBytes) {
        this.prf = prf;
        this.encrAlg = encrAlg;
        this.macAlg = macAlg;
        this.keyBytes = keyBytes;
    }

    public PrfFunc prf() {
        return prf;
    }

    public EncrAlg encrAlg() {
        return encrAlg;
    }

    public MacAlg macAlg() {
        return macAlg;
    }

    /** Length of MPK, TGK, TPK and of the SRTP master key. */
    public int keyBytes() {
        return keyBytes;
    }

    /** Length of every RAND / RANDR value we send. */
    public int randBytes() {
        return keyBytes;
    }

    /** The SRTP policy offered with this set unless the initiator chooses another. */
    public SrtpPolicy defaultSrtpPolicy() {
        return this == SET_128 ? SrtpPolicy.AES_CM_128_HMAC_SHA1_80 : SrtpPolicy.AES_256_CM_HMAC_SHA1_80;
    }

    /**
     * Whether an SRTP policy may be keyed under this set: its master key is at most as long as the set's keys
     * (RFC 6043 §6.2: with session keys longer than 128 bits, the 128-bit algorithms SHALL NOT be used).
     */
    public boolean allows(SrtpPolicy policy) {
        return policy.masterKeyLength() <= keyBytes;
    }

    /** The set a message's PRF func belongs to. */
    public static AlgorithmSet forPrf(PrfFunc prf) {
        return prf == PrfFunc.HMAC_SHA_256 ? SET_256 : SET_128;
    }
}
