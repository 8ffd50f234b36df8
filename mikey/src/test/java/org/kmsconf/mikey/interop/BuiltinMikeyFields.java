package org.kmsconf.mikey.interop;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kmsconf.mikey.message.Header;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.message.SrtpIdMap;
import org.kmsconf.mikey.payload.ErrorPayload;
import org.kmsconf.mikey.payload.Id;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyValidity;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.Rand;
import org.kmsconf.mikey.payload.SecurityPolicy;
import org.kmsconf.mikey.payload.SpParam;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.TsType;
import org.kmsconf.mikey.payload.Verification;

/**
 * What tshark 4.0's built-in MIKEY dissector (epan/dissectors/packet-mikey.c, protocol "mikey") must show for a
 * message, computed from our decoder: HDR with an SRTP-ID or Empty map and the payloads it knows (T NTP/NTP-UTC,
 * RAND, ID, IDR, SP with SRTP parameters 0-12, KEMAC with Key data when NULL-encrypted in a data type 0 message, V,
 * ERR). At the first payload it does not know it shows that payload's Next payload byte and stops (docs/wireshark.md);
 * so
 * does this list.
 */
final class BuiltinMikeyFields {
    private BuiltinMikeyFields() {
    }

    private static final Map<String, DissectorFields.Kind> KINDS = new java.util.HashMap<>();

    private static void kinds(DissectorFields.Kind k, String... names) {
        for (String n : names) {
            KINDS.put("mikey." + n, k);
        }
    }

    static {
        kinds(DissectorFields.Kind.NONE, "hdr", "srtp_id", "t", "rand", "id", "idr", "sp", "kemac", "key", "v", "err");
        kinds(DissectorFields.Kind.UINT, "version", "type", "next_payload", "v.set", "prf_func", "cs_count",
                "cs_id_map_type", "srtp_id.policy_no", "t.ts_type", "rand.len", "id.role", "id.type", "id.len", "sp.no",
                "sp.proto_type", "sp.param_len", "sp.param.type", "sp.param.len", "sp.encr_alg", "sp.encr_len",
                "sp.auth_alg", "sp.auth_key_len", "sp.salt_len", "sp.prf", "sp.kd_rate", "sp.srtp_encr",
                "sp.srtcp_encr", "sp.fec", "sp.srtp_auth", "sp.auth_tag_len", "sp.srtp_prefix", "kemac.encr_alg",
                "kemac.key_data_len", "kemac.mac_alg", "key.type", "key.kv", "key.data.len", "key.salt.len",
                "key.kv.spi.len", "key.kv.from.len", "key.kv.to.len", "v.auth_alg", "err.no");
        kinds(DissectorFields.Kind.HEX32, "csb_id", "srtp_id.ssrc", "srtp_id.roc");
        kinds(DissectorFields.Kind.BYTES, "rand.data", "sp.patam.value", "kemac.key_data", "kemac.mac", "key.data",
                "key.salt", "key.kv.spi", "key.kv.from", "key.kv.to", "v.ver_data", "err.reserved");
        kinds(DissectorFields.Kind.STRING, "id.data");
        kinds(DissectorFields.Kind.TIME, "t.ntp");
    }

    /** Is this a field of the list (others, e.g. "mikey.payload" of an unknown payload, are not compared)? */
    static boolean known(String name) {
        return KINDS.containsKey(name);
    }

    static String normalize(String name, String show) {
        return KINDS.get(name) == DissectorFields.Kind.BYTES ? show.replace(":", "").toLowerCase(Locale.ROOT) : show;
    }

    /** SRTP policy parameter types 0-12 by the built-in dissector's field names. */
    private static final List<String> SP_NAMES = List.of("encr_alg", "encr_len", "auth_alg", "auth_key_len",
            "salt_len", "prf", "kd_rate", "srtp_encr", "srtcp_encr", "fec", "srtp_auth", "auth_tag_len", "srtp_prefix");

