package org.kmsconf.mikey.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.payload.Cert;
import org.kmsconf.mikey.payload.Chash;
import org.kmsconf.mikey.payload.Dh;
import org.kmsconf.mikey.payload.ErrorPayload;
import org.kmsconf.mikey.payload.GeneralExtension;
import org.kmsconf.mikey.payload.Id;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.IdType;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.KeyValidity;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.ProtType;
import org.kmsconf.mikey.payload.Pke;
import org.kmsconf.mikey.payload.Rand;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.Randr;
import org.kmsconf.mikey.payload.SecurityPolicy;
import org.kmsconf.mikey.payload.Sign;
import org.kmsconf.mikey.payload.SpParam;
import org.kmsconf.mikey.payload.SrtpParam;
import org.kmsconf.mikey.payload.TicketFlag;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.Tr;
import org.kmsconf.mikey.payload.TrRole;
import org.kmsconf.mikey.payload.TsType;
import org.kmsconf.mikey.payload.Verification;

/** Random valid messages of every data type, map type and payload type: encode then decode is the identity. */
class MikeyCodecRoundTripProperties {

    @Property(tries = 400)
    void encodeThenDecodeIsIdentity(@ForAll("messages") MikeyMessage m) {
        byte[] wire = MikeyCodec.encode(m);
        MikeyMessage back = MikeyCodec.decode(wire);
        assertThat(back).isEqualTo(m);
        assertThat(MikeyCodec.encode(back)).isEqualTo(wire);
    }

    @Property(tries = 200)
    void keyDataChainsRoundTrip(@ForAll("keyDataChains") List<KeyData> keys) {
        byte[] plain = KeyData.encodeChain(keys);
        assertThat(KeyData.decodeChain(plain)).isEqualTo(keys);
    }

    @Provide
    Arbitrary<MikeyMessage> messages() {
        return Combinators.combine(headers(), payload().list().ofMaxSize(8), Arbitraries.of(true, false))
                .as((h, list, withSign) -> {
                    List<Payload> ps = new ArrayList<>(list);
                    if (withSign) {
                        ps.add(new Sign(1, new byte[] {1, 2, 3}));
                    }
                    return new MikeyMessage(h, ps);
                });
    }

    @Provide
    Arbitrary<List<KeyData>> keyDataChains() {
        return keyData().list().ofMaxSize(5);
    }

