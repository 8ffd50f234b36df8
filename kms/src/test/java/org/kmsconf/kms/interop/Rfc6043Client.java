package org.kmsconf.kms.interop;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent RFC 6043 client, written from the RFCs' wire layouts (RFC 3830 §6, RFC 6043 §6 and App. A) and
 * sharing no code with the mikey module: it builds REQUEST_INIT_PSK and RESOLVE_INIT_PSK byte by byte, computes the
 * PRF (RFC 3830 §4.1.2) and MACs with javax.crypto, and checks the KMS's answers the same way (V over the answer and
 * the whole request, KEMAC in AES counter mode, RFC 3830 §4.2.3). It deliberately uses what RFC 6043 allows and our
 * own clients never send: no IDRpsk (the KMS must find the key from IDRi / IDRr), and KEMAC key-data templates in
 * the TP (RFC 6043 §6.10).
 */
final class Rfc6043Client {
    // data types (RFC 6043 §6.1) and payload types (RFC 3830 §6.1, RFC 6043 §6)
    static final int REQUEST_INIT_PSK = 11;
    static final int REQUEST_RESP = 13;
    static final int RESOLVE_INIT_PSK = 16;
    static final int RESOLVE_RESP = 18;
    static final int ERROR = 6;
    static final int P_LAST = 0;
    static final int P_KEMAC = 1;
    static final int P_T = 5;
    static final int P_V = 9;
    static final int P_ERR = 12;
    static final int P_IDR = 14;
    static final int P_RANDR = 15;
    static final int P_TP = 16;
    static final int P_TICKET = 17;
    static final int KEY_DATA = 20;
    // key data types (RFC 3830 §6.13, RFC 6043)
    static final int TGK = 0;
    static final int TGK_SALT = 1;
    static final int TEK = 2;
    static final int MPK = 6;
    // PRF constants (RFC 3830 §4.1.4) and forking constants (RFC 6043 §6.1)
    static final int C_ENCR = 0x150533E1;
    static final int C_AUTH = 0x2D22AC75;
    static final int C_SALT = 0x29B88916;
    static final int C_FORK_MPKR = 0x2B288856;
    static final int C_FORK_TGK = 0x1512B54A;

    /** One key template: type, key length, salt length (0 unless a +SALT type), SPI (null: KV Null). */
    record Template(int type, int keyLen, int saltLen, byte[] spi) {
    }

    /** A decoded Key data sub-payload. */
    record Key(int type, byte[] key, byte[] salt, byte[] spi) {
    }

    /** PRF func 0 (MIKEY-1: HMAC-SHA-1, 128-bit algorithms) or 1 (HMAC-SHA-256, 256-bit algorithms). */
    final int prf;
    final byte[] psk;
    final SecureRandom random = new SecureRandom();

    Rfc6043Client(int prf, byte[] psk) {
        this.prf = prf;
        this.psk = psk.clone();
    }

    int keyLen() {
        return prf == 0 ? 16 : 32;
    }

    int macLen() {
        return prf == 0 ? 20 : 32;
    }

    String hmacName() {
        return prf == 0 ? "HmacSHA1" : "HmacSHA256";
    }

    // ---- the messages --------------------------------------------------------------------------------------------

    /** What was sent, and what is needed to check the answer. */
    record Sent(byte[] bytes, int csbId, byte[] ri, byte[] rr) {
    }

