package org.kmsconf.mikey.print;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.message.CsIdMap;
import org.kmsconf.mikey.message.GenericIdEntry;
import org.kmsconf.mikey.message.GenericIdMap;
import org.kmsconf.mikey.message.Header;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.message.SrtpIdMap;
import org.kmsconf.mikey.payload.Cert;
import org.kmsconf.mikey.payload.Chash;
import org.kmsconf.mikey.payload.Dh;
import org.kmsconf.mikey.payload.ErrorPayload;
import org.kmsconf.mikey.payload.GeneralExtension;
import org.kmsconf.mikey.payload.Id;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyValidity;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.PayloadType;
import org.kmsconf.mikey.payload.Pke;
import org.kmsconf.mikey.payload.Rand;
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
import org.kmsconf.mikey.payload.TsType;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.print.PrintNode.Hex;
import org.kmsconf.mikey.ticket.BaseTicket;
import org.kmsconf.mikey.ticket.InitiatorData;

/**
 * A readable tree of any MIKEY message, as Wireshark would show it: every header and payload field by name, code
 * points as {@code NAME (value)}, the nested structures of RFC 6043 (TP Data, base ticket, Initiator Data) decoded
 * in place. Encrypted KEMAC data is shown as ciphertext hex; only a NULL-encrypted KEMAC has its Key data decoded,
 * and then its keys are labelled as being in the clear. Pure formatting: no keys, no I/O.
 */
public final class MikeyPrinter {
    private MikeyPrinter() {
    }

    /** Decodes and prints as text; throws {@link MikeyException} for bytes that are not a MIKEY message. */
    public static String text(byte[] wire) {
        return TextRenderer.render(tree(wire));
    }

    /** Decodes and prints as JSON; throws {@link MikeyException} for bytes that are not a MIKEY message. */
    public static String json(byte[] wire) {
        return JsonRenderer.render(tree(wire));
    }

    /** The tree of an encoded message. */
    public static PrintNode tree(byte[] wire) {
        MikeyMessage m = MikeyCodec.decode(wire);
        PrintNode root = new PrintNode("mikey", "MIKEY message")
                .field("length", "length", wire.length)
                .field("dataType", "data type", new Code(m.dataType().name(), m.dataType().value()));
        root.child(header(m.header(), m.payloads()));
        chain(root, m.payloads());
        return root;
    }

    // ---- header ---------------------------------------------------------------------------------------------

    private static PrintNode header(Header h, List<Payload> payloads) {
        CsIdMap map = h.csIdMap();
        PrintNode n = new PrintNode("HDR", "Common header (HDR)")
                .field("version", "version", h.version())
                .field("dataType", "data type", new Code(h.dataType().name(), h.dataType().value()))
                .field("nextPayload", "next payload", next(payloads, 0))
                .field("v", "V", h.vFlag() ? 1 : 0)
                .field("prfFunc", "PRF func", Names.prf(h.prfFunc()))
                .field("csbId", "CSB ID", String.format("0x%08x", h.csbId()))
                .field("csCount", "#CS", map.csCount())
                .field("csIdMapType", "CS ID map type", Names.mapType(map.mapType()));
        if (map instanceof SrtpIdMap s) {
            int i = 1;
            for (SrtpIdMap.Entry e : s.entries()) {
                n.child(new PrintNode("srtpIdEntry", "Crypto session " + i++)
                        .field("policyNo", "policy no", e.policyNo())
                        .field("ssrc", "SSRC", e.ssrc().toString())
                        .field("roc", "ROC", Integer.toUnsignedLong(e.roc())));
            }
        } else if (map instanceof GenericIdMap g) {
            for (GenericIdEntry e : g.entries()) {
                n.child(genericEntry(e));
            }
        }
        return n;
    }

