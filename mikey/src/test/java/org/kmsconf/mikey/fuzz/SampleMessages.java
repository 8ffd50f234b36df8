package org.kmsconf.mikey.fuzz;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.crypto.KemacCrypto;
import org.kmsconf.mikey.crypto.KeyDerivation.Direction;
import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.Labels;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.Macs;
import org.kmsconf.mikey.crypto.MessageKeys;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.DataType;
import org.kmsconf.mikey.message.EmptyMap;
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
import org.kmsconf.mikey.payload.ErrorPayload;
import org.kmsconf.mikey.payload.GeneralExtension;
import org.kmsconf.mikey.payload.Id;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.KeyValidity;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.Pke;
import org.kmsconf.mikey.payload.Rand;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.Randr;
import org.kmsconf.mikey.payload.SecurityPolicy;
import org.kmsconf.mikey.payload.Sign;
import org.kmsconf.mikey.payload.TicketFlag;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.Tr;
import org.kmsconf.mikey.payload.TrRole;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.ticket.BaseTicket;
import org.kmsconf.mikey.ticket.InitiatorData;

/**
 * One valid, deterministic message of every data type, built through the codec's model and protected with the real
 * crypto (so MACs and KEMACs are what a peer would send): the seeds of the hostile-input tests and the fuzz corpus.
 * The RFC 6043 messages follow our conferencing profile (mode 1, forking, GENERIC-ID map with CS 1 and 2).
 */
public final class SampleMessages {
    static final Instant NOW = Instant.parse("2026-11-27T01:00:00Z");
    static final int CSB = 0x1c2d3e4f;
    static final String ALICE = "sip:alice@operator.example";
    static final String FACTORY = "sip:factory.conference1@operator.example";
    static final String FOCUS = "sip:focus7.conference1@operator.example";
    static final String KMS = "sip:kms@operator.example";
    static final KeyMaterial PSK = KeyMaterial.of(fill(0x5a, 16));
    static final KeyMaterial TPK = KeyMaterial.of(fill(0x66, 16));
    static final KeyMaterial MPK = KeyMaterial.of(fill(0x44, 16));
    static final KeyMaterial TGK = KeyMaterial.of(fill(0x0f, 16));
    static final byte[] RANDRI = fill(0x11, 16);
    static final byte[] RANDRR = fill(0x22, 16);
    static final byte[] RANDRKMS = fill(0x33, 16);
    static final byte[] TICKET_RAND = fill(0x77, 16);
    static final PrfFunc PRF = PrfFunc.MIKEY_1;
    static final MacAlg MAC = MacAlg.HMAC_SHA_1_160;
    static final EncrAlg EA = EncrAlg.AES_CM_128;

    private SampleMessages() {
    }

