package org.kmsconf.mikey.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.message.GenericIdEntry;
import org.kmsconf.mikey.message.GenericIdMap;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.ErrorPayload;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.TicketPayload;
import org.kmsconf.mikey.payload.TicketPolicy;

/**
 * tools/wireshark/mikey-ticket.lua against our decoder: real messages of a whole mode-1 exchange with forking (both
 * algorithm sets, 1 and 2 m-lines), the profile's error messages, RFC 3830 / ONVIF messages and hand-built ones are
 * written as UDP datagrams to port 2269 (and as an HTTP application/mikey body and an SDP a=key-mgmt:mikey) into a
 * pcap; tshark dissects it with the Lua dissector (built-in "mikey" disabled) and its PDML tree must show, field for
 * field, what {@link DissectorFields#expected} computes from {@link MikeyCodec#decode}. Needs tshark.
 */
@Tag("external")
class LuaDissectorTest {
    private static final int MIKEY_PORT = 2269;

    /** One pcap packet and the MIKEY message it carries. */
    record Sent(String label, byte[] mikey) {
    }

    private static final List<Sent> UDP = new ArrayList<>();
    private static Sent http;
    private static Sent sdp;
    private static Sent truncated;
    private static List<Pdml.Packet> packets;

    @BeforeAll
    static void dissectEverything(@TempDir Path tmp) throws IOException {
        String tshark = ExternalTools.tshark();
        for (InteropExchange.Message m : InteropExchange.messages(AlgorithmSet.SET_128, 1)) {
            UDP.add(new Sent("SET_128 " + m.label(), m.bytes()));
        }
        for (InteropExchange.Message m : InteropExchange.messages(AlgorithmSet.SET_256, 2)) {
            UDP.add(new Sent("SET_256 " + m.label(), m.bytes()));
        }
        for (Map.Entry<String, byte[]> e : InteropMessages.rfcMessages().entrySet()) {
            UDP.add(new Sent(e.getKey(), e.getValue()));
        }
        UDP.add(new Sent("RFC 3830 payloads", InteropMessages.rfc3830Kitchen()));
        UDP.add(new Sent("RFC 6043 corners", InteropMessages.rfc6043Corners()));

        Pcap pcap = new Pcap();
        for (Sent s : UDP) {
            pcap.udp(40000, MIKEY_PORT, s.mikey());
        }
        byte[] transferInit = UDP.get(2).mikey();
        truncated = new Sent("truncated TRANSFER_INIT", Arrays.copyOf(transferInit, 100));
        pcap.udp(40000, MIKEY_PORT, truncated.mikey());
        http = new Sent("HTTP POST application/mikey", UDP.get(0).mikey());
        pcap.tcp(40001, 80, httpPost(http.mikey()));
        sdp = new Sent("SIP INVITE, SDP a=key-mgmt:mikey", transferInit);
        pcap.udp(5060, 5060, sipInvite(sdp.mikey()));
        Path file = tmp.resolve("mikey-ticket.pcap");
        pcap.write(file);

        Path lua = ExternalTools.repoRoot().resolve("tools/wireshark/mikey-ticket.lua");
        ExternalTools.Run r = ExternalTools.run(List.of(tshark, "-r", file.toString(), "-X", "lua_script:" + lua,
                "--disable-protocol", "mikey", "-T", "pdml"), 60);
        assertThat(r.exitCode()).as("tshark exit code; stderr:%n%s", r.stderr()).isZero();
        assertThat(r.stderr()).as("tshark stderr").doesNotContainIgnoringCase("lua").doesNotContain("rror");
        assertThat(r.stdout().lines().filter(l -> l.contains("Lua Error") || l.contains("_ws.lua.error")).toList())
                .as("Lua errors in the dissection").isEmpty();
        packets = Pdml.parse(r.stdout());
        assertThat(packets).hasSize(pcap.packets());
    }