    private static PrintNode genericEntry(GenericIdEntry e) {
        PrintNode n = new PrintNode("genericIdEntry", "Crypto session " + e.csId())
                .field("csId", "CS ID", e.csId())
                .field("protType", "prot type", Names.protType(e.protType()))
                .field("s", "S", e.sFlag() ? 1 : 0)
                .field("policyNos", "policies", new ArrayList<Object>(e.policyNos()));
        if (e.isSrtp() && e.ssrc().isPresent()) {
            n.field("ssrc", "SSRC", e.ssrc().get().toString());
            if (e.roc().isPresent()) {
                n.field("roc", "ROC", Integer.toUnsignedLong(e.roc().getAsInt())).field("seq", "SEQ", e.seq().getAsInt());
            }
        } else {
            n.field("sessionData", "session data", new Hex(e.sessionData(), null));
        }
        return n.field("spi", "SPI", new Hex(e.spi(), null));
    }

    // ---- payloads -------------------------------------------------------------------------------------------

    private static void chain(PrintNode parent, List<Payload> payloads) {
        for (int i = 0; i < payloads.size(); i++) {
            parent.child(payload(payloads.get(i), next(payloads, i + 1)));
        }
    }

    /** The Next payload value carried in front of payload {@code i} (0 = Last payload). */
    private static Code next(List<Payload> payloads, int i) {
        if (i >= payloads.size()) {
            return new Code("Last payload", PayloadType.LAST);
        }
        PayloadType t = payloads.get(i).type();
        return new Code(Names.payloadShort(t), t.value());
    }

    private static PrintNode payload(Payload p, Code next) {
        PayloadType type = p.type();
        PrintNode n = new PrintNode(Names.payloadShort(type), Names.payloadTitle(type));
        if (type != PayloadType.SIGN) {
            n.field("nextPayload", "next payload", next);
        }
        if (p instanceof Timestamp t) {
            timestamp(n, t.tsType(), t.value(), t.tsType() == TsType.COUNTER ? null : t.toInstant());
        } else if (p instanceof Tr t) {
            n.field("role", "role", new Code(t.role().name(), t.role().value()));
            timestamp(n, t.tsType(), t.value(), t.tsType() == TsType.COUNTER ? null : t.toInstant());
        } else if (p instanceof Rand r) {
            n.field("length", "length", r.rand().length).field("rand", "RAND", new Hex(r.rand(), null));
        } else if (p instanceof Randr r) {
            n.field("role", "role", new Code(r.role().name(), r.role().value()))
                    .field("length", "length", r.rand().length).field("rand", "RAND", new Hex(r.rand(), null));
        } else if (p instanceof Id id) {
            identity(n, id.idType().value(), id.data());
        } else if (p instanceof Idr id) {
            n.field("role", "role", new Code(id.role().name(), id.role().value()));
            identity(n, id.idType().value(), id.data());
        } else if (p instanceof Verification v) {
            n.field("authAlg", "auth alg", Names.mac(v.authAlg())).field("mac", "MAC", new Hex(v.mac(), null));
        } else if (p instanceof Kemac k) {
            kemac(n, k);
        } else if (p instanceof SecurityPolicy sp) {
            securityPolicy(n, sp);
        } else if (p instanceof ErrorPayload e) {
            n.field("errorNo", "error no", Names.error(e.errorCode()));
        } else if (p instanceof TicketPolicy tp) {
            ticketPolicy(n, tp);
        } else if (p instanceof TicketPayload t) {
            ticket(n, t);
        } else if (p instanceof GeneralExtension g) {
            n.field("extType", "type", Names.extType(g.extType())).field("length", "length", g.data().length);
            if (g.extType() == GeneralExtension.SDP_IDS) {
                n.field("sdpIds", "SDP IDs", "\"" + printable(g.data()) + "\"");
            } else {
                n.field("data", "data", new Hex(g.data(), null));
            }
        } else if (p instanceof Cert c) {
            n.field("certType", "type", Names.certType(c.certType())).field("length", "length", c.data().length)
                    .field("data", "data", c.certType() == 1 ? "\"" + printable(c.data()) + "\"" : new Hex(c.data(), null));
        } else if (p instanceof Chash c) {
            n.field("hashFunc", "hash func", Names.hashFunc(c.hashFunc())).field("hash", "hash", new Hex(c.hash(), null));
        } else if (p instanceof Pke pke) {
            n.field("cache", "C", Names.pkeCache(pke.cache())).field("length", "length", pke.data().length)
                    .field("data", "data", new Hex(pke.data(), "encrypted envelope key"));
        } else if (p instanceof Sign s) {
            n.field("sType", "S type", Names.signType(s.sType())).field("length", "length", s.signature().length)
                    .field("signature", "signature", new Hex(s.signature(), null));
        } else if (p instanceof Dh dh) {
            n.field("group", "DH group", Names.dhGroup(dh.group())).field("value", "DH value", new Hex(dh.value(), null));
            validity(n, dh.validity());
        }
        return n;
    }

