package org.kmsconf.mikey.exchange;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.KemacCrypto;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.Macs;
import org.kmsconf.mikey.crypto.MessageKeys;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.Randr;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.TsType;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.replay.ReplayCache;
import org.kmsconf.mikey.replay.ReplayKey;

/** Checks and MAC/KEMAC steps shared by the parties of the RFC 6043 exchanges. */
final class Exchanges {
    private Exchanges() {
    }

    static MikeyException refuse(ErrorCode code, String reason) {
        return new MikeyException(code, reason);
    }

    static <T extends Payload> T require(MikeyMessage m, Class<T> type, String what) {
        return m.first(type).orElseThrow(() -> refuse(
                type == Idr.class ? ErrorCode.INVALID_ID : ErrorCode.UNSPECIFIED,
                m.dataType() + " without " + what));
    }

    /** docs/profile.md §1 row 6: every message carries its IDR payloads explicitly; a missing one is Invalid ID. */
    static Idr requireIdr(MikeyMessage m, IdRole role) {
        return m.idr(role).orElseThrow(() -> refuse(ErrorCode.INVALID_ID, m.dataType() + " without " + role));
    }

    static Randr requireRandr(MikeyMessage m, RandRole role) {
        return m.randr(role).orElseThrow(() -> refuse(ErrorCode.UNSPECIFIED, m.dataType() + " without " + role));
    }

    static Verification requireClosingV(MikeyMessage m) {
        if (m.payloads().isEmpty() || !(m.last() instanceof Verification v)) {
            throw refuse(ErrorCode.AUTH_FAILURE, m.dataType() + " does not end with a V payload");
        }
        if (v.authAlg() == MacAlg.NULL) {
            throw refuse(ErrorCode.INVALID_HA, m.dataType() + " with a NULL MAC");
        }
        return v;
    }

    /** The instant of a received T payload; our profile uses NTP timestamps only (docs/profile.md §1 row 15). */
    static Instant instantOf(Timestamp t) {
        if (t.tsType() == TsType.COUNTER) {
            throw refuse(ErrorCode.INVALID_TS, "COUNTER timestamps are not used in this profile");
        }
        return t.toInstant();
    }

    /** A fresh NTP-UTC timestamp; never equal to {@code avoid} (docs/profile.md §1 row 15: responses use a fresh T). */
    static Timestamp freshTimestamp(PartyContext ctx, Timestamp avoid) {
        Timestamp t = Timestamp.ntpUtc(ctx.clock().instant());
        if (avoid != null && avoid.tsType() == TsType.NTP_UTC && avoid.value() == t.value()) {
            t = new Timestamp(TsType.NTP_UTC, t.value() + 1);
        }
        return t;
    }

    /** Refuses a timestamp outside the allowed clock skew (Invalid TS). */
    static void checkSkew(PartyContext ctx, Timestamp t) {
        if (!ctx.replayCache().withinSkew(instantOf(t))) {
            throw refuse(ErrorCode.INVALID_TS, "timestamp " + instantOf(t) + " outside the allowed clock skew");
        }
    }

    static ReplayKey replayKey(Idr initiator, MikeyMessage m, Timestamp t) {
        return ReplayKey.of(initiator.data(), m.header().csbId(), instantOf(t), requireClosingV(m).mac());
    }

    /** RFC 3830 §5.4 first step: timestamp within the skew and message not seen before. */
    static void checkReplay(PartyContext ctx, ReplayKey key) {
        ReplayCache.Verdict v = ctx.replayCache().check(key);
        if (!v.accepted()) {
            throw refuse(ErrorCode.INVALID_TS, verdictText(v));
        }
    }

    /** RFC 3830 §5.4 last step, after the MAC was verified: remember the message. */
    static void recordReplay(PartyContext ctx, ReplayKey key) {
        ReplayCache.Verdict v = ctx.replayCache().record(key);
        if (!v.accepted()) {
            throw refuse(ErrorCode.INVALID_TS, verdictText(v));
        }
    }

    private static String verdictText(ReplayCache.Verdict v) {
        return switch (v) {
            case OUTSIDE_SKEW -> "timestamp outside the allowed clock skew";
            case REPLAYED -> "replayed message";
            case FULL -> "replay cache full, refusing until entries expire";
            case ACCEPTED -> "accepted";
        };
    }

    /** The message with its closing V payload's MAC computed over {@code base || trailing...}. */
    static MikeyMessage signedOver(MikeyMessage unsigned, KeyMaterial authKey, byte[] base, byte[]... trailing) {
        Verification v = (Verification) unsigned.last();
        byte[][] parts = new byte[trailing.length + 1][];
        parts[0] = base;
        System.arraycopy(trailing, 0, parts, 1, trailing.length);
        byte[] mac = Macs.compute(v.authAlg(), authKey, parts);
        return unsigned.withLast(new Verification(v.authAlg(), mac));
    }

    /** As {@link #signedOver} with base = the message without its MAC field (RFC 3830 §5.2). */
    static MikeyMessage signed(MikeyMessage unsigned, KeyMaterial authKey, byte[]... trailing) {
        return signedOver(unsigned, authKey, MikeyCodec.encodeWithoutMac(unsigned), trailing);
    }