    /**
     * REQUEST_INIT_PSK = HDR, T, RANDRi, IDRi, IDRkms, TP, V (no IDRpsk). TP: MIKEY base ticket 1/1/1, PRF, flags
     * D E F G H I J, TP Data = IDRkms, IDRi, [KEMAC templates], IDRr.
     */
    Sent requestInit(String idri, String idrkms, String idrr, List<Template> templates) {
        int csb = random.nextInt();
        byte[] ri = rand(keyLen());
        ByteArrayOutputStream tpData = new ByteArrayOutputStream();
        List<byte[]> chain = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        chain.add(idrBody(3, 1, idrkms));
        types.add(P_IDR);
        chain.add(idrBody(1, 1, idri));
        types.add(P_IDR);
        if (!templates.isEmpty()) {
            chain.add(templateKemacBody(templates));
            types.add(P_KEMAC);
        }
        chain.add(idrBody(2, 1, idrr));
        types.add(P_IDR);
        tpData.write(types.get(0)); // TP Data: first payload type, then the chain (RFC 6043 §6.10)
        for (int i = 0; i < chain.size(); i++) {
            tpData.write(i + 1 < chain.size() ? types.get(i + 1) : P_LAST);
            tpData.writeBytes(chain.get(i));
        }
        ByteArrayOutputStream tp = new ByteArrayOutputStream();
        tp.writeBytes(new byte[] {0, 1, 1, 1}); // ticket type 1, subtype 1, version 1
        tp.write((prf << 1) | 1); // PRF func (7 bits) | D
        tp.write(0x80 | 0x40 | 0x20 | 0x10 | 0x08 | 0x04); // E F G H I J, K = L = 0
        tp.write(0); // M N O = 0, reserved
        tp.writeBytes(u16(tpData.size()));
        tp.writeBytes(tpData.toByteArray());

        List<Object[]> payloads = List.of(
                new Object[] {P_T, ntpTimestampBody()},
                new Object[] {P_RANDR, cat(new byte[] {1, (byte) ri.length}, ri)}, // role RANDRi
                new Object[] {P_IDR, idrBody(1, 1, idri)},
                new Object[] {P_IDR, idrBody(3, 1, idrkms)},
                new Object[] {P_TP, tp.toByteArray()});
        byte[] authKey = prf(psk, label(C_AUTH, csb, 1, ri, null), macLen());
        byte[] msg = signed(REQUEST_INIT_PSK, csb, payloads, authKey, utf8(idri), utf8(idrkms));
        return new Sent(msg, csb, ri, null);
    }

    /** RESOLVE_INIT_PSK = HDR, T, RANDRr, IDRr, IDRkms, TICKET, V (no IDRpsk). */
    Sent resolveInit(String idrr, String idrkms, byte[] ticketPayloadBody) {
        int csb = random.nextInt();
        byte[] rr = rand(keyLen());
        List<Object[]> payloads = List.of(
                new Object[] {P_T, ntpTimestampBody()},
                new Object[] {P_RANDR, cat(new byte[] {2, (byte) rr.length}, rr)}, // role RANDRr
                new Object[] {P_IDR, idrBody(2, 1, idrr)},
                new Object[] {P_IDR, idrBody(3, 1, idrkms)},
                new Object[] {P_TICKET, ticketPayloadBody});
        byte[] authKey = prf(psk, label(C_AUTH, csb, 1, null, rr), macLen());
        byte[] msg = signed(RESOLVE_INIT_PSK, csb, payloads, authKey, utf8(idrr), utf8(idrkms));
        return new Sent(msg, csb, null, rr);
    }

    /** The error number of an Error message (data type 6), or -1 when {@code answer} is no error message. */
    static int errorNumber(byte[] answer) {
        if (answer.length < 10 || answer[1] != ERROR) {
            return -1;
        }
        for (Object[] p : walk(answer)) {
            if ((int) p[0] == P_ERR) {
                return ((byte[]) p[1])[1] & 0xff;
            }
        }
        return -1;
    }

    /** A checked answer: its payload bodies by type, and the keys of its KEMAC. */
    record Answer(List<Object[]> payloads, List<Key> keys) {
        byte[] body(int type) {
            for (Object[] p : payloads) {
                if ((int) p[0] == type) {
                    return (byte[]) p[1];
                }
            }
            throw new AssertionError("no payload of type " + type);
        }
    }