    private static void timestamp(PrintNode n, TsType type, long value, Instant when) {
        n.field("tsType", "TS type", Names.ts(type));
        String hex = type.valueBytes() == 8 ? String.format("0x%016x", value) : String.format("0x%08x", value);
        n.field("tsValue", "TS value", hex);
        if (when != null) {
            n.field("time", "time", when.toString());
        } else {
            n.field("counter", "counter", value);
        }
    }

    private static void identity(PrintNode n, int idType, byte[] data) {
        n.field("idType", "ID type", Names.idType(idType)).field("length", "length", data.length);
        if (idType == 2) {
            n.field("data", "data", new Hex(data, null));
        } else {
            n.field("data", "data", "\"" + printable(data) + "\"");
        }
    }

    private static void kemac(PrintNode n, Kemac k) {
        byte[] data = k.encrData();
        n.field("encrAlg", "encr alg", Names.encr(k.encrAlg())).field("encrDataLength", "encr data len", data.length);
        if (k.encrAlg() == EncrAlg.NULL) {
            n.field("encrData", "encr data", new Hex(data, "NULL encryption: plaintext"));
        } else {
            n.field("encrData", "encr data", new Hex(data, "ciphertext"));
        }
        n.field("macAlg", "MAC alg", Names.mac(k.macAlg())).field("mac", "MAC", new Hex(k.mac(), null));
        if (k.encrAlg() == EncrAlg.NULL && data.length > 0) {
            try {
                for (KeyData kd : KeyData.decodeChain(data)) {
                    n.child(keyData(kd));
                }
            } catch (MikeyException e) {
                n.child(new PrintNode("keyDataError", "Key data (undecodable)").field("error", "", e.getMessage()));
            }
        }
    }

    private static PrintNode keyData(KeyData kd) {
        byte[] key = kd.key();
        PrintNode n = new PrintNode("keyData", "Key data (in the clear: NULL-encrypted KEMAC)")
                .field("keyType", "type", new Code(kd.keyType().name(), kd.keyType().value()))
                .field("kv", "KV", Names.kvType(kd.validity().kvType()))
                .field("keyLength", "key len", key.length)
                .field("key", "key", new Hex(key, allZero(key) ? "template, zero key" : "key in the clear"));
        java.util.Arrays.fill(key, (byte) 0);
        byte[] salt = kd.salt();
        if (salt != null) {
            n.field("salt", "salt", new Hex(salt, "salt in the clear"));
        }
        validity(n, kd.validity());
        return n;
    }

    private static void validity(PrintNode n, KeyValidity kv) {
        if (kv instanceof KeyValidity.Spi s) {
            n.field("spi", "SPI/MKI", new Hex(s.spi(), null));
        } else if (kv instanceof KeyValidity.Interval i) {
            n.field("validFrom", "valid from", new Hex(i.validFrom(), null))
                    .field("validTo", "valid to", new Hex(i.validTo(), null));
        }
    }

