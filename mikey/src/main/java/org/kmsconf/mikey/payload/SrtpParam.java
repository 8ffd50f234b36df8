package org.kmsconf.mikey.payload;

/**
 * SRTP security policy parameter types (RFC 3830 §6.10.1 Table 6.10.1.a, extended by RFC 4771, RFC 5748 and
 * RFC 7714; the IANA "SRTP policy" registry). Each wire number has exactly one name here, so a parameter can never be
 * written under the wrong type number.
 */
public enum SrtpParam {
    /** 0 NULL, 1 AES-CM, 2 AES-F8, 3 SEED-CTR, 4 SEED-CCM, 5 SEED-GCM, 6 AES-GCM. */
    ENCRYPTION_ALGORITHM(0),
    /** Session encryption key length in bytes (also the master key length). */
    SESSION_ENCR_KEY_LENGTH(1),
    /** 0 NULL, 1 HMAC-SHA-1, 2 RCCm1, 3 RCCm2, 4 RCCm3. */
    AUTHENTICATION_ALGORITHM(2),
    SESSION_AUTH_KEY_LENGTH(3),
    SESSION_SALT_KEY_LENGTH(4),
    /** 0 AES-CM, 1 SEED-CTR. */
    SRTP_PSEUDO_RANDOM_FUNCTION(5),
    KEY_DERIVATION_RATE(6),
    /** 0 off, 1 on. */
    SRTP_ENCRYPTION(7),
    /** 0 off, 1 on. */
    SRTCP_ENCRYPTION(8),
    /** 0 = FEC then SRTP. */
    SENDER_FEC_ORDER(9),
    /** 0 off, 1 on. */
    SRTP_AUTHENTICATION(10),
    AUTHENTICATION_TAG_LENGTH(11),
    SRTP_PREFIX_LENGTH(12),
    /** RFC 4771. */
    ROC_TRANSMISSION_RATE(13),
    SRTP_AUTH_ALGORITHM(14),
    SRTCP_AUTH_ALGORITHM(15),
    SRTP_SESSION_AUTH_KEY_LENGTH(16),
    SRTCP_SESSION_AUTH_KEY_LENGTH(17),
    SRTP_AUTH_TAG_LENGTH(18),
    SRTCP_AUTH_TAG_LENGTH(19),
    /** RFC 7714. */
    AEAD_AUTH_TAG_LENGTH(20);

    /** {@link #values()} clones its array on every call; look-ups on the decode path use this one. */
    private static final SrtpParam[] ALL = values();

    private final int value;

    SrtpParam(int value) {
        this.value = value;
    }

    /** The Type byte of the parameter TLV. */
    public int value() {
        return value;
    }

    /** The parameter for a Type byte, or null if unknown. */
    public static SrtpParam fromValue(int v) {
        return v >= 0 && v < ALL.length && ALL[v].value == v ? ALL[v] : null;
    }
}