    /** Encoded sample messages by name, one per data type (and a few extra shapes). */
    public static Map<String, byte[]> all() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        byte[] requestInit = requestInitPsk();
        byte[] requestResp = requestResp(requestInit);
        byte[] transferInit = transferInit(requestResp);
        byte[] resolveInit = resolveInitPsk(transferInit);
        m.put("REQUEST_INIT_PSK", requestInit);
        m.put("REQUEST_RESP", requestResp);
        m.put("TRANSFER_INIT", transferInit);
        m.put("RESOLVE_INIT_PSK", resolveInit);
        m.put("RESOLVE_RESP", resolveResp(resolveInit));
        m.put("TRANSFER_RESP", transferResp(transferInit));
        m.put("ERROR", error());
        m.put("REQUEST_INIT_PK", pkInit(DataType.REQUEST_INIT_PK));
        m.put("RESOLVE_INIT_PK", pkInit(DataType.RESOLVE_INIT_PK));
        m.put("PSK_INIT", hex(D3_I_MESSAGE));
        m.put("PSK_VER", hex(D3_R_MESSAGE));
        m.put("PK_INIT", pk(DataType.PK_INIT));
        m.put("PK_VER", simple(DataType.PK_VER, new Verification(MAC, fill(1, 20))));
        m.put("DH_INIT", dh(DataType.DH_INIT));
        m.put("DH_RESP", dh(DataType.DH_RESP));
        m.put("DHHMAC_INIT", dh(DataType.DHHMAC_INIT));
        m.put("DHHMAC_RESP", dh(DataType.DHHMAC_RESP));
        m.put("RSA_R_I_MSG", pk(DataType.RSA_R_I_MSG));
        m.put("RSA_R_R_MSG", simple(DataType.RSA_R_R_MSG, new Sign(0, fill(3, 64))));
        m.put("SAKKE", simple(DataType.SAKKE, new Sign(2, fill(4, 129))));
        for (DataType t : DataType.values()) {
            if (!m.containsKey(t.name())) {
                throw new IllegalStateException("no sample for " + t);
            }
        }
        return m;
    }

    // ---- RFC 6043 mode 1 ---------------------------------------------------------------------------------

    static byte[] requestInitPsk() {
        TicketPolicy tp = policy(List.of(
                Idr.uri(IdRole.IDRkms, KMS),
                Idr.uri(IdRole.IDRi, ALICE),
                Tr.ntpUtc(TrRole.TRs, NOW),
                Tr.ntpUtc(TrRole.TRe, NOW.plusSeconds(86_400)),
                Kemac.unsigned(EncrAlg.NULL, KeyData.encodeChain(List.of(
                        KeyData.withSpi(KeyDataType.MPK, new byte[16], new byte[4]),
                        KeyData.withSpi(KeyDataType.TGK, new byte[16], new byte[4]))), MacAlg.NULL),
                Idr.uri(IdRole.IDRr, FACTORY),
                Idr.uri(IdRole.IDRr, "sip:bob@operator.example")));
        List<Payload> ps = List.of(Timestamp.ntpUtc(NOW), new Randr(RandRole.RANDRi, RANDRI),
                Idr.uri(IdRole.IDRi, ALICE), Idr.uri(IdRole.IDRkms, KMS), tp,
                Idr.byteString(IdRole.IDRpsk, new byte[] {0, 0, 0, 1}), Verification.unsigned(MAC));
        MikeyMessage m = new MikeyMessage(new Header(DataType.REQUEST_INIT_PSK, true, PRF, CSB, EmptyMap.NONE), ps);
        KeyMaterial auth = KeyDerivation.authKey(PRF, PSK, Direction.INITIAL, CSB, RANDRI, null, MAC);
        return sign(m, auth, bytes(ALICE), bytes(KMS));
    }

    static TicketPayload ticket(byte[] initiatorData) {
        MessageKeys tk = KeyDerivation.ticketKeys(PRF, TPK, TICKET_RAND, EA, MAC);
        Timestamp t = Timestamp.ntpUtc(NOW);
        byte[] plain = KeyData.encodeChain(List.of(
                KeyData.withSpi(KeyDataType.MPK, MPK.bytes(), new byte[] {0, 0, 0, 1}),
                KeyData.withSpi(KeyDataType.TGK, TGK.bytes(), new byte[] {0, 0, 0, 2})));
        Kemac kemac = Kemac.unsigned(EA, KemacCrypto.encrypt(tk, Labels.NO_CSB, t.ivValue(), plain), MacAlg.NULL);
        BaseTicket bt = new BaseTicket(new byte[] {1, 2}, t, new Rand(TICKET_RAND), kemac,
                Optional.of(Idr.byteString(IdRole.IDRpsk, new byte[] {'t', 'p', 'k', '1'})), Verification.unsigned(MAC));
        TicketPayload unsigned = new TicketPayload(grantedPolicy(), bt.encode(), initiatorData);
        byte[] mac = Macs.compute(MAC, tk.authKey(), unsigned.ticketMacInput(MAC.macBytes()));
        return new TicketPayload(grantedPolicy(), bt.withV(new Verification(MAC, mac)).encode(), initiatorData);
    }

    static byte[] requestResp(byte[] requestInit) {
        MessageKeys rk = KeyDerivation.messageKeys(PRF, PSK, Direction.RESPONSE, CSB, RANDRI, null, EA, MAC);
        Timestamp t = Timestamp.ntpUtc(NOW.plusMillis(3));
        byte[] plain = KeyData.encodeChain(List.of(
                KeyData.withSpi(KeyDataType.MPK, KeyDerivation.mpki(PRF, MPK, TICKET_RAND).bytes(), new byte[] {0, 0, 0, 1}),
                KeyData.withSpi(KeyDataType.MPK, KeyDerivation.mpkr(PRF, MPK, TICKET_RAND).bytes(), new byte[] {0, 0, 0, 1}),
                KeyData.withSpi(KeyDataType.TGK, TGK.bytes(), new byte[] {0, 0, 0, 2})));
        List<Payload> ps = List.of(t, Idr.uri(IdRole.IDRkms, KMS), ticket(new byte[0]),
                Kemac.unsigned(EA, KemacCrypto.encrypt(rk, CSB, t.ivValue(), plain), MacAlg.NULL),
                Verification.unsigned(MAC));
        MikeyMessage m = new MikeyMessage(new Header(DataType.REQUEST_RESP, false, PRF, CSB, EmptyMap.NONE), ps);
        return sign(m, rk.authKey(), requestInit);
    }

    static byte[] transferInit(byte[] requestResp) {
        TicketPayload granted = MikeyCodec.decode(requestResp).first(TicketPayload.class).orElseThrow();
        GenericIdMap map = new GenericIdMap(List.of(
                GenericIdEntry.srtp(1, 0, Ssrc.of(0x11223344)), GenericIdEntry.srtpWithoutSessionData(2, List.of(0))));
        int csb = 0x0a0b0c0d;
        Header h = new Header(DataType.TRANSFER_INIT, true, PRF, csb, map);
        KeyMaterial mpki = KeyDerivation.mpki(PRF, MPK, TICKET_RAND);
        KeyMaterial auth = KeyDerivation.authKey(PRF, mpki, Direction.INITIAL, csb, RANDRI, null, MAC);
        List<Payload> ps = new ArrayList<>(List.of(Timestamp.ntpUtc(NOW.plusSeconds(1)),
                new Randr(RandRole.RANDRi, RANDRI), Idr.uri(IdRole.IDRi, ALICE), Idr.uri(IdRole.IDRr, FACTORY),
                SecurityPolicy.srtp(0, SrtpPolicy.AES_CM_128_HMAC_SHA1_80), granted, GeneralExtension.sdpIds("mikey"),
                Verification.unsigned(MAC)));
        MikeyMessage m = new MikeyMessage(h, ps);
        byte[] mac = Macs.compute(MAC, auth, MikeyCodec.encodeWithoutMacAndInitiatorData(m), bytes(ALICE),
                bytes(FACTORY));
        Verification v = new Verification(MAC, mac);
        InitiatorData id = new InitiatorData(v, Verification.unsigned(MAC));
        KeyMaterial vrKey = KeyDerivation.vrKey(PRF, KeyDerivation.mpkr(PRF, MPK, TICKET_RAND), MAC);
        id = id.withVr(new Verification(MAC, Macs.compute(MAC, vrKey, id.vrMacInput())));
        ps.set(5, granted.withInitiatorData(id.encode()));
        ps.set(ps.size() - 1, v);
        return MikeyCodec.encode(new MikeyMessage(h, ps));
    }

    static byte[] resolveInitPsk(byte[] transferInit) {
        TicketPayload ticket = MikeyCodec.decode(transferInit).first(TicketPayload.class).orElseThrow();
        int csb = 0x5e5e5e5e;
        List<Payload> ps = List.of(Timestamp.ntpUtc(NOW.plusSeconds(1)), new Randr(RandRole.RANDRr, RANDRR),
                Idr.uri(IdRole.IDRr, FOCUS), Idr.uri(IdRole.IDRkms, KMS), ticket,
                Idr.byteString(IdRole.IDRpsk, new byte[] {0, 0, 0, 9}), Verification.unsigned(MAC));
        MikeyMessage m = new MikeyMessage(new Header(DataType.RESOLVE_INIT_PSK, true, PRF, csb, EmptyMap.NONE), ps);
        KeyMaterial auth = KeyDerivation.authKey(PRF, PSK, Direction.INITIAL, csb, null, RANDRR, MAC);
        return sign(m, auth, bytes(FOCUS), bytes(KMS));
    }

    static byte[] resolveResp(byte[] resolveInit) {
        int csb = 0x5e5e5e5e;
        MessageKeys rk = KeyDerivation.messageKeys(PRF, PSK, Direction.RESPONSE, csb, null, RANDRR, EA, MAC);
        Timestamp t = Timestamp.ntpUtc(NOW.plusSeconds(2));
        byte[] focus = bytes(FOCUS);
        byte[] plain = KeyData.encodeChain(List.of(
                KeyData.withSpi(KeyDataType.MPK, KeyDerivation.mpki(PRF, MPK, TICKET_RAND).bytes(), new byte[] {0, 0, 0, 1}),
                KeyData.withSpi(KeyDataType.MPK, KeyDerivation.forkMpkr(PRF, KeyDerivation.mpkr(PRF, MPK, TICKET_RAND),
                        focus, RANDRKMS).bytes(), new byte[] {0, 0, 0, 1}),
                KeyData.withSpi(KeyDataType.TGK, KeyDerivation.forkTgk(PRF, TGK, focus, RANDRKMS).bytes(),
                        new byte[] {0, 0, 0, 2})));
        List<Payload> ps = List.of(t, Idr.uri(IdRole.IDRkms, KMS),
                Kemac.unsigned(EA, KemacCrypto.encrypt(rk, csb, t.ivValue(), plain), MacAlg.NULL),
                Idr.uri(IdRole.IDRr, FOCUS), new Randr(RandRole.RANDRkms, RANDRKMS), Verification.unsigned(MAC));
        MikeyMessage m = new MikeyMessage(new Header(DataType.RESOLVE_RESP, false, PRF, csb, EmptyMap.NONE), ps);
        return sign(m, rk.authKey(), resolveInit);
    }

    static byte[] transferResp(byte[] transferInit) {
        int csb = 0x0a0b0c0d;
        GenericIdMap map = new GenericIdMap(List.of(
                GenericIdEntry.srtp(1, 0, Ssrc.of(0x11223344)).withSpi(new byte[] {0, 0, 0, 2}),
                GenericIdEntry.srtp(2, 0, Ssrc.of(0x55667788)).withSsrcRocSeq(Ssrc.of(0x55667788), 0, 4711)
                        .withSpi(new byte[] {0, 0, 0, 2})));
        KeyMaterial mpkrF = KeyDerivation.forkMpkr(PRF, KeyDerivation.mpkr(PRF, MPK, TICKET_RAND), bytes(FOCUS),
                RANDRKMS);
        KeyMaterial auth = KeyDerivation.authKey(PRF, mpkrF, Direction.RESPONSE, csb, RANDRI, RANDRR, MAC);
        List<Payload> ps = List.of(Timestamp.ntpUtc(NOW.plusSeconds(3)), new Randr(RandRole.RANDRr, RANDRR),
                Idr.uri(IdRole.IDRr, FOCUS), new Randr(RandRole.RANDRkms, RANDRKMS),
                SecurityPolicy.srtp(0, SrtpPolicy.AES_CM_128_HMAC_SHA1_80), Verification.unsigned(MAC));
        MikeyMessage m = new MikeyMessage(new Header(DataType.TRANSFER_RESP, false, PRF, csb, map), ps);
        return sign(m, auth, transferInit);
    }

    static byte[] error() {
        List<Payload> ps = List.of(Timestamp.ntpUtc(NOW), new ErrorPayload(ErrorCode.INVALID_TPPAR),
                Verification.unsigned(MAC));
        MikeyMessage m = new MikeyMessage(new Header(DataType.ERROR, false, PRF, CSB, EmptyMap.NONE), ps);
        KeyMaterial auth = KeyDerivation.authKey(PRF, PSK, Direction.INITIAL, CSB, RANDRI, null, MAC);
        return sign(m, auth);
    }

    // ---- other data types: structurally valid, not cryptographically meaningful ----------------------------

    static byte[] pkInit(DataType type) {
        List<Payload> ps = List.of(Timestamp.ntpUtc(NOW), new Randr(RandRole.RANDRi, RANDRI),
                Idr.uri(IdRole.IDRi, ALICE), new Cert(0, fill(0x30, 40)), Idr.uri(IdRole.IDRkms, KMS),
                policy(List.of(Idr.uri(IdRole.IDRr, FACTORY))), new Chash(2, fill(9, 32)), new Pke(1, fill(7, 48)),
                new Sign(1, fill(8, 128)));
        return MikeyCodec.encode(new MikeyMessage(new Header(type, true, PRF, CSB, EmptyMap.NONE), ps));
    }

    static byte[] pk(DataType type) {
        List<Payload> ps = List.of(Timestamp.counter(42), new Rand(fill(0x12, 16)), Id.uri(ALICE),
                new Cert(1, bytes("https://example.com/cert")), new Pke(0, fill(7, 32)),
                Kemac.unsigned(EncrAlg.AES_KW_128, fill(5, 24), MacAlg.NULL), new Sign(0, fill(8, 64)));
        SrtpIdMap map = new SrtpIdMap(List.of(new SrtpIdMap.Entry(0, Ssrc.of(0x01020304), 0),
                new SrtpIdMap.Entry(0, Ssrc.UNASSIGNED, 0)));
        return MikeyCodec.encode(new MikeyMessage(new Header(type, true, PRF, CSB, map), ps));
    }

    static byte[] dh(DataType type) {
        List<Payload> ps = List.of(Timestamp.ntpUtc32(NOW), new Rand(fill(0x12, 16)), Id.uri(ALICE),
                new Dh(1, fill(6, Dh.valueBytes(1)), new KeyValidity.Interval(fill(0, 6), fill(0xff, 6))),
                new Verification(MacAlg.HMAC_SHA_256_256, fill(2, 32)));
        return MikeyCodec.encode(new MikeyMessage(new Header(type, false, PrfFunc.HMAC_SHA_256, CSB, new EmptyMap(2)),
                ps));
    }

    static byte[] simple(DataType type, Payload last) {
        List<Payload> ps = List.of(Timestamp.ntpUtc(NOW), Idr.uri(IdRole.IDRr, FOCUS), last);
        return MikeyCodec.encode(new MikeyMessage(new Header(type, false, PRF, CSB, EmptyMap.NONE), ps));
    }

    // ---------------------------------------------------------------------------------------------------------

    static TicketPolicy policy(List<Payload> tpData) {
        return new TicketPolicy(TicketPolicy.MIKEY_BASE_TICKET, 1, 1, PRF, profileFlags(), tpData);
    }

    static TicketPolicy grantedPolicy() {
        return policy(List.of(Idr.uri(IdRole.IDRkms, KMS), Idr.uri(IdRole.IDRi, ALICE), Tr.ntpUtc(TrRole.TRs, NOW),
                Tr.ntpUtc(TrRole.TRe, NOW.plusSeconds(86_400)), Idr.uri(IdRole.IDRr, FACTORY),
                Idr.uri(IdRole.IDRr, "sip:bob@operator.example")));
    }

    static EnumSet<TicketFlag> profileFlags() {
        return EnumSet.of(TicketFlag.D, TicketFlag.E, TicketFlag.F, TicketFlag.G, TicketFlag.H, TicketFlag.I,
                TicketFlag.J);
    }

    private static byte[] sign(MikeyMessage m, KeyMaterial auth, byte[]... trailing) {
        byte[] body = MikeyCodec.encodeWithoutMac(m);
        byte[] mac = Macs.compute(MAC, auth, body, 0, body.length, trailing);
        return MikeyCodec.encode(m.withLast(new Verification(MAC, mac)));
    }

    static byte[] fill(int v, int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    /** docs/test-vectors.md §D.3 I_MESSAGE and R_MESSAGE. */
    static final String D3_I_MESSAGE = """
            0100058012345678010000aabbccdd000000000b00e9a1b2c3000000000610101112131415161718191a1b1c1d1e1f06010015
            7369703a616c696365406578616d706c652e636f6d0a0100137369703a626f62406578616d706c652e636f6d010000002100010101
            011002010103011404010e0501000601000701010801010a01010b010a00010014eb20a9f9f053dac33f3f21c0c82514203f764dab
            01695c1854695aa753b684d81c7ff388a149dff24a""";
    static final String D3_R_MESSAGE = """
            0101050012345678010000aabbccdd000000000600e9a1b2c300000000090100137369703a626f62406578616d706c652e636f6d
            0001857017cfd68babc7f3f73271274593fae401b185""";
}
