package org.kmsconf.mikey.interop;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.kmsconf.mikey.message.CsIdMap;
import org.kmsconf.mikey.message.GenericIdEntry;
import org.kmsconf.mikey.message.GenericIdMap;
import org.kmsconf.mikey.message.Header;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.message.SrtpIdMap;
import org.kmsconf.mikey.payload.Cert;
import org.kmsconf.mikey.payload.Chash;
import org.kmsconf.mikey.payload.Dh;
import org.kmsconf.mikey.payload.ErrorPayload;
import org.kmsconf.mikey.payload.GeneralExtension;
import org.kmsconf.mikey.payload.Id;
import org.kmsconf.mikey.payload.IdType;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyValidity;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.Pke;
import org.kmsconf.mikey.payload.Rand;
import org.kmsconf.mikey.payload.Randr;
import org.kmsconf.mikey.payload.SecurityPolicy;
import org.kmsconf.mikey.payload.Sign;
import org.kmsconf.mikey.payload.SpParam;
import org.kmsconf.mikey.payload.TicketFlag;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.payload.TicketPolicy;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.Tr;
import org.kmsconf.mikey.payload.TrRole;
import org.kmsconf.mikey.payload.TsType;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.ticket.BaseTicket;
import org.kmsconf.mikey.ticket.InitiatorData;

/**
 * What tools/wireshark/mikey-ticket.lua must show for a message, computed from our Java decoder's view of it
 * ({@link org.kmsconf.mikey.message.MikeyCodec#decode}, {@link BaseTicket#decode}, {@link InitiatorData#decode}):
 * every field of the "mikeyticket" protocol in tree order as {@code name=value}, values as tshark's PDML
 * {@code show} attribute gives them after {@link #normalize}. Comparing the two lists checks every data type, role,
 * identity, flag, CS ID, length, Next payload link and MAC of the message, field for field.
 */
final class DissectorFields {
    private DissectorFields() {
    }

    /** How a field's PDML {@code show} attribute is written. */
    enum Kind {
        /** A subtree without a value (FT_NONE). */
        NONE,
        /** Decimal integer (bit-masked fields too). */
        UINT,
        /** 32-bit integer shown as 0x%08x. */
        HEX32,
        /** 0 or 1. */
        BOOL,
        /** Bytes, shown aa:bb:cc by tshark, normalized to lower-case hex without colons. */
        BYTES,
        /** UTF-8 text. */
        STRING,
        /** An absolute UTC time as tshark prints it. */
        TIME
    }

    static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    private static void kinds(Kind k, String... names) {
        for (String n : names) {
            KINDS.put("mikeyticket." + n, k);
        }
    }