    /** Verifies the closing V payload over {@code base || trailing...} in constant time, else Auth failure. */
    static void verifyOver(MikeyMessage m, KeyMaterial authKey, String what, byte[] base, byte[]... trailing) {
        Verification v = requireClosingV(m);
        byte[][] parts = new byte[trailing.length + 1][];
        parts[0] = base;
        System.arraycopy(trailing, 0, parts, 1, trailing.length);
        if (!Macs.verify(v.authAlg(), authKey, v.mac(), parts)) {
            throw refuse(ErrorCode.AUTH_FAILURE, what + ": MAC verification failed");
        }
    }

    /**
     * As {@link #verify}, over the bytes as received instead of a re-encoding: the MAC input base (RFC 3830 §5.2)
     * is {@code raw} without its last MAC-length bytes, since {@code m = decode(raw)} ends with the V payload and
     * {@link MikeyCodec} decodes only what it re-encodes byte for byte.
     */
    static void verifyReceived(MikeyMessage m, byte[] raw, KeyMaterial authKey, String what, byte[]... trailing) {
        Verification v = requireClosingV(m);
        int base = raw.length - v.authAlg().macBytes();
        if (!Macs.verify(v.authAlg(), authKey, v.mac(), raw, 0, base, trailing)) {
            throw refuse(ErrorCode.AUTH_FAILURE, what + ": MAC verification failed");
        }
    }

    /**
     * The encoding of {@code unsigned} (ending with a V payload whose MAC field is a placeholder of the right
     * length) with that MAC computed over {@code message-without-MAC || trailing...} and written in place: one
     * encoding instead of one for the MAC input and one for the result.
     */
    static byte[] signedBytes(MikeyMessage unsigned, KeyMaterial authKey, byte[]... trailing) {
        Verification v = (Verification) unsigned.last();
        byte[] out = MikeyCodec.encode(unsigned);
        int base = out.length - v.authAlg().macBytes();
        byte[] mac = Macs.compute(v.authAlg(), authKey, out, 0, base, trailing);
        System.arraycopy(mac, 0, out, base, mac.length);
        return out;
    }

    static void verify(MikeyMessage m, KeyMaterial authKey, String what, byte[]... trailing) {
        verifyOver(m, authKey, what, MikeyCodec.encodeWithoutMac(m), trailing);
    }

    /** A KEMAC with NULL MAC whose encrypted field holds the Key data chain (RFC 6043: the V carries the MAC). */
    static Kemac encryptKeys(MessageKeys keys, int csbId, Timestamp t, List<KeyData> keyData) {
        byte[] plain = KeyData.encodeChain(keyData);
        try {
            return new Kemac(keys.encrAlg(), KemacCrypto.encrypt(keys, csbId, t.ivValue(), plain), MacAlg.NULL,
                    new byte[0]);
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    /** Decrypts a KEMAC's Key data chain; the IV uses the T of the message carrying it (docs/profile.md §1 row 9). */
    static List<KeyData> decryptKeys(MessageKeys keys, int csbId, Timestamp t, Kemac kemac) {
        byte[] plain = KemacCrypto.decrypt(keys, csbId, t.ivValue(), kemac.encrData());
        try {
            return KeyData.decodeChain(plain);
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    static void requireEncrAlg(Kemac k, AlgorithmSet set) {
        if (k.encrAlg() != set.encrAlg()) {
            throw refuse(ErrorCode.INVALID_EA, "KEMAC uses " + k.encrAlg() + ", the algorithm set needs "
                    + set.encrAlg());
        }
    }

    /** The key data of a type at its position among keys of that type (MPKi = MPK #0, MPKr = MPK #1). */
    static KeyData keyOfType(List<KeyData> keys, KeyDataType type, int index, ErrorCode code) {
        List<KeyData> of = new ArrayList<>();
        for (KeyData k : keys) {
            if (k.keyType() == type) {
                of.add(k);
            }
        }
        if (index >= of.size()) {
            throw refuse(code, "KEMAC lacks " + type + " #" + (index + 1));
        }
        return of.get(index);
    }

    /**
     * The TGK of a KEMAC's keys: the first TGK or TGK+SALT (RFC 3830 §6.13 types 0 and 1; a request's key template
     * may ask for either, RFC 6043 §6.10). The salt of a TGK+SALT is carried but not used for SRTP: our profile
     * derives the master salt (docs/profile.md #10).
     */
    static KeyData tgkOf(List<KeyData> keys, ErrorCode code) {
        for (KeyData k : keys) {
            if (k.keyType() == KeyDataType.TGK || k.keyType() == KeyDataType.TGK_SALT) {
                return k;
            }
        }
        throw refuse(code, "KEMAC lacks a TGK");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] spiOf(KeyData k, ErrorCode code) {
        byte[] spi = k.spi();
        if (spi == null || spi.length == 0) {
            throw refuse(code, k.keyType() + " key data without an SPI (RFC 6043: every key carries one)");
        }
        return spi;
    }

    static KeyMaterial keyOf(KeyData k) {
        byte[] b = k.key();
        try {
            return KeyMaterial.of(b);
        } finally {
            java.util.Arrays.fill(b, (byte) 0);
        }
    }
}