    private static byte[] httpPost(byte[] body) {
        byte[] head = ("POST /kms HTTP/1.1\r\nHost: kms.operator\r\nContent-Type: application/mikey\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** A SIP INVITE whose SDP offer carries the message at session level, as sip's KeyMgmtSdp writes it. */
    private static byte[] sipInvite(byte[] mikey) {
        String body = "v=0\r\no=alice 1 1 IN IP4 10.0.0.1\r\ns=kmsconf\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
                + "a=key-mgmt:mikey " + Base64.getEncoder().encodeToString(mikey) + "\r\n"
                + "m=audio 40000 RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
        String sip = "INVITE sip:bob@operator SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
                + "From: <sip:alice@operator>;tag=1\r\nTo: <sip:bob@operator>\r\nCall-ID: 1@10.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\nContact: <sip:alice@10.0.0.1>\r\nMax-Forwards: 70\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        return sip.getBytes(StandardCharsets.US_ASCII);
    }

    /** The (non-empty) mikeyticket dissection of a packet, as normalized name=value lines. */
    private static List<String> shown(Pdml.Packet p) {
        List<Pdml.Proto> mt = p.all("mikeyticket").stream().filter(x -> !x.fields().isEmpty()).toList();
        assertThat(mt).as("packet %d has one mikeyticket dissection", p.number()).hasSize(1);
        // _ws.lua.fake: the hidden item every Lua dissector tree gets.
        return mt.get(0).fields().stream().filter(f -> !f.name().isEmpty() && !f.name().equals("_ws.lua.fake"))
                .map(f -> f.name() + "=" + DissectorFields.normalize(f.name(), f.show())).toList();
    }

    private static Pdml.Proto tree(int index) {
        return packets.get(index).all("mikeyticket").stream().filter(x -> !x.fields().isEmpty()).findFirst()
                .orElseThrow();
    }

    @Test
    void everyUdpMessageIsShownFieldForFieldAsOurDecoderReadsIt() {
        for (int i = 0; i < UDP.size(); i++) {
            Sent s = UDP.get(i);
            MikeyMessage m = MikeyCodec.decode(s.mikey());
            assertThat(shown(packets.get(i))).as("%s (packet %d)", s.label(), i + 1)
                    .containsExactlyElementsOf(DissectorFields.expected(m));
        }
    }

    @Test
    void dataTypesIdentitiesFlagsCsIdsAndErrorCodesAreThoseOfOurDecoder() {
        for (int i = 0; i < UDP.size(); i++) {
            Sent s = UDP.get(i);
            MikeyMessage m = MikeyCodec.decode(s.mikey());
            Pdml.Proto t = tree(i);
            assertThat(t.shows("mikeyticket.hdr.data_type")).as(s.label())
                    .containsExactly(String.valueOf(m.dataType().value()));
            // IDR roles in tree order, nested ones (TP Data, the base ticket's IDRpsk) at their places.
            List<String> roles = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            collectIdrs(m, roles, ids);
            assertThat(t.shows("mikeyticket.idr.role")).as("%s IDR roles", s.label()).containsExactlyElementsOf(roles);
            assertThat(concat(t.shows("mikeyticket.idr.id"), t.shows("mikeyticket.idr.id_bytes")))
                    .as("%s IDR ids", s.label()).containsExactlyInAnyOrderElementsOf(ids);
            if (m.header().csIdMap() instanceof GenericIdMap g) {
                assertThat(t.shows("mikeyticket.gid.cs_id")).as("%s CS IDs", s.label()).containsExactlyElementsOf(
                        g.entries().stream().map(GenericIdEntry::csId).map(String::valueOf).toList());
            }
            List<String> errs = m.all(ErrorPayload.class).stream().map(e -> String.valueOf(e.errorCode().value()))
                    .toList();
            assertThat(t.shows("mikeyticket.err.no")).as("%s ERR", s.label()).containsExactlyElementsOf(errs);
        }
        // The profile's tickets: I = 1 (key forking) and D E F G H J, no K L M N O, on every TP and TICKET.
        for (String label : List.of("REQUEST_INIT_PSK", "REQUEST_RESP", "TRANSFER_INIT", "RESOLVE_INIT_PSK")) {
            for (String set : List.of("SET_128 ", "SET_256 ")) {
                flagsOfTheProfile(tree(index(set + label)), set + label);
            }
        }
        assertThat(tree(index("SET_128 TRANSFER_INIT")).shows("mikeyticket.gid.cs_id")).containsExactly("1", "2");
        assertThat(tree(index("SET_256 TRANSFER_INIT")).shows("mikeyticket.gid.cs_id"))
                .containsExactly("1", "2", "3", "4");
        assertThat(tree(index("SET_256 TRANSFER_RESP")).shows("mikeyticket.gid.cs_id"))
                .containsExactly("1", "2", "3", "4");
        Pdml.Proto responderError = tree(index("SET_128 responder error (Invalid SP)"));
        assertThat(responderError.shows("mikeyticket.hdr.data_type")).containsExactly("6");
        assertThat(responderError.shows("mikeyticket.err.no")).containsExactly("9");
        Pdml.Proto kmsError = tree(index("SET_128 KMS error (Invalid TPpar)"));
        assertThat(kmsError.shows("mikeyticket.hdr.data_type")).containsExactly("6");
        assertThat(kmsError.shows("mikeyticket.err.no")).containsExactly("15");
        assertThat(kmsError.shows("mikeyticket.v.auth_alg")).containsExactly("1");
    }

    private static int index(String label) {
        for (int i = 0; i < UDP.size(); i++) {
            if (UDP.get(i).label().equals(label)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no message " + label);
    }

    /** The profile's tickets: I = 1 (key forking) and D E F G H J, no K L M N O, on every TP and TICKET. */
    private static void flagsOfTheProfile(Pdml.Proto t, String label) {
        assertThat(t.shows("mikeyticket.tp.flags.i")).as(label).isNotEmpty().containsOnly("1");
        for (String on : List.of("d", "e", "f", "g", "h", "j")) {
            assertThat(t.shows("mikeyticket.tp.flags." + on)).as(label).containsOnly("1");
        }
        for (String off : List.of("k", "l", "m", "n", "o")) {
            assertThat(t.shows("mikeyticket.tp.flags." + off)).as(label).containsOnly("0");
        }
    }

    private static void collectIdrs(MikeyMessage m, List<String> roles, List<String> ids) {
        for (var p : m.payloads()) {
            if (p instanceof Idr idr) {
                roles.add(String.valueOf(idr.role().value()));
                ids.add(idText(idr));
            } else if (p instanceof TicketPolicy tp) {
                tpIdrs(tp, roles, ids);
            } else if (p instanceof TicketPayload tk) {
                tpIdrs(tk.policy(), roles, ids);
                if (tk.policy().ticketType() == TicketPolicy.MIKEY_BASE_TICKET) {
                    org.kmsconf.mikey.ticket.BaseTicket.decode(tk.ticketData()).idrPsk().ifPresent(i -> {
                        roles.add(String.valueOf(i.role().value()));
                        ids.add(idText(i));
                    });
                }
            }
        }
    }

    private static void tpIdrs(TicketPolicy tp, List<String> roles, List<String> ids) {
        for (Idr i : tp.all(Idr.class)) {
            roles.add(String.valueOf(i.role().value()));
            ids.add(idText(i));
        }
    }

    private static String idText(Idr i) {
        return i.idType() == org.kmsconf.mikey.payload.IdType.BYTE_STRING
                ? java.util.HexFormat.ofDelimiter(":").formatHex(i.data()) : i.asString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void httpApplicationMikeyBodiesAndSdpKeyMgmtAreDissectedToo() {
        int base = UDP.size() + 1;
        Pdml.Packet httpPacket = packets.get(base);
        assertThat(httpPacket.protos().stream().map(Pdml.Proto::name)).contains("http", "mikeyticket");
        assertThat(shown(httpPacket)).containsExactlyElementsOf(DissectorFields.expected(MikeyCodec.decode(http.mikey())));
        Pdml.Packet sipPacket = packets.get(base + 1);
        assertThat(sipPacket.protos().stream().map(Pdml.Proto::name)).contains("sip", "sdp", "mikeyticket");
        assertThat(shown(sipPacket)).containsExactlyElementsOf(DissectorFields.expected(MikeyCodec.decode(sdp.mikey())));
    }

    @Test
    void aTruncatedMessageIsReportedMalformedWithoutALuaError() {
        Pdml.Packet p = packets.get(UDP.size());
        List<Pdml.Field> all = p.allFields();
        assertThat(all).anySatisfy(f -> assertThat(f.name()).isEqualTo("mikeyticket.malformed"));
        assertThat(all).noneSatisfy(f -> assertThat(f.name()).isEqualTo("_ws.lua.error"));
        assertThat(all).noneSatisfy(f -> assertThat(f.showname()).contains("Lua Error"));
        // Everything before the cut is still shown: the header and the first payloads.
        assertThat(tree(UDP.size()).shows("mikeyticket.hdr.data_type")).containsExactly("14");
        assertThat(tree(UDP.size()).shows("mikeyticket.randr.role")).containsExactly("1");
    }

    @Test
    void noOtherPacketIsMalformed() {
        for (int i = 0; i < packets.size(); i++) {
            if (i == UDP.size()) {
                continue;
            }
            assertThat(packets.get(i).allFields()).as("packet %d", i + 1)
                    .noneSatisfy(f -> assertThat(f.name()).isIn("mikeyticket.malformed", "mikeyticket.unknown_payload",
                            "_ws.malformed", "_ws.lua.error"));
        }
    }
}