    static Arbitrary<byte[]> bytes(int max) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(max);
    }

    static Arbitrary<byte[]> bytesExactly(int n) {
        return Arbitraries.bytes().array(byte[].class).ofSize(n);
    }

    static Arbitrary<Header> headers() {
        Arbitrary<CsIdMap> map = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 255).map(EmptyMap::new),
                Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers(),
                        Arbitraries.integers()).as((no, ssrc, roc) -> new SrtpIdMap.Entry(no, Ssrc.of(ssrc), roc))
                        .list().ofMaxSize(4).map(SrtpIdMap::new),
                genericEntry().list().ofMaxSize(4).map(GenericIdMap::new));
        return Combinators.combine(Arbitraries.of(DataType.class), Arbitraries.of(true, false),
                Arbitraries.of(PrfFunc.class), Arbitraries.integers(), map).as(Header::new);
    }

    static Arbitrary<GenericIdEntry> genericEntry() {
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 255).list().ofMaxSize(3), Arbitraries.of(0, 1, 2, 3),
                Arbitraries.integers(), bytes(8)).as((cs, s, pols, shape, ssrc, spi) -> {
                    GenericIdEntry e = new GenericIdEntry(cs, 0, false, pols, new byte[0], spi);
                    return switch (shape) {
                        case 0 -> s ? new GenericIdEntry(cs, 0, true, pols, new byte[0], spi) : e;
                        case 1 -> e.withSsrc(Ssrc.of(ssrc));
                        case 2 -> e.withSsrcRocSeq(Ssrc.of(ssrc), ssrc * 7, ssrc & 0xffff);
                        // docs/profile.md §6, kmsconf extension: private-use prot types, no session data
                        default -> GenericIdEntry.withoutSessionData(cs,
                                s ? ProtType.KMSCONF_TLS_PSK : ProtType.KMSCONF_CMS_KEK, pols).withSpi(spi);
                    };
                });
    }

    static Arbitrary<Timestamp> timestamps() {
        return Arbitraries.of(TsType.class).flatMap(t -> (t.valueBytes() == 8 ? Arbitraries.longs()
                : Arbitraries.longs().between(0, 0xffffffffL)).map(v -> new Timestamp(t, v)));
    }

    static Arbitrary<KeyValidity> validity() {
        return Arbitraries.oneOf(Arbitraries.just(new KeyValidity.Null()), bytes(8).map(KeyValidity.Spi::new),
                Combinators.combine(bytes(6), bytes(6)).as(KeyValidity.Interval::new));
    }

    static Arbitrary<KeyData> keyData() {
        return Combinators.combine(Arbitraries.of(KeyDataType.class), bytes(48), bytes(14), validity())
                .as((t, k, s, kv) -> new KeyData(t, k, t.hasSalt() ? s : null, kv));
    }

    static Arbitrary<Idr> idrs() {
        return Combinators.combine(Arbitraries.of(IdRole.class), Arbitraries.of(IdType.class), bytes(40))
                .as(Idr::new);
    }

    static Arbitrary<TicketPolicy> ticketPolicies() {
        Arbitrary<Payload> tpItem = Arbitraries.oneOf(idrs().map(p -> (Payload) p),
                Combinators.combine(Arbitraries.of(TrRole.class), timestamps())
                        .as((r, t) -> (Payload) new Tr(r, t.tsType(), t.value())),
                keyData().list().ofMaxSize(3).map(k -> (Payload) new Kemac(EncrAlg.NULL, KeyData.encodeChain(k),
                        MacAlg.NULL, new byte[0])));
        return Combinators.combine(Arbitraries.integers().between(0, 0xffff), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 255), Arbitraries.of(PrfFunc.class),
                Arbitraries.subsetOf(TicketFlag.values()), tpItem.list().ofMaxSize(5))
                .as((type, sub, ver, prf, flags, data) -> new TicketPolicy(type, sub, ver, prf,
                        flags.isEmpty() ? EnumSet.noneOf(TicketFlag.class) : EnumSet.copyOf(flags), data));
    }

    static Arbitrary<Payload> payload() {
        Arbitrary<MacAlg> macAlg = Arbitraries.of(MacAlg.class);
        return Arbitraries.oneOf(List.of(
                Combinators.combine(Arbitraries.of(EncrAlg.class), bytes(64), macAlg)
                        .as((e, d, m) -> (Payload) Kemac.unsigned(e, d, m)),
                Combinators.combine(Arbitraries.integers().between(0, 3), bytes(40)).as(Pke::new),
                Combinators.combine(Arbitraries.of(0, 1, 2), validity())
                        .as((g, kv) -> (Payload) new Dh(g, new byte[Dh.valueBytes(g)], kv)),
                timestamps().map(t -> (Payload) t),
                Combinators.combine(Arbitraries.of(IdType.class), bytes(40)).as(Id::new),
                Combinators.combine(Arbitraries.integers().between(0, 3), bytes(40)).as(Cert::new),
                Arbitraries.of(0, 1, 2).map(f -> (Payload) new Chash(f, new byte[Chash.hashBytes(f)])),
                macAlg.map(a -> (Payload) Verification.unsigned(a)),
                Combinators.combine(Arbitraries.integers().between(0, 255),
                        Combinators.combine(Arbitraries.of(SrtpParam.class), bytes(4))
                                .as((p, v) -> new SpParam(p.value(), v)).list().ofMaxSize(6))
                        .as((no, params) -> (Payload) new SecurityPolicy(no, 0, params)),
                Combinators.combine(Arbitraries.integers().between(0, 255),
                        Arbitraries.of(ProtType.KMSCONF_TLS_PSK, ProtType.KMSCONF_CMS_KEK))
                        .as((no, prot) -> (Payload) SecurityPolicy.withoutParams(no, prot)),
                bytes(32).map(Rand::new),
                Arbitraries.of(ErrorCode.class).map(ErrorPayload::new),
                Combinators.combine(Arbitraries.of(TrRole.class), timestamps())
                        .as((r, t) -> (Payload) new Tr(r, t.tsType(), t.value())),
                idrs().map(p -> (Payload) p),
                Combinators.combine(Arbitraries.of(RandRole.class), bytes(32)).as(Randr::new),
                ticketPolicies().map(p -> (Payload) p),
                Combinators.combine(ticketPolicies(), bytes(80), bytes(50)).as(TicketPayload::new),
                Combinators.combine(Arbitraries.of(0, 1, 3, 5), bytes(20)).as(GeneralExtension::new)));
    }
}
