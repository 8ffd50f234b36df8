package org.kmsconf.mikey.crypto;

/**
 * Every PRF label of RFC 3830 §4.1.3/§4.1.4 and RFC 6043 §6.1, with the constants named.
 * RAND arguments are the RAND value bytes only (no payload header); {@code null} means "absent" and is encoded
 * as length 0 where the label has a length byte. All integers are big-endian.
 */
public final class Labels {
    // RFC 3830 §4.1.3: keys derived from a TGK (decimals of e in 32-bit chunks).
    /** TEK (SRTP master key). */
    public static final int TEK = 0x2AD01C64;
    /** Authentication key derived from a TGK. */
    public static final int TGK_AUTH = 0x1B5C7973;
    /** Encryption key derived from a TGK. */
    public static final int TGK_ENCR = 0x15798CEF;
    /** Salting key (SRTP master salt) derived from a TGK. */
    public static final int SALT = 0x39A2C14B;

    // RFC 3830 §4.1.4: keys derived from a PSK or envelope key (and, in RFC 6043, from MPKi/MPKr'/TPK).
    /** encr_key. */
    public static final int PSK_ENCR = 0x150533E1;
    /** auth_key. */
    public static final int PSK_AUTH = 0x2D22AC75;
    /** salt_key. */
    public static final int PSK_SALT = 0x29B88916;

    // RFC 6043 §6.1: forking and the base ticket's MPK split.
    /** MPKr' = PRF(MPKr, fork label). */
    public static final int FORK_MPKR = 0x2B288856;
    /** TGK' = PRF(TGK, fork label). */
    public static final int FORK_TGK = 0x1512B54A;
    /** MPKi = PRF(MPK, MPK label). */
    public static final int MPKI = 0x220E99A2;
    /** MPKr = PRF(MPK, MPK label). */
    public static final int MPKR = 0x1F4D675B;

    // RFC 6043 §6.1: the byte after CSB ID (or 0xFFFFFFFF) that tells the label kinds apart.
    public static final int KIND_FORK = 0x00;
    public static final int KIND_INITIAL = 0x01;
    public static final int KIND_RESPONSE = 0x02;
    public static final int KIND_TEK = 0x03;
    public static final int KIND_VR = 0x04;
    public static final int KIND_TPK = 0x05;
    public static final int KIND_MPK = 0x06;

    /** cs_id byte of RFC 3830 §4.1.4 labels ("0xFF"). */
    public static final int NO_CS = 0xFF;
    /** CSB ID field of the RFC 6043 labels that belong to no CSB. */
    public static final int NO_CSB = 0xFFFFFFFF;

    private Labels() {
    }

    /** RFC 3830 §4.1.3: {@code const || cs_id || csb_id || RAND}. */
    public static byte[] rfc3830Tgk(int constant, int csId, int csbId, byte[] rand) {
        byte[] l = new byte[9 + rand.length];
        putInt(l, 0, constant);
        l[4] = (byte) csId;
        putInt(l, 5, csbId);
        System.arraycopy(rand, 0, l, 9, rand.length);
        return l;
    }

    /** RFC 3830 §4.1.4: {@code const || 0xFF || csb_id || RAND}. */
    public static byte[] rfc3830Psk(int constant, int csbId, byte[] rand) {
        return rfc3830Tgk(constant, NO_CS, csbId, rand);
    }

    /** RFC 6043 initial messages: {@code const || 0xFF || csb_id || 0x01 || len Ri || Ri || len Rr || Rr}. */
    public static byte[] initial(int constant, int csbId, byte[] randRi, byte[] randRr) {
        return messageLabel(constant, NO_CS, csbId, KIND_INITIAL, randRi, randRr);
    }

    /** RFC 6043 response messages: as {@link #initial} with 0x02. */
    public static byte[] response(int constant, int csbId, byte[] randRi, byte[] randRr) {
        return messageLabel(constant, NO_CS, csbId, KIND_RESPONSE, randRi, randRr);
    }