    static {
        kinds(Kind.NONE, "hdr", "srtp_id", "gid", "kemac", "key", "pke", "dh", "sign", "t", "tr", "id", "cert", "chash",
                "idr", "v", "sp", "sp.param", "rand", "err", "randr", "tp", "ticket", "tp.data", "ticket.ticket_data",
                "ticket.initiator_data", "thdr", "ext", "sakke");
        kinds(Kind.UINT, "hdr.version", "hdr.data_type", "hdr.next_payload", "hdr.prf_func", "hdr.cs_count",
                "hdr.cs_id_map_type", "srtp_id.policy_no", "srtp_id.roc", "gid.cs_id", "gid.prot_type",
                "gid.num_policies", "gid.policy_no", "gid.session_data_len", "gid.roc", "gid.seq", "gid.spi_len",
                "next_payload", "first_payload", "kemac.encr_alg", "kemac.encr_data_len", "kemac.mac_alg", "key.type",
                "key.kv", "key.data_len", "key.salt_len", "key.spi_len", "key.vf_len", "key.vt_len", "pke.c",
                "pke.data_len", "dh.group", "dh.reserved", "dh.kv", "sign.s_type", "sign.len", "t.ts_type",
                "t.counter", "tr.role", "tr.ts_type", "tr.seconds", "tr.counter", "id.type", "id.len", "cert.type",
                "cert.len", "chash.hash_func", "idr.role", "idr.id_type", "idr.id_len", "v.auth_alg", "sp.policy_no",
                "sp.prot_type", "sp.param_len", "sp.param.type", "sp.param.len", "sp.srtp.encr_alg",
                "sp.srtp.encr_key_len", "sp.srtp.auth_alg", "sp.srtp.auth_key_len", "sp.srtp.salt_key_len",
                "sp.srtp.prf", "sp.srtp.kdr", "sp.srtp.srtp_encr", "sp.srtp.srtcp_encr", "sp.srtp.fec_order",
                "sp.srtp.srtp_auth", "sp.srtp.auth_tag_len", "sp.srtp.prefix_len", "sp.srtp.roc_rate",
                "sp.srtp.aead_tag_len", "rand.len", "err.no", "err.reserved", "randr.role", "randr.len",
                "tp.ticket_type", "tp.subtype", "tp.version", "tp.prf_func", "tp.reserved", "tp.data_len",
                "ticket.data_len", "ticket.initiator_data_len", "thdr.data_len", "ext.type", "ext.len",
                "sakke.params", "sakke.id_scheme", "sakke.len");
        kinds(Kind.HEX32, "hdr.csb_id", "srtp_id.ssrc", "gid.ssrc");
        kinds(Kind.BOOL, "hdr.v", "gid.s", "tp.flags.d", "tp.flags.e", "tp.flags.f", "tp.flags.g", "tp.flags.h",
                "tp.flags.i", "tp.flags.j", "tp.flags.k", "tp.flags.l", "tp.flags.m", "tp.flags.n", "tp.flags.o");
        kinds(Kind.BYTES, "map_info", "undecoded", "gid.session_data", "gid.spi", "kemac.encr_data", "kemac.mac",
                "key.data", "key.salt", "key.spi", "key.vf", "key.vt", "pke.data", "dh.value", "sign.data",
                "t.ts_value", "tr.ts_value", "id.id_bytes", "cert.data", "chash.hash", "idr.id_bytes", "v.mac",
                "sp.param.value", "rand.data", "randr.data", "ticket.ticket_data_bytes", "thdr.data", "ext.data",
                "sakke.data");
        kinds(Kind.STRING, "id.id", "idr.id", "ext.sdp_ids");
        kinds(Kind.TIME, "t.ntp", "tr.ntp");
    }

    /** The PDML {@code show} of a field in the form {@link #expected} writes it. */
    static String normalize(String name, String show) {
        Kind k = KINDS.get(name);
        if (k == null) {
            throw new AssertionError("the dissector shows a field this test does not know: " + name + "=" + show);
        }
        return switch (k) {
            case BYTES -> show.replace(":", "").toLowerCase(Locale.ROOT);
            default -> show;
        };
    }

    private static final HexFormat HEX = HexFormat.of();
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("MMM ppd, yyyy HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** tshark's absolute time display (base.UTC) of an instant. */
    static String tsharkTime(Instant t) {
        return DATE.format(t) + String.format(Locale.ROOT, ".%09d UTC", t.getNano());
    }

    /**
     * Thrown by {@link #expected} for a text field (an ID) whose bytes are not valid UTF-8 or hold control
     * characters: how a tool prints those is a display convention (tshark: \\xNN escapes, Java: U+FFFD or the raw
     * character), not something to compare.
     */
    static final class NotText extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotText(String field) {
            super(field + " is not printable UTF-8 text");
        }
    }