    /**
     * Checks a REQUEST_RESP / RESOLVE_RESP: data type, CSB ID, V = MAC over the answer without its MAC followed by the
     * whole initial message (RFC 6043 Table 5.2), keyed with label 0x02; then decrypts the KEMAC (NULL MAC) with the
     * response encryption and salt keys, IV from the answer's CSB ID and T (RFC 3830 §4.2.3).
     */
    Answer check(Sent sent, byte[] answer, int expectedType) {
        if (answer[1] != expectedType) {
            throw new AssertionError("expected data type " + expectedType + ", got " + answer[1]
                    + (answer[1] == ERROR ? " (error " + errorNumber(answer) + ")" : ""));
        }
        int csb = ByteBuffer.wrap(answer, 4, 4).getInt();
        if (csb != sent.csbId) {
            throw new AssertionError("CSB ID not echoed");
        }
        byte[] respAuth = prf(psk, label(C_AUTH, csb, 2, sent.ri, sent.rr), macLen());
        byte[] mac = Arrays.copyOfRange(answer, answer.length - macLen(), answer.length);
        byte[] expect = hmac(respAuth, Arrays.copyOf(answer, answer.length - macLen()), sent.bytes);
        if (!MessageDigest.isEqual(mac, expect)) {
            throw new AssertionError("V of the answer does not verify");
        }
        List<Object[]> payloads = walk(answer);
        byte[] t = null;
        byte[] kemac = null;
        for (Object[] p : payloads) {
            if ((int) p[0] == P_T) {
                t = Arrays.copyOfRange((byte[]) p[1], 2, 10); // next, TS type 0 (NTP-UTC), 64-bit value
            } else if ((int) p[0] == P_KEMAC) {
                kemac = (byte[]) p[1];
            }
        }
        byte[] encrKey = prf(psk, label(C_ENCR, csb, 2, sent.ri, sent.rr), keyLen());
        byte[] saltKey = prf(psk, label(C_SALT, csb, 2, sent.ri, sent.rr), 14);
        int encrAlg = kemac[1] & 0xff; // 1 AES-CM-128, 3 AES-CM-256
        if (encrAlg != (prf == 0 ? 1 : 3)) {
            throw new AssertionError("KEMAC encryption algorithm " + encrAlg);
        }
        int len = ((kemac[2] & 0xff) << 8) | (kemac[3] & 0xff);
        byte[] plain = aesCm(encrKey, saltKey, csb, t, Arrays.copyOfRange(kemac, 4, 4 + len));
        if ((kemac[4 + len] & 0xff) != 0 || kemac.length != 5 + len) {
            throw new AssertionError("KEMAC MAC algorithm is not NULL");
        }
        return new Answer(payloads, keyData(plain));
    }

    // ---- the ticket's Initiator Data (RFC 6043 §6.10): Vi (a copy of a TRANSFER_INIT V), Vr keyed from MPKr ----

    /**
     * The TICKET payload body with Initiator Data = first payload 9, Vi (next 9), Vr (next 0); Vr's MAC over the whole
     * Initiator Data except that MAC, keyed PRF(MPKr, C_AUTH || 0xFF || 0xFFFFFFFF || 0x04).
     */
    byte[] withInitiatorData(byte[] ticketBody, byte[] mpkr) {
        // TICKET body = next(1) | TP fields(7) | TP data len(2) | TP data | ticket data len(2) | data | init len(2) | data
        int tpLen = ((ticketBody[8] & 0xff) << 8) | (ticketBody[9] & 0xff);
        int at = 10 + tpLen;
        int tdLen = ((ticketBody[at] & 0xff) << 8) | (ticketBody[at + 1] & 0xff);
        at += 2 + tdLen;
        byte[] head = Arrays.copyOf(ticketBody, at);
        byte[] vi = rand(macLen());
        ByteArrayOutputStream id = new ByteArrayOutputStream();
        id.write(P_V);
        id.write(P_V);
        id.write(prf == 0 ? 1 : 2);
        id.writeBytes(vi);
        id.write(P_LAST);
        id.write(prf == 0 ? 1 : 2);
        byte[] vrKey = prf(mpkr, cat(be32(C_AUTH), new byte[] {(byte) 0xFF}, be32(0xFFFFFFFF), new byte[] {4}),
                macLen());
        byte[] vr = hmac(vrKey, id.toByteArray());
        id.writeBytes(vr);
        return cat(head, u16(id.size()), id.toByteArray());
    }