    /** RFC 6043 TGK/GTGK -> TEK etc.: {@code const || cs_id || 0xFFFFFFFF || 0x03 || len Ri || Ri || len Rr || Rr}. */
    public static byte[] tek(int constant, int csId, byte[] randRi, byte[] randRr) {
        return messageLabel(constant, csId, NO_CSB, KIND_TEK, randRi, randRr);
    }

    /**
     * RFC 6043 forking of MPKr or TGK:
     * {@code const || 0xFF || 0xFFFFFFFF || 0x00 || len ID (16 bit) || ID data || len RANDRkms || RANDRkms}.
     */
    public static byte[] fork(int constant, byte[] idData, byte[] randRkms) {
        if (idData.length > 0xFFFF) {
            throw new IllegalArgumentException("ID data longer than 65535 bytes");
        }
        int rl = randLength(randRkms);
        byte[] l = new byte[4 + 1 + 4 + 1 + 2 + idData.length + 1 + rl];
        int p = head(l, constant, NO_CS, NO_CSB, KIND_FORK);
        l[p++] = (byte) (idData.length >>> 8);
        l[p++] = (byte) idData.length;
        System.arraycopy(idData, 0, l, p, idData.length);
        p += idData.length;
        l[p++] = (byte) rl;
        if (rl > 0) {
            System.arraycopy(randRkms, 0, l, p, rl);
        }
        return l;
    }

    /** RFC 6043 Initiator Data Vr key: {@code const || 0xFF || 0xFFFFFFFF || 0x04}. */
    public static byte[] vr(int constant) {
        byte[] l = new byte[10];
        head(l, constant, NO_CS, NO_CSB, KIND_VR);
        return l;
    }

    /** RFC 6043 App. A base ticket keys from the TPK: {@code const || 0xFF || 0xFFFFFFFF || 0x05 || len RAND || RAND}. */
    public static byte[] tpk(int constant, byte[] rand) {
        return randLabel(constant, KIND_TPK, rand);
    }

    /** RFC 6043 App. A MPKi/MPKr from MPK: {@code const || 0xFF || 0xFFFFFFFF || 0x06 || len RAND || RAND}. */
    public static byte[] mpk(int constant, byte[] rand) {
        return randLabel(constant, KIND_MPK, rand);
    }

    private static byte[] randLabel(int constant, int kind, byte[] rand) {
        int rl = randLength(rand);
        byte[] l = new byte[11 + rl];
        int p = head(l, constant, NO_CS, NO_CSB, kind);
        l[p++] = (byte) rl;
        if (rl > 0) {
            System.arraycopy(rand, 0, l, p, rl);
        }
        return l;
    }

    private static byte[] messageLabel(int constant, int csId, int csb, int kind, byte[] ri, byte[] rr) {
        int li = randLength(ri);
        int lr = randLength(rr);
        byte[] l = new byte[10 + 1 + li + 1 + lr];
        int p = head(l, constant, csId, csb, kind);
        l[p++] = (byte) li;
        if (li > 0) {
            System.arraycopy(ri, 0, l, p, li);
            p += li;
        }
        l[p++] = (byte) lr;
        if (lr > 0) {
            System.arraycopy(rr, 0, l, p, lr);
        }
        return l;
    }

    private static int head(byte[] l, int constant, int csId, int csb, int kind) {
        putInt(l, 0, constant);
        l[4] = (byte) csId;
        putInt(l, 5, csb);
        l[9] = (byte) kind;
        return 10;
    }

    /** RAND lengths in RFC 6043 labels are one byte. */
    private static int randLength(byte[] rand) {
        if (rand == null) {
            return 0;
        }
        if (rand.length > 0xFF) {
            throw new IllegalArgumentException("RAND longer than 255 bytes");
        }
        return rand.length;
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