    static String utf8(String field, byte[] data) {
        try {
            String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(data)).toString();
            if (text.chars().anyMatch(Character::isISOControl)) {
                throw new NotText(field);
            }
            return text;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new NotText(field);
        }
    }

    /** The fields the dissector must show for a message our decoder decoded, in tree order. */
    static List<String> expected(MikeyMessage m) {
        Emitter e = new Emitter();
        e.header(m.header(), m.payloads());
        e.chain(m.payloads());
        return e.out;
    }

    private static int typeOf(List<? extends Payload> chain, int i) {
        return i < chain.size() ? chain.get(i).type().value() : 0;
    }

    private static final class Emitter {
        final List<String> out = new ArrayList<>();

        void e(String name, Object value) {
            String n = "mikeyticket." + name;
            Kind k = KINDS.get(n);
            if (k == null) {
                throw new IllegalArgumentException("unknown field " + n);
            }
            String v = switch (k) {
                case NONE -> "";
                case BOOL -> ((Boolean) value) ? "1" : "0";
                case HEX32 -> String.format("0x%08x", (Integer) value);
                case BYTES -> HEX.formatHex((byte[]) value);
                default -> String.valueOf(value);
            };
            out.add(n + "=" + v);
        }

        /** A bytes field the dissector adds only when it is not empty. */
        void bytes(String name, byte[] value) {
            if (value.length > 0) {
                e(name, value);
            }
        }

        void header(Header h, List<Payload> payloads) {
            e("hdr", null);
            e("hdr.version", h.version());
            e("hdr.data_type", h.dataType().value());
            e("hdr.next_payload", typeOf(payloads, 0));
            e("hdr.v", h.vFlag());
            e("hdr.prf_func", h.prfFunc().value());
            e("hdr.csb_id", h.csbId());
            e("hdr.cs_count", h.csIdMap().csCount());
            e("hdr.cs_id_map_type", h.csIdMap().mapType());
            CsIdMap map = h.csIdMap();
            if (map instanceof SrtpIdMap s) {
                for (SrtpIdMap.Entry x : s.entries()) {
                    e("srtp_id", null);
                    e("srtp_id.policy_no", x.policyNo());
                    e("srtp_id.ssrc", x.ssrc().bits());
                    e("srtp_id.roc", Integer.toUnsignedLong(x.roc()));
                }
            } else if (map instanceof GenericIdMap g) {
                for (GenericIdEntry x : g.entries()) {
                    e("gid", null);
                    e("gid.cs_id", x.csId());
                    e("gid.prot_type", x.protType());
                    e("gid.s", x.sFlag());
                    e("gid.num_policies", x.policyNos().size());
                    for (int p : x.policyNos()) {
                        e("gid.policy_no", p);
                    }
                    e("gid.session_data_len", x.sessionData().length);
                    bytes("gid.session_data", x.sessionData());
                    if (x.ssrc().isPresent()) {
                        e("gid.ssrc", x.ssrc().get().bits());
                    }
                    if (x.roc().isPresent()) {
                        e("gid.roc", Integer.toUnsignedLong(x.roc().getAsInt()));
                        e("gid.seq", x.seq().getAsInt());
                    }
                    e("gid.spi_len", x.spi().length);
                    bytes("gid.spi", x.spi());
                }
            }
        }

        void chain(List<? extends Payload> chain) {
            for (int i = 0; i < chain.size(); i++) {
                payload(chain.get(i), typeOf(chain, i + 1));
            }
        }

        void prefixedChain(List<? extends Payload> chain) {
            e("first_payload", typeOf(chain, 0));
            chain(chain);
        }

        void ts(String prefix, TsType type, long value, boolean interval) {
            byte[] raw = new byte[type.valueBytes()];
            for (int i = 0; i < raw.length; i++) {
                raw[raw.length - 1 - i] = (byte) (value >>> (8 * i));
            }
            e(prefix + ".ts_value", raw);
            if (type == TsType.COUNTER) {
                e(prefix + ".counter", value);
            } else if (interval) {
                e(prefix + ".seconds", type.valueBytes() == 8 ? value >>> 32 : value);
            } else {
                e(prefix + ".ntp", tsharkTime(new Timestamp(type, value).toInstant()));
            }
        }

        void kv(KeyValidity v) {
            if (v instanceof KeyValidity.Spi s) {
                e("key.spi_len", s.spi().length);
                bytes("key.spi", s.spi());
            } else if (v instanceof KeyValidity.Interval iv) {
                e("key.vf_len", iv.validFrom().length);
                bytes("key.vf", iv.validFrom());
                e("key.vt_len", iv.validTo().length);
                bytes("key.vt", iv.validTo());
            }
        }

        void policy(TicketPolicy tp) {
            e("tp.ticket_type", tp.ticketType());
            e("tp.subtype", tp.subtype());
            e("tp.version", tp.version());
            e("tp.prf_func", tp.prfFunc().value());
            for (TicketFlag f : TicketFlag.values()) {
                e("tp.flags." + f.name().toLowerCase(Locale.ROOT), tp.has(f));
            }
            e("tp.reserved", 0);
            byte[] data = TicketPolicy.encodePrefixedChain(tp.tpData());
            e("tp.data_len", data.length);
            if (data.length > 0) {
                e("tp.data", null);
                prefixedChain(tp.tpData());
            }
        }

        void payload(Payload p, int next) {
            if (!(p instanceof Sign)) {
                String marker = switch (p.type()) {
                    case KEMAC -> "kemac";
                    case PKE -> "pke";
                    case DH -> "dh";
                    case T -> "t";
                    case ID -> "id";
                    case CERT -> "cert";
                    case CHASH -> "chash";
                    case V -> "v";
                    case SP -> "sp";
                    case RAND -> "rand";
                    case ERR -> "err";
                    case TR -> "tr";
                    case IDR -> "idr";
                    case RANDR -> "randr";
                    case TP -> "tp";
                    case TICKET -> "ticket";
                    case GENERAL_EXTENSION -> "ext";
                    case SIGN -> throw new IllegalStateException();
                };
                e(marker, null);
                e("next_payload", next);
            }
            if (p instanceof Kemac k) {
                e("kemac.encr_alg", k.encrAlg().value());
                e("kemac.encr_data_len", k.encrData().length);
                if (k.encrData().length > 0) {
                    e("kemac.encr_data", k.encrData());
                    if (k.encrAlg().value() == 0) {
                        List<KeyData> keys = KeyData.decodeChain(k.encrData());
                        for (int i = 0; i < keys.size(); i++) {
                            KeyData d = keys.get(i);
                            e("key", null);
                            e("next_payload", i == keys.size() - 1 ? 0 : KeyData.SUB_PAYLOAD_TYPE);
                            e("key.type", d.keyType().value());
                            e("key.kv", d.validity().kvType());
                            e("key.data_len", d.key().length);
                            bytes("key.data", d.key());
                            if (d.salt() != null) {
                                e("key.salt_len", d.salt().length);
                                bytes("key.salt", d.salt());
                            }
                            kv(d.validity());
                        }
                    }
                }
                e("kemac.mac_alg", k.macAlg().value());
                bytes("kemac.mac", k.mac());
            } else if (p instanceof Pke x) {
                e("pke.c", x.cache());
                e("pke.data_len", x.data().length);
                bytes("pke.data", x.data());
            } else if (p instanceof Dh x) {
                e("dh.group", x.group());
                e("dh.value", x.value());
                e("dh.reserved", 0);
                e("dh.kv", x.validity().kvType());
                kv(x.validity());
            } else if (p instanceof Sign x) {
                e("sign", null);
                e("sign.s_type", x.sType());
                e("sign.len", x.signature().length);
                bytes("sign.data", x.signature());
            } else if (p instanceof Timestamp x) {
                e("t.ts_type", x.tsType().value());
                ts("t", x.tsType(), x.value(), false);
            } else if (p instanceof Id x) {
                e("id.type", x.idType().value());
                e("id.len", x.data().length);
                id("id.id", x.idType(), x.data());
            } else if (p instanceof Cert x) {
                e("cert.type", x.certType());
                e("cert.len", x.data().length);
                bytes("cert.data", x.data());
            } else if (p instanceof Chash x) {
                e("chash.hash_func", x.hashFunc());
                e("chash.hash", x.hash());
            } else if (p instanceof Verification x) {
                e("v.auth_alg", x.authAlg().value());
                bytes("v.mac", x.mac());
            } else if (p instanceof SecurityPolicy x) {
                e("sp.policy_no", x.policyNo());
                e("sp.prot_type", x.protType());
                int len = 0;
                for (SpParam sp : x.params()) {
                    len += 2 + sp.value().length;
                }
                e("sp.param_len", len);
                for (SpParam sp : x.params()) {
                    e("sp.param", null);
                    e("sp.param.type", sp.paramType());
                    e("sp.param.len", sp.value().length);
                    bytes("sp.param.value", sp.value());
                    srtpParam(x.protType(), sp);
                }
            } else if (p instanceof Rand x) {
                e("rand.len", x.rand().length);
                bytes("rand.data", x.rand());
            } else if (p instanceof ErrorPayload x) {
                e("err.no", x.errorCode().value());
                e("err.reserved", 0);
            } else if (p instanceof Tr x) {
                e("tr.role", x.role().value());
                e("tr.ts_type", x.tsType().value());
                ts("tr", x.tsType(), x.value(), x.role() == TrRole.TRr);
            } else if (p instanceof Idr x) {
                e("idr.role", x.role().value());
                e("idr.id_type", x.idType().value());
                e("idr.id_len", x.data().length);
                id("idr.id", x.idType(), x.data());
            } else if (p instanceof Randr x) {
                e("randr.role", x.role().value());
                e("randr.len", x.rand().length);
                bytes("randr.data", x.rand());
            } else if (p instanceof TicketPolicy x) {
                policy(x);
            } else if (p instanceof TicketPayload x) {
                policy(x.policy());
                byte[] td = x.ticketData();
                e("ticket.data_len", td.length);
                if (td.length > 0) {
                    if (x.policy().ticketType() == TicketPolicy.MIKEY_BASE_TICKET) {
                        BaseTicket b = BaseTicket.decode(td);
                        e("ticket.ticket_data", null);
                        e("thdr", null);
                        e("next_payload", 5);
                        e("thdr.data_len", b.thdrData().length);
                        bytes("thdr.data", b.thdrData());
                        List<Payload> chain = new ArrayList<>(List.of(b.t(), b.rand(), b.kemac()));
                        b.idrPsk().ifPresent(chain::add);
                        chain.add(b.v());
                        chain(chain);
                    } else {
                        e("ticket.ticket_data_bytes", td);
                    }
                }
                byte[] id = x.initiatorData();
                e("ticket.initiator_data_len", id.length);
                if (id.length > 0) {
                    InitiatorData d = InitiatorData.decode(id);
                    e("ticket.initiator_data", null);
                    prefixedChain(List.of(d.vi(), d.vr()));
                }
            } else if (p instanceof GeneralExtension x) {
                e("ext.type", x.extType());
                e("ext.len", x.data().length);
                if (x.data().length > 0) {
                    e("ext.data", x.data());
                    if (x.extType() == GeneralExtension.SDP_IDS) {
                        e("ext.sdp_ids", utf8("ext.sdp_ids", x.data()));
                    }
                }
            }
        }

        void id(String name, IdType type, byte[] data) {
            if (data.length == 0) {
                return;
            }
            if (type == IdType.BYTE_STRING) {
                e(name + "_bytes", data);
            } else {
                e(name, utf8(name, data));
            }
        }

        private static final Map<Integer, String> SRTP = Map.ofEntries(Map.entry(0, "encr_alg"),
                Map.entry(1, "encr_key_len"), Map.entry(2, "auth_alg"), Map.entry(3, "auth_key_len"),
                Map.entry(4, "salt_key_len"), Map.entry(5, "prf"), Map.entry(6, "kdr"), Map.entry(7, "srtp_encr"),
                Map.entry(8, "srtcp_encr"), Map.entry(9, "fec_order"), Map.entry(10, "srtp_auth"),
                Map.entry(11, "auth_tag_len"), Map.entry(12, "prefix_len"), Map.entry(13, "roc_rate"),
                Map.entry(20, "aead_tag_len"));

        void srtpParam(int protType, SpParam sp) {
            Optional<String> name = protType == 0 ? Optional.ofNullable(SRTP.get(sp.paramType())) : Optional.empty();
            byte[] v = sp.value();
            if (name.isPresent() && v.length == (name.get().equals("roc_rate") ? 2 : 1)) {
                e("sp.srtp." + name.get(), v.length == 1 ? v[0] & 0xff : ((v[0] & 0xff) << 8) | (v[1] & 0xff));
            }
        }
    }
}