    /** Key forking (RFC 6043 §6.1): PRF(key, c || 0xFF || 0xFFFFFFFF || 0x00 || len16 || ID || lenR || RANDRkms). */
    byte[] fork(int constant, byte[] key, byte[] idData, byte[] randRkms) {
        byte[] l = cat(be32(constant), new byte[] {(byte) 0xFF}, be32(0xFFFFFFFF), new byte[] {0}, u16(idData.length),
                idData, new byte[] {(byte) randRkms.length}, randRkms);
        return prf(key, l, key.length);
    }

    // ---- wire helpers --------------------------------------------------------------------------------------------

    private byte[] signed(int dataType, int csb, List<Object[]> payloads, byte[] authKey, byte[]... trailing) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        // HDR (RFC 3830 §6.1): version 1, data type, next payload, V=1 | PRF, CSB ID, #CS 0, map type 1 (Empty)
        m.write(1);
        m.write(dataType);
        m.write((int) payloads.get(0)[0]);
        m.write(0x80 | prf);
        m.writeBytes(be32(csb));
        m.write(0);
        m.write(1);
        for (int i = 0; i < payloads.size(); i++) {
            m.write(i + 1 < payloads.size() ? (int) payloads.get(i + 1)[0] : P_V);
            m.writeBytes((byte[]) payloads.get(i)[1]);
        }
        m.write(P_LAST); // V: next payload 0, auth alg, MAC
        m.write(prf == 0 ? 1 : 2);
        byte[] withoutMac = m.toByteArray();
        byte[][] parts = new byte[trailing.length + 1][];
        parts[0] = withoutMac;
        System.arraycopy(trailing, 0, parts, 1, trailing.length);
        return cat(withoutMac, hmac(authKey, parts));
    }

    /** IDR body without its next byte: role, ID type (1 URI), length, data. */
    static byte[] idrBody(int role, int type, String id) {
        byte[] d = utf8(id);
        return cat(new byte[] {(byte) role, (byte) type}, u16(d.length), d);
    }

    /** KEMAC body: NULL encryption, the templates' Key data chain in clear, NULL MAC (no MAC bytes). */
    static byte[] templateKemacBody(List<Template> templates) {
        ByteArrayOutputStream kd = new ByteArrayOutputStream();
        for (int i = 0; i < templates.size(); i++) {
            Template t = templates.get(i);
            kd.write(i + 1 < templates.size() ? KEY_DATA : P_LAST);
            kd.write((t.type << 4) | (t.spi == null ? 0 : 1));
            kd.writeBytes(u16(t.keyLen));
            kd.writeBytes(new byte[t.keyLen]); // zeroed key bytes
            if (t.saltLen > 0) {
                kd.writeBytes(u16(t.saltLen));
                kd.writeBytes(new byte[t.saltLen]);
            }
            if (t.spi != null) {
                kd.write(t.spi.length);
                kd.writeBytes(t.spi);
            }
        }
        return cat(new byte[] {0}, u16(kd.size()), kd.toByteArray(), new byte[] {0});
    }

    private static byte[] ntpTimestampBody() {
        long ms = System.currentTimeMillis();
        long sec = ms / 1000 + 2_208_988_800L;
        long frac = ((ms % 1000) << 32) / 1000;
        return cat(new byte[] {0}, ByteBuffer.allocate(8).putLong((sec << 32) | frac).array());
    }

    /** Payloads of a message as (type, body without the next byte); only the types these exchanges carry. */
    static List<Object[]> walk(byte[] m) {
        List<Object[]> out = new ArrayList<>();
        int next = m[2] & 0xff;
        int at = 10; // HDR with #CS 0 and the Empty map
        while (next != P_LAST) {
            int type = next;
            int start = at;
            next = m[at] & 0xff;
            int len = switch (type) {
                case P_T -> 2 + ((m[at + 1] & 0xff) == 2 ? 4 : 8);
                case P_IDR -> 5 + u16(m, at + 3);
                case P_RANDR -> 3 + (m[at + 2] & 0xff);
                case P_KEMAC -> {
                    int l = 4 + u16(m, at + 2);
                    int macAlg = m[at + l] & 0xff;
                    yield l + 1 + (macAlg == 0 ? 0 : macAlg == 1 ? 20 : 32);
                }
                case P_ERR -> 4;
                case P_V -> 2 + (m[at + 1] == 1 ? 20 : 32);
                case P_TICKET -> {
                    int l = 10 + u16(m, at + 8);
                    l += 2 + u16(m, at + l);
                    l += 2 + u16(m, at + l);
                    yield l;
                }
                default -> throw new AssertionError("payload type " + type + " not expected here");
            };
            out.add(new Object[] {type, Arrays.copyOfRange(m, start, start + len)});
            at += len;
            if (type == P_V) {
                break;
            }
        }
        if (at != m.length) {
            throw new AssertionError("trailing bytes after the V payload");
        }
        return out;
    }

    static List<Key> keyData(byte[] plain) {
        List<Key> out = new ArrayList<>();
        int at = 0;
        while (at < plain.length) {
            int next = plain[at] & 0xff;
            int type = (plain[at + 1] & 0xff) >>> 4;
            int kv = plain[at + 1] & 0x0f;
            int kl = u16(plain, at + 2);
            byte[] key = Arrays.copyOfRange(plain, at + 4, at + 4 + kl);
            at += 4 + kl;
            byte[] salt = null;
            if (type == TGK_SALT || type == 3 || type == 5) {
                int sl = u16(plain, at);
                salt = Arrays.copyOfRange(plain, at + 2, at + 2 + sl);
                at += 2 + sl;
            }
            byte[] spi = null;
            if (kv == 1) {
                int n = plain[at] & 0xff;
                spi = Arrays.copyOfRange(plain, at + 1, at + 1 + n);
                at += 1 + n;
            }
            out.add(new Key(type, key, salt, spi));
            if (next == P_LAST) {
                break;
            }
        }
        return out;
    }

    // ---- crypto from RFC 3830 §4.1.2 (PRF) and §4.2.3 (AES-CM) ---------------------------------------------------

    /**
     * Label for message keys (RFC 6043 §6.1): constant || 0xFF || CSB ID || 0x01 (initial) / 0x02 (response) ||
     * len(RANDRi) || RANDRi || len(RANDRr) || RANDRr, an absent RAND having length 0.
     */
    static byte[] label(int constant, int csb, int direction, byte[] ri, byte[] rr) {
        byte[] r1 = ri == null ? new byte[0] : ri;
        byte[] r2 = rr == null ? new byte[0] : rr;
        return cat(be32(constant), new byte[] {(byte) 0xFF}, be32(csb), new byte[] {(byte) direction,
            (byte) r1.length}, r1, new byte[] {(byte) r2.length}, r2);
    }

    /** PRF(inkey, label) of RFC 3830 §4.1.2 with HMAC-SHA-1 (160-bit blocks) or HMAC-SHA-256 (256-bit blocks). */
    byte[] prf(byte[] inkey, byte[] label, int outLen) {
        int block = prf == 0 ? 20 : 32;
        int m = (outLen + block - 1) / block;
        byte[] out = new byte[m * block];
        for (int off = 0; off < inkey.length; off += 32) {
            byte[] s = Arrays.copyOfRange(inkey, off, Math.min(inkey.length, off + 32));
            byte[] a = label;
            for (int i = 0; i < m; i++) {
                a = hmac(s, a); // A_i = HMAC(s, A_{i-1}), A_0 = label
                byte[] p = hmac(s, a, label);
                for (int j = 0; j < block; j++) {
                    out[i * block + j] ^= p[j];
                }
            }
        }
        return Arrays.copyOf(out, outLen);
    }

    byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(hmacName());
            mac.init(new SecretKeySpec(key, hmacName()));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** AES in counter mode, IV = (salt XOR (0x0000 || CSB ID || T)) || 0x0000 (RFC 3830 §4.2.3). */
    static byte[] aesCm(byte[] key, byte[] salt14, int csb, byte[] t64, byte[] data) {
        byte[] iv = new byte[16];
        System.arraycopy(salt14, 0, iv, 0, 14);
        byte[] x = cat(new byte[2], be32(csb), t64);
        for (int i = 0; i < 14; i++) {
            iv[i] ^= x[i];
        }
        try {
            Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] rand(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] be32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