    static List<String> expected(MikeyMessage m) {
        List<String> out = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        java.util.function.BiConsumer<String, Object> e = (name, value) -> {
            String n = "mikey." + name;
            DissectorFields.Kind k = KINDS.get(n);
            out.add(n + "=" + switch (k) {
                case NONE -> "";
                case BOOL -> ((Boolean) value) ? "1" : "0";
                case HEX32 -> String.format("0x%08x", (Integer) value);
                case BYTES -> hex.formatHex((byte[]) value);
                default -> String.valueOf(value);
            });
        };
        Header h = m.header();
        List<Payload> ps = m.payloads();
        e.accept("hdr", null);
        e.accept("version", h.version());
        e.accept("type", h.dataType().value());
        e.accept("next_payload", ps.isEmpty() ? 0 : ps.get(0).type().value());
        e.accept("v.set", h.vFlag() ? 1 : 0);
        e.accept("prf_func", h.prfFunc().value());
        e.accept("csb_id", h.csbId());
        e.accept("cs_count", h.csIdMap().csCount());
        e.accept("cs_id_map_type", h.csIdMap().mapType());
        if (h.csIdMap() instanceof SrtpIdMap s) {
            for (SrtpIdMap.Entry x : s.entries()) {
                e.accept("srtp_id", null);
                e.accept("srtp_id.policy_no", x.policyNo());
                e.accept("srtp_id.ssrc", x.ssrc().bits());
                e.accept("srtp_id.roc", x.roc());
            }
        }
        for (int i = 0; i < ps.size(); i++) {
            Payload p = ps.get(i);
            int next = i + 1 < ps.size() ? ps.get(i + 1).type().value() : 0;
            if (p instanceof Timestamp t && (t.tsType() == TsType.NTP_UTC || t.tsType() == TsType.NTP)) {
                e.accept("t", null);
                e.accept("next_payload", next);
                e.accept("t.ts_type", t.tsType().value());
                e.accept("t.ntp", DissectorFields.tsharkTime(t.toInstant()));
            } else if (p instanceof Rand r) {
                e.accept("rand", null);
                e.accept("next_payload", next);
                e.accept("rand.len", r.rand().length);
                e.accept("rand.data", r.rand());
            } else if (p instanceof Id id) {
                e.accept("id", null);
                e.accept("next_payload", next);
                e.accept("id.type", id.idType().value());
                e.accept("id.len", id.data().length);
                e.accept("id.data", new String(id.data(), java.nio.charset.StandardCharsets.UTF_8));
            } else if (p instanceof Idr id) {
                e.accept("idr", null);
                e.accept("next_payload", next);
                e.accept("id.role", id.role().value());
                e.accept("id.type", id.idType().value());
                e.accept("id.len", id.data().length);
                e.accept("id.data", id.asString());
            } else if (p instanceof SecurityPolicy sp && sp.protType() == 0) {
                e.accept("sp", null);
                e.accept("next_payload", next);
                e.accept("sp.no", sp.policyNo());
                e.accept("sp.proto_type", sp.protType());
                e.accept("sp.param_len", sp.params().stream().mapToInt(x -> 2 + x.value().length).sum());
                for (SpParam x : sp.params()) {
                    if (x.paramType() < SP_NAMES.size() && x.value().length == 1) {
                        e.accept("sp." + SP_NAMES.get(x.paramType()), x.value()[0] & 0xff);
                    }
                    e.accept("sp.param.type", x.paramType());
                    e.accept("sp.param.len", x.value().length);
                    e.accept("sp.patam.value", x.value());
                }
            } else if (p instanceof Kemac k) {
                e.accept("kemac", null);
                e.accept("next_payload", next);
                e.accept("kemac.encr_alg", k.encrAlg().value());
                e.accept("kemac.key_data_len", k.encrData().length);
                if (k.encrAlg().value() == 0 && m.dataType().value() == 0) {
                    for (KeyData d : KeyData.decodeChain(k.encrData())) {
                        e.accept("key", null);
                        e.accept("key.type", d.keyType().value());
                        e.accept("key.kv", d.validity().kvType());
                        e.accept("key.data.len", d.key().length);
                        e.accept("key.data", d.key());
                        if (d.salt() != null) {
                            e.accept("key.salt.len", d.salt().length);
                            e.accept("key.salt", d.salt());
                        }
                        if (d.validity() instanceof KeyValidity.Spi s) {
                            e.accept("key.kv.spi.len", s.spi().length);
                            e.accept("key.kv.spi", s.spi());
                        }
                    }
                } else {
                    e.accept("kemac.key_data", k.encrData());
                }
                e.accept("kemac.mac_alg", k.macAlg().value());
                e.accept("kemac.mac", k.mac()); // shown even when empty (MAC alg NULL)
            } else if (p instanceof Verification v) {
                e.accept("v", null);
                e.accept("next_payload", next);
                e.accept("v.auth_alg", v.authAlg().value());
                e.accept("v.ver_data", v.mac());
            } else if (p instanceof ErrorPayload err) {
                e.accept("err", null);
                e.accept("next_payload", next);
                e.accept("err.no", err.errorCode().value());
                e.accept("err.reserved", new byte[2]);
            } else {
                // Not decoded by packet-mikey.c: it reads this payload's Next payload byte and stops.
                e.accept("next_payload", next);
                break;
            }
        }
        return out;
    }
}
