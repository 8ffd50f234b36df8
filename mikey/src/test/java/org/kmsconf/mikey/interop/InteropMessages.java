package org.kmsconf.mikey.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.GenericIdEntry;
import org.kmsconf.mikey.message.GenericIdMap;
import org.kmsconf.mikey.message.Header;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.message.SrtpIdMap;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.payload.Cert;
import org.kmsconf.mikey.payload.Chash;
import org.kmsconf.mikey.payload.Dh;
import org.kmsconf.mikey.payload.GeneralExtension;
import org.kmsconf.mikey.payload.Id;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.IdType;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.KeyValidity;
import org.kmsconf.mikey.payload.Pke;
import org.kmsconf.mikey.payload.Rand;
import org.kmsconf.mikey.payload.Sign;
import org.kmsconf.mikey.payload.TicketFlag;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.Tr;
import org.kmsconf.mikey.payload.TrRole;
import org.kmsconf.mikey.payload.TsType;
import org.kmsconf.mikey.payload.Verification;

/** Messages of other origin (RFC 3830 D.3, ONVIF) and hand-built ones reaching payloads our exchange never sends. */
final class InteropMessages {
    private InteropMessages() {
    }

    /** The messages of {@code rfc-messages.txt} by name (D3_I_MESSAGE, D3_R_MESSAGE, ONVIF_E1). */
    static Map<String, byte[]> rfcMessages() {
        try (InputStream in = InteropMessages.class.getResourceAsStream("rfc-messages.txt")) {
            if (in == null) {
                throw new AssertionError("rfc-messages.txt missing from the test resources");
            }
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank() && !l.startsWith("#")) {
                    String[] kv = l.strip().split(" ");
                    out.put(kv[0], HexFormat.of().parseHex(kv[1]));
                }
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] filled(int n, int start) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }

    /**
     * An RFC 3830 public-key style message with every payload of RFC 3830 our exchange does not use: SRTP-ID map,
     * T COUNTER, RAND, ID (NAI, byte string), CERT, CHASH, General Extension (SDP IDs), DH with a KV interval, a
     * NULL-encrypted KEMAC with TGK+SALT / MPK key data, PKE and a closing SIGN.
     */
    static byte[] rfc3830Kitchen() {
        Header h = new Header(DataType.PK_INIT, true, PrfFunc.MIKEY_1, 0x0a0b0c0d,
                new SrtpIdMap(List.of(new SrtpIdMap.Entry(0, Ssrc.of(0x01020304), 7),
                        new SrtpIdMap.Entry(1, Ssrc.UNASSIGNED, 0))));
        byte[] keys = KeyData.encodeChain(List.of(
                new KeyData(KeyDataType.TGK_SALT, filled(16, 0x40), filled(14, 0x60),
                        new KeyValidity.Interval(filled(6, 0), filled(6, 0x10))),
                new KeyData(KeyDataType.MPK, filled(16, 0x80), null, new KeyValidity.Spi(filled(4, 0xa0)))));
        return MikeyCodec.encode(new MikeyMessage(h, List.of(
                Timestamp.counter(0x01020304L),
                new Rand(filled(16, 0x11)),
                new Id(IdType.NAI, "alice@example.com".getBytes(StandardCharsets.UTF_8)),
                new Id(IdType.BYTE_STRING, filled(3, 0xf0)),
                new Cert(0, filled(40, 0x30)),
                new Chash(2, filled(32, 0x50)),
                GeneralExtension.sdpIds("mikey"),
                new Dh(1, filled(Dh.valueBytes(1), 0x05), new KeyValidity.Interval(filled(6, 1), filled(6, 2))),
                new Kemac(EncrAlg.NULL, keys, MacAlg.NULL, new byte[0]),
                new Pke(1, filled(24, 0x70)),
                new Sign(0, filled(64, 0x90)))));
    }

    /**
     * RFC 6043 corners our exchange does not reach: a GENERIC-ID map with S = 1 (ROC, SEQ) and two policies, TR
     * payloads TRi (NTP-UTC-32) and TRr (rekeying interval in seconds), an IDRapp, and a TICKET of type 2 (3GPP
     * base ticket, opaque Ticket Data) without Initiator Data.
     */
    static byte[] rfc6043Corners() {
        GenericIdEntry cs1 = new GenericIdEntry(1, 0, false, List.of(0, 1), new byte[0], new byte[0])
                .withSsrcRocSeq(Ssrc.of(0xcafebabe), 3, 0x1234).withSpi(filled(4, 0xd0));
        GenericIdEntry cs2 = new GenericIdEntry(2, 0, false, List.of(1), new byte[0], new byte[0]);
        Header h = new Header(DataType.TRANSFER_INIT, false, PrfFunc.MIKEY_1, 0x01020304,
                new GenericIdMap(List.of(cs1, cs2)));
        TicketPolicy tp = new TicketPolicy(TicketPolicy.THREE_GPP_BASE_TICKET, 1, 1, PrfFunc.MIKEY_1,
                Set.of(TicketFlag.D, TicketFlag.E, TicketFlag.G, TicketFlag.N, TicketFlag.O), List.of(
                        new Tr(TrRole.TRi, TsType.NTP_UTC_32, Timestamp.ntpUtc32(Instant.parse("2030-01-02T03:04:05Z"))
                                .value()),
                        new Tr(TrRole.TRr, TsType.NTP_UTC_32, 3600),
                        Idr.uri(IdRole.IDRapp, "urn:app:conference"),
                        Idr.uri(IdRole.IDRr, "sip:bob@operator")));
        return MikeyCodec.encode(new MikeyMessage(h, List.of(
                Timestamp.ntpUtc32(Instant.parse("2026-03-01T10:00:00Z")),
                new TicketPayload(tp, filled(20, 0x21), new byte[0]),
                new Verification(MacAlg.HMAC_SHA_256_256, filled(32, 0x33)))));
    }
}