    private static void securityPolicy(PrintNode n, SecurityPolicy sp) {
        n.field("policyNo", "policy no", sp.policyNo()).field("protType", "prot type", Names.protType(sp.protType()));
        for (SpParam p : sp.params()) {
            SrtpParam t = SrtpParam.fromValue(p.paramType());
            String name = t == null ? "unknown" : Names.srtpParam(t);
            PrintNode c = new PrintNode("spParam", name + " (" + p.paramType() + ")")
                    .field("type", null, new Code(name, p.paramType()));
            byte[] v = p.value();
            if (t != null && v.length > 0 && v.length <= 4) {
                long num = p.numeric();
                String valueName = Names.srtpParamValue(t, num);
                c.field("value", "", valueName == null ? (Object) num : new Code(valueName, (int) num));
            } else {
                c.field("value", "", new Hex(v, null));
            }
            n.child(c);
        }
    }

    private static void ticketPolicy(PrintNode n, TicketPolicy tp) {
        n.field("ticketType", "ticket type", Names.ticketType(tp.ticketType()))
                .field("subtype", "subtype", tp.subtype())
                .field("version", "version", tp.version())
                .field("prfFunc", "PRF func", Names.prf(tp.prfFunc()))
                .field("flags", "flags", flags(tp));
        if (!tp.tpData().isEmpty()) {
            PrintNode data = new PrintNode("tpData", "TP Data")
                    .field("firstPayload", "first payload", next(tp.tpData(), 0));
            chain(data, tp.tpData());
            n.child(data);
        }
    }

    private static List<Object> flags(TicketPolicy tp) {
        List<Object> set = new ArrayList<>();
        for (TicketFlag f : TicketFlag.values()) {
            if (tp.has(f)) {
                set.add(f.name());
            }
        }
        return set;
    }

    private static void ticket(PrintNode n, TicketPayload t) {
        PrintNode tp = new PrintNode("TP", "Ticket policy");
        ticketPolicy(tp, t.policy());
        n.child(tp);
        byte[] td = t.ticketData();
        PrintNode data = new PrintNode("ticketData", "Ticket Data").field("length", "length", td.length);
        if (t.policy().ticketType() == TicketPolicy.MIKEY_BASE_TICKET) {
            try {
                BaseTicket bt = BaseTicket.decode(td);
                data.field("format", "", "MIKEY base ticket");
                data.child(new PrintNode("THDR", "Ticket header (THDR)")
                        .field("length", "length", bt.thdrData().length)
                        .field("data", "data", new Hex(bt.thdrData(), null)));
                List<Payload> chain = new ArrayList<>(List.of(bt.t(), bt.rand(), bt.kemac()));
                bt.idrPsk().ifPresent(chain::add);
                chain.add(bt.v());
                chain(data, chain);
            } catch (MikeyException e) {
                data.field("error", "not a base ticket:", e.getMessage()).field("data", "data", new Hex(td, null));
            }
        } else {
            data.field("data", "data", new Hex(td, "opaque"));
        }
        n.child(data);
        byte[] id = t.initiatorData();
        PrintNode init = new PrintNode("initiatorData", "Initiator Data").field("length", "length", id.length);
        if (id.length > 0) {
            try {
                InitiatorData d = InitiatorData.decode(id);
                init.child(new PrintNode("Vi", "Vi").field("authAlg", "auth alg", Names.mac(d.vi().authAlg()))
                        .field("mac", "MAC", new Hex(d.vi().mac(), null)));
                init.child(new PrintNode("Vr", "Vr").field("authAlg", "auth alg", Names.mac(d.vr().authAlg()))
                        .field("mac", "MAC", new Hex(d.vr().mac(), null)));
            } catch (MikeyException e) {
                init.field("error", "not Vi, Vr:", e.getMessage()).field("data", "data", new Hex(id, null));
            }
        }
        n.child(init);
    }

    /** Identity bytes as text; bytes outside printable ASCII are escaped so a hostile ID cannot mangle a terminal. */
    private static String printable(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp == '"' || cp == '\\') {
                sb.append('\\').appendCodePoint(cp);
            } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0xfffd) {
                sb.append(String.format("\\x%02x", cp & 0xff));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    private static boolean allZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0 && b.length > 0;
    }
}
