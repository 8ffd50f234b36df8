-- mikey-ticket.lua — Wireshark / tshark dissector for MIKEY (RFC 3830) and MIKEY-TICKET (RFC 6043)
--
-- What tshark 4.0's built-in "mikey" dissector cannot show (docs/wireshark.md): the RFC 6043 data types
-- 11-18, the payloads TR (13), IDR (14, decoded here too), RANDR (15), TP (16), TICKET (17) with its TP Data chain,
-- the MIKEY base ticket's Ticket Data (THDR, T, RAND, KEMAC, [IDRpsk], V) and the Initiator Data (Vi, Vr), and the
-- GENERIC-ID crypto session map (map type 2). Everything else of RFC 3830 is decoded as well (HDR with SRTP-ID and
-- Empty maps, KEMAC with Key data when NULL-encrypted, PKE, DH, SIGN, T incl. NTP-UTC-32, ID, CERT, CHASH, V, SP with
-- named SRTP parameters, RAND, ERR, General Extension, SAKKE), so a whole kmsconf exchange reads in one tree.
--
-- Load:   tshark -X lua_script:tools/wireshark/mikey-ticket.lua -r capture.pcap
--         (or copy this file to ~/.local/lib/wireshark/plugins/). See docs/wireshark.md.
-- Registers protocol "mikeyticket" on UDP port 2269 (preference), for HTTP bodies of media type
-- "application/mikey" and for SDP "a=key-mgmt:mikey" (the SDP "key_mgmt" table). These entries replace the built-in
-- "mikey" dissector's; run with "--disable-protocol mikey" to be sure it never runs.
--
-- Field names: mikeyticket.hdr.*, mikeyticket.gid.* (GENERIC-ID map), mikeyticket.srtp_id.*, and one prefix per
-- payload (mikeyticket.t.*, mikeyticket.idr.*, mikeyticket.tp.* ...). The ticket policy fields of a TICKET payload
-- are the same mikeyticket.tp.* fields as in a TP payload, so "mikeyticket.tp.flags.i == 1" finds both.
-- Nothing here decrypts: encrypted KEMAC data is shown as bytes (see docs/wireshark.md for the key log).

local p = Proto("mikeyticket", "MIKEY-TICKET (RFC 3830 / RFC 6043)")

---------------------------------------------------------------------------------------------------------------------
-- Code points (RFC 3830 §6, RFC 6043 §6, RFC 4563 and the IANA MIKEY registries)
---------------------------------------------------------------------------------------------------------------------
local DATA_TYPE = {
    [0] = "Pre-shared", [1] = "PSK ver msg", [2] = "Public key", [3] = "PK ver msg", [4] = "D-H init",
    [5] = "D-H resp", [6] = "Error", [7] = "DHHMAC init", [8] = "DHHMAC resp", [9] = "RSA-R I_MSG",
    [10] = "RSA-R R_MSG", [11] = "REQUEST_INIT_PSK", [12] = "REQUEST_INIT_PK", [13] = "REQUEST_RESP",
    [14] = "TRANSFER_INIT", [15] = "TRANSFER_RESP", [16] = "RESOLVE_INIT_PSK", [17] = "RESOLVE_INIT_PK",
    [18] = "RESOLVE_RESP", [26] = "SAKKE msg", [27] = "CS Id map Update (3GPP)",
}
local PAYLOAD = {
    [0] = "Last payload", [1] = "KEMAC", [2] = "PKE", [3] = "DH", [4] = "SIGN", [5] = "T", [6] = "ID", [7] = "CERT",
    [8] = "CHASH", [9] = "V", [10] = "SP", [11] = "RAND", [12] = "ERR", [13] = "TR", [14] = "IDR", [15] = "RANDR",
    [16] = "TP", [17] = "TICKET", [20] = "Key data", [21] = "General Extension", [26] = "SAKKE",
}
local PRF_FUNC = { [0] = "MIKEY-1 (HMAC-SHA-1)", [1] = "PRF-HMAC-SHA-256" }
local MAP_TYPE = { [0] = "SRTP-ID", [1] = "Empty map", [2] = "GENERIC-ID" }
local PROT_TYPE = { [0] = "SRTP", [241] = "kmsconf TLS-PSK (private use, docs/profile.md §4)",
    [242] = "kmsconf CMS KEK (private use, docs/profile.md §4)" }
local ENCR_ALG = { [0] = "NULL", [1] = "AES-CM-128", [2] = "AES-KW-128", [3] = "AES-CM-256" }
local MAC_ALG = { [0] = "NULL", [1] = "HMAC-SHA-1-160", [2] = "HMAC-SHA-256-256" }
local MAC_LEN = { [0] = 0, [1] = 20, [2] = 32 }
local TS_TYPE = { [0] = "NTP-UTC", [1] = "NTP", [2] = "COUNTER", [3] = "NTP-UTC-32" }
local TS_LEN = { [0] = 8, [1] = 8, [2] = 4, [3] = 4 }
local ID_TYPE = { [0] = "NAI", [1] = "URI", [2] = "Byte string" }
local ID_ROLE = {
    [0] = "Reserved", [1] = "IDRi (Initiator)", [2] = "IDRr (Responder)", [3] = "IDRkms (KMS)",
    [4] = "IDRpsk (pre-shared key)", [5] = "IDRapp (application)", [6] = "IDRkmsi (Initiator's KMS)",
    [7] = "IDRkmsr (Responder's KMS)", [255] = "Reserved",
}
local TR_ROLE = { [1] = "TRi (time of issue)", [2] = "TRs (start of validity)", [3] = "TRe (end of validity)",
    [4] = "TRr (rekeying interval)" }
local RAND_ROLE = { [1] = "RANDRi (Initiator)", [2] = "RANDRr (Responder)", [3] = "RANDRkms (KMS)" }
local TICKET_TYPE = { [1] = "MIKEY base ticket", [2] = "3GPP base ticket" }
local KEY_TYPE = { [0] = "TGK", [1] = "TGK+SALT", [2] = "TEK", [3] = "TEK+SALT", [4] = "GTGK", [5] = "GTGK+SALT",
    [6] = "MPK" }
local KV_TYPE = { [0] = "Null", [1] = "SPI/MKI", [2] = "Interval" }
local CERT_TYPE = { [0] = "X.509v3", [1] = "X.509v3 URL", [2] = "X.509v3 Sign", [3] = "X.509v3 Encr" }
local HASH_FUNC = { [0] = "SHA-1", [1] = "MD5", [2] = "SHA-256" }
local HASH_LEN = { [0] = 20, [1] = 16, [2] = 32 }
local DH_GROUP = { [0] = "OAKLEY 5 (1536 bit)", [1] = "OAKLEY 1 (768 bit)", [2] = "OAKLEY 2 (1024 bit)" }
local DH_LEN = { [0] = 192, [1] = 96, [2] = 128 }
local S_TYPE = { [0] = "RSA/PKCS#1/1.5", [1] = "RSA/PSS", [2] = "ECCSI" }
local PKE_C = { [0] = "No cache", [1] = "Cache", [2] = "Cache for CSB" }
local EXT_TYPE = { [0] = "Vendor ID", [1] = "SDP IDs", [3] = "Key ID", [5] = "OMA BCAST" }
local ERROR_NO = {
    [0] = "Auth failure", [1] = "Invalid TS", [2] = "Invalid PRF", [3] = "Invalid MAC", [4] = "Invalid EA",
    [5] = "Invalid HA", [6] = "Invalid DH", [7] = "Invalid ID", [8] = "Invalid Cert", [9] = "Invalid SP",
    [10] = "Invalid SPpar", [11] = "Invalid DT", [12] = "Unspecified error", [13] = "Unsupported message type",
    [14] = "Invalid TICKET", [15] = "Invalid TPpar",
}
-- SRTP policy parameters (RFC 3830 §6.10.1). Types 14-19 are not named here: their meaning is not confirmed (docs/profile.md).
local SRTP_PARAM = {
    [0] = "Encryption algorithm", [1] = "Session encr. key length", [2] = "Authentication algorithm",
    [3] = "Session auth. key length", [4] = "Session salt key length", [5] = "SRTP PRF", [6] = "Key derivation rate",
    [7] = "SRTP encryption", [8] = "SRTCP encryption", [9] = "Sender's FEC order", [10] = "SRTP authentication",
    [11] = "Authentication tag length", [12] = "SRTP prefix length", [13] = "ROC transmission rate",
    [20] = "AEAD authentication tag length",
}
local SRTP_ENCR = { [0] = "NULL", [1] = "AES-CM", [2] = "AES-F8", [3] = "SEED-CTR", [4] = "SEED-CCM",
    [5] = "SEED-GCM", [6] = "AES-GCM" }
local SRTP_AUTH = { [0] = "NULL", [1] = "HMAC-SHA-1", [2] = "RCCm1", [3] = "RCCm2", [4] = "RCCm3" }
local SRTP_PRF = { [0] = "AES-CM", [1] = "SEED-CTR" }
local OFF_ON = { [0] = "Off", [1] = "On" }
local FEC_ORDER = { [0] = "FEC-SRTP" }

---------------------------------------------------------------------------------------------------------------------
-- Fields
---------------------------------------------------------------------------------------------------------------------
local f = {}
local function none(abbr, name) f[abbr] = ProtoField.none("mikeyticket." .. abbr, name) end
local function u8(abbr, name, vs, mask, b) f[abbr] = ProtoField.uint8("mikeyticket." .. abbr, name, b or base.DEC, vs, mask) end
local function u16(abbr, name, vs, mask, b) f[abbr] = ProtoField.uint16("mikeyticket." .. abbr, name, b or base.DEC, vs, mask) end
local function u32(abbr, name, b) f[abbr] = ProtoField.uint32("mikeyticket." .. abbr, name, b or base.DEC) end
local function bytes(abbr, name) f[abbr] = ProtoField.bytes("mikeyticket." .. abbr, name) end
local function str(abbr, name) f[abbr] = ProtoField.string("mikeyticket." .. abbr, name) end
local function flag(abbr, name, bits, mask) f[abbr] = ProtoField.bool("mikeyticket." .. abbr, name, bits, nil, mask) end
local function time(abbr, name) f[abbr] = ProtoField.absolute_time("mikeyticket." .. abbr, name, base.UTC) end

-- HDR and CS ID maps
none("hdr", "Common Header (HDR)")
u8("hdr.version", "Version")
u8("hdr.data_type", "Data type", DATA_TYPE)
u8("hdr.next_payload", "Next payload", PAYLOAD)
flag("hdr.v", "V (response expected)", 8, 0x80)
u8("hdr.prf_func", "PRF func", PRF_FUNC, 0x7f)
u32("hdr.csb_id", "CSB ID", base.HEX)
u8("hdr.cs_count", "#CS")
u8("hdr.cs_id_map_type", "CS ID map type", MAP_TYPE)
none("srtp_id", "SRTP-ID crypto session")
u8("srtp_id.policy_no", "Policy no")
u32("srtp_id.ssrc", "SSRC", base.HEX)
u32("srtp_id.roc", "ROC")
none("gid", "GENERIC-ID crypto session")
u8("gid.cs_id", "CS ID")
u8("gid.prot_type", "Prot type", PROT_TYPE)
flag("gid.s", "S (ROC and SEQ present)", 8, 0x80)
u8("gid.num_policies", "#P", nil, 0x7f)
u8("gid.policy_no", "Policy no")
u16("gid.session_data_len", "Session Data length")
bytes("gid.session_data", "Session Data")
u32("gid.ssrc", "SSRC", base.HEX)
u32("gid.roc", "ROC")
u16("gid.seq", "SEQ")
u8("gid.spi_len", "SPI length")
bytes("gid.spi", "SPI")
bytes("map_info", "CS ID map info (not decoded)")

-- common to payloads
u8("next_payload", "Next payload", PAYLOAD)
u8("first_payload", "First payload", PAYLOAD)
bytes("undecoded", "Undecoded bytes")

-- KEMAC (1) and Key data (20)
none("kemac", "Key data transport (KEMAC)")
u8("kemac.encr_alg", "Encr alg", ENCR_ALG)
u16("kemac.encr_data_len", "Encr data length")
bytes("kemac.encr_data", "Encr data")
u8("kemac.mac_alg", "MAC alg", MAC_ALG)
bytes("kemac.mac", "MAC")
none("key", "Key data sub-payload")
u8("key.type", "Type", KEY_TYPE, 0xf0)
u8("key.kv", "KV", KV_TYPE, 0x0f)
u16("key.data_len", "Key data length")
bytes("key.data", "Key data")
u16("key.salt_len", "Salt length")
bytes("key.salt", "Salt")
u8("key.spi_len", "SPI/MKI length")
bytes("key.spi", "SPI/MKI")
u8("key.vf_len", "Valid From length")
bytes("key.vf", "Valid From")
u8("key.vt_len", "Valid To length")
bytes("key.vt", "Valid To")

-- PKE (2), DH (3), SIGN (4)
none("pke", "Envelope data (PKE)")
u16("pke.c", "C (cache)", PKE_C, 0xc000)
u16("pke.data_len", "Data length", nil, 0x3fff)
bytes("pke.data", "Data")
none("dh", "DH data (DH)")
u8("dh.group", "DH-Group", DH_GROUP)
bytes("dh.value", "DH-value")
u8("dh.reserved", "Reserved", nil, 0xf0)
u8("dh.kv", "KV", KV_TYPE, 0x0f)
none("sign", "Signature (SIGN)")
u16("sign.s_type", "S type", S_TYPE, 0xf000)
u16("sign.len", "Signature length", nil, 0x0fff)
bytes("sign.data", "Signature")

-- T (5), TR (13)
none("t", "Timestamp (T)")
u8("t.ts_type", "TS type", TS_TYPE)
bytes("t.ts_value", "TS value")
time("t.ntp", "NTP time")
u32("t.counter", "Counter")
none("tr", "Timestamp with role (TR)")
u8("tr.role", "TS role", TR_ROLE)
u8("tr.ts_type", "TS type", TS_TYPE)
bytes("tr.ts_value", "TS value")
time("tr.ntp", "NTP time")
u32("tr.seconds", "Interval (seconds)")
u32("tr.counter", "Counter")

-- ID (6), CERT (7), CHASH (8), IDR (14)
none("id", "Identity (ID)")
u8("id.type", "ID type", ID_TYPE)
u16("id.len", "ID length")
str("id.id", "ID")
bytes("id.id_bytes", "ID (bytes)")
none("cert", "Certificate (CERT)")
u8("cert.type", "Cert type", CERT_TYPE)
u16("cert.len", "Cert length")
bytes("cert.data", "Certificate")
none("chash", "Cert hash (CHASH)")
u8("chash.hash_func", "Hash func", HASH_FUNC)
bytes("chash.hash", "Hash")
none("idr", "Identity with role (IDR)")
u8("idr.role", "ID role", ID_ROLE)
u8("idr.id_type", "ID type", ID_TYPE)
u16("idr.id_len", "ID length")
str("idr.id", "ID")
bytes("idr.id_bytes", "ID (bytes)")

-- V (9), SP (10), RAND (11), ERR (12), RANDR (15)
none("v", "Verification (V)")
u8("v.auth_alg", "Auth alg", MAC_ALG)
bytes("v.mac", "Verification data (MAC)")
none("sp", "Security policy (SP)")
u8("sp.policy_no", "Policy no")
u8("sp.prot_type", "Prot type", PROT_TYPE)
u16("sp.param_len", "Policy param length")
none("sp.param", "Policy param")
u8("sp.param.type", "Type")
u8("sp.param.len", "Length")
bytes("sp.param.value", "Value")
u8("sp.srtp.encr_alg", "Encryption algorithm", SRTP_ENCR)
u8("sp.srtp.encr_key_len", "Session encr. key length")
u8("sp.srtp.auth_alg", "Authentication algorithm", SRTP_AUTH)
u8("sp.srtp.auth_key_len", "Session auth. key length")
u8("sp.srtp.salt_key_len", "Session salt key length")
u8("sp.srtp.prf", "SRTP PRF", SRTP_PRF)
u8("sp.srtp.kdr", "Key derivation rate")
u8("sp.srtp.srtp_encr", "SRTP encryption", OFF_ON)
u8("sp.srtp.srtcp_encr", "SRTCP encryption", OFF_ON)
u8("sp.srtp.fec_order", "Sender's FEC order", FEC_ORDER)
u8("sp.srtp.srtp_auth", "SRTP authentication", OFF_ON)
u8("sp.srtp.auth_tag_len", "Authentication tag length")
u8("sp.srtp.prefix_len", "SRTP prefix length")
u16("sp.srtp.roc_rate", "ROC transmission rate")
u8("sp.srtp.aead_tag_len", "AEAD authentication tag length")
none("rand", "RAND")
u8("rand.len", "RAND length")
bytes("rand.data", "RAND")
none("err", "Error (ERR)")
u8("err.no", "Error no", ERROR_NO)
u16("err.reserved", "Reserved")
none("randr", "RAND with role (RANDR)")
u8("randr.role", "RAND role", RAND_ROLE)
u8("randr.len", "RAND length")
bytes("randr.data", "RAND")

-- TP (16), TICKET (17), base ticket (RFC 6043 App. A), Initiator Data
none("tp", "Ticket policy (TP)")
none("ticket", "Ticket (TICKET)")
u16("tp.ticket_type", "Ticket type", TICKET_TYPE)
u8("tp.subtype", "Subtype")
u8("tp.version", "Version")
u8("tp.prf_func", "PRF func (key forking)", PRF_FUNC, 0xfe)
flag("tp.flags.d", "D: ticket created by the KMS", 8, 0x01)
flag("tp.flags.e", "E: Ticket Resolve mandatory", 8, 0x80)
flag("tp.flags.f", "F: TRANSFER_RESP shall be sent", 8, 0x40)
flag("tp.flags.g", "G: Responder shall generate RANDRr", 8, 0x20)
flag("tp.flags.h", "H: RANDRi used in TGK->TEK derivation", 8, 0x10)
flag("tp.flags.i", "I: key forking", 8, 0x08)
flag("tp.flags.j", "J: ticket may be reused", 8, 0x04)
flag("tp.flags.k", "K: KMS changed the policy or KEMAC", 8, 0x02)
flag("tp.flags.l", "L: Initiator may supply session keys", 8, 0x01)
flag("tp.flags.m", "M: Responder may supply session keys", 8, 0x80)
flag("tp.flags.n", "N: Initiator can use the ticket without processing", 8, 0x40)
flag("tp.flags.o", "O: Responder can process the ticket without processing", 8, 0x20)
u8("tp.reserved", "Reserved", nil, 0x1f)
u16("tp.data_len", "TP Data length")
none("tp.data", "TP Data")
u16("ticket.data_len", "Ticket Data length")
none("ticket.ticket_data", "Ticket Data")
bytes("ticket.ticket_data_bytes", "Ticket Data (not a MIKEY base ticket)")
u16("ticket.initiator_data_len", "Initiator Data length")
none("ticket.initiator_data", "Initiator Data")
none("thdr", "Ticket header (THDR)")
u16("thdr.data_len", "THDR Data length")
bytes("thdr.data", "THDR Data")

-- General Extension (21), SAKKE (26)
none("ext", "General Extension")
u8("ext.type", "Type", EXT_TYPE)
u16("ext.len", "Length")
bytes("ext.data", "Data")
str("ext.sdp_ids", "SDP IDs (RFC 4567)")
none("sakke", "SAKKE encapsulated data")
u8("sakke.params", "SAKKE params")
u8("sakke.id_scheme", "ID scheme")
u16("sakke.len", "SAKKE data length")
bytes("sakke.data", "SAKKE data")

local field_list = {}
for _, v in pairs(f) do field_list[#field_list + 1] = v end
p.fields = field_list

local ef_malformed = ProtoExpert.new("mikeyticket.malformed", "Malformed MIKEY message", expert.group.MALFORMED,
    expert.severity.ERROR)
local ef_unknown = ProtoExpert.new("mikeyticket.unknown_payload", "Payload type not decoded here",
    expert.group.UNDECODED, expert.severity.WARN)
p.experts = { ef_malformed, ef_unknown }

local pref_port = 2269
p.prefs.udp_port = Pref.uint("UDP port", pref_port, "UDP port of MIKEY messages (IANA: 2269)")

---------------------------------------------------------------------------------------------------------------------
-- Helpers
---------------------------------------------------------------------------------------------------------------------
local band, rshift = bit32.band, bit32.rshift
local MAX_DEPTH = 8

-- A malformed message raises this table; p.dissector turns it into an expert item.
local function malformed(off, msg) error({ mikey_malformed = true, off = off, msg = msg }, 0) end

-- Reader over tvb[off, limit): every read is checked against limit first.
local function need(c, n, what)
    if n < 0 or c.off + n > c.limit then
        malformed(c.off, string.format("%s: %d bytes needed at offset %d, %d left", what, n, c.off, c.limit - c.off))
    end
end
local function range(c, n, what)
    need(c, n, what)
    local r = c.tvb(c.off, n)
    c.off = c.off + n
    return r
end
local function add(tree, field, c, n, what)
    need(c, n, what)
    local r = c.tvb(c.off, n)
    local item = tree:add(field, r)
    c.off = c.off + n
    return item, r
end
local function name_of(t, v) return t[v] or ("Unknown (" .. v .. ")") end

-- NTP (RFC 5905) seconds + fraction to NSTime; era rule of RFC 4330 §3 (MSB 0 means 2036-2104).
-- Nanoseconds = floor(frac * 10^9 / 2^32), computed exactly: frac * 10^9 needs 62 bits, more than a double holds.
local function ntp_time(secs, frac)
    local unix = secs - 2208988800
    if secs < 0x80000000 then unix = unix + 4294967296 end
    local a, b = rshift(frac, 16) * 1000000000, band(frac, 0xffff) * 1000000000 -- both < 2^53
    local nanos = math.floor(a / 65536) + math.floor(((a % 65536) * 65536 + b) / 4294967296)
    return NSTime.new(unix, nanos)
end

-- Adds the TS value of a T or TR payload: NTP-UTC/NTP (64 bit), COUNTER (32 bit), NTP-UTC-32 (seconds).
local function add_ts(tree, c, ts_type, prefix, role)
    local len = TS_LEN[ts_type]
    if not len then malformed(c.off, "unknown TS type " .. ts_type) end
    local r = range(c, len, "TS value")
    tree:add(f[prefix .. ".ts_value"], r)
    if ts_type == 2 then
        tree:add(f[prefix .. ".counter"], r)
        return "counter " .. r:uint()
    elseif prefix == "tr" and role == 4 then
        tree:add(f["tr.seconds"], r(0, 4))
        return r(0, 4):uint() .. " s"
    else
        local secs, frac = r(0, 4):uint(), (len == 8) and r(4, 4):uint() or 0
        local t = ntp_time(secs, frac)
        tree:add(f[prefix .. ".ntp"], r, t)
        local text = format_date(t.secs)
        return (text:gsub("%.000000000", string.format(".%09d", t.nsecs), 1))
    end
end

local dissect_chain -- forward

---------------------------------------------------------------------------------------------------------------------
-- Payloads. Each takes (c, tree, ctx) with c.off at its first byte (the Next payload byte; SIGN: the S type) and
-- returns the type of the following payload.
---------------------------------------------------------------------------------------------------------------------
local function kv_data(c, tree, kv, start)
    if kv == 1 then
        need(c, 1, "SPI length")
        local n = c.tvb(c.off, 1):uint()
        add(tree, f["key.spi_len"], c, 1, "SPI length")
        if n > 0 then add(tree, f["key.spi"], c, n, "SPI") end
    elseif kv == 2 then
        need(c, 1, "VF length")
        local n = c.tvb(c.off, 1):uint()
        add(tree, f["key.vf_len"], c, 1, "VF length")
        if n > 0 then add(tree, f["key.vf"], c, n, "Valid From") end
        need(c, 1, "VT length")
        n = c.tvb(c.off, 1):uint()
        add(tree, f["key.vt_len"], c, 1, "VT length")
        if n > 0 then add(tree, f["key.vt"], c, n, "Valid To") end
    elseif kv ~= 0 then
        malformed(start, "unknown KV type " .. kv)
    end
end

-- Key data sub-payloads (RFC 3830 §6.13) of a NULL-encrypted KEMAC: linked by Next payload 20, the last with 0.
local function key_data_chain(c, tree)
    local nxt = 20
    while nxt == 20 do
        local start = c.off
        need(c, 4, "Key data")
        local sub = tree:add(f["key"], c.tvb(c.off, 1))
        nxt = c.tvb(c.off, 1):uint(); add(sub, f["next_payload"], c, 1, "Key data")
        local tk = c.tvb(c.off, 1):uint()
        local ktype, kv = rshift(tk, 4), band(tk, 0x0f)
        sub:add(f["key.type"], c.tvb(c.off, 1)); add(sub, f["key.kv"], c, 1, "Type/KV")
        local klen = c.tvb(c.off, 2):uint(); add(sub, f["key.data_len"], c, 2, "Key data length")
        if klen > 0 then add(sub, f["key.data"], c, klen, "Key data") end
        if ktype == 1 or ktype == 3 or ktype == 5 then
            need(c, 2, "Salt length")
            local slen = c.tvb(c.off, 2):uint(); add(sub, f["key.salt_len"], c, 2, "Salt length")
            if slen > 0 then add(sub, f["key.salt"], c, slen, "Salt") end
        end
        kv_data(c, sub, kv, start + 1)
        sub:set_len(c.off - start)
        sub:append_text(": " .. name_of(KEY_TYPE, ktype) .. ", KV " .. name_of(KV_TYPE, kv))
        if nxt ~= 0 and nxt ~= 20 then malformed(start, "Key data Next payload " .. nxt .. " (only 20 or 0)") end
    end
    if c.off ~= c.limit then malformed(c.off, "bytes after the last Key data sub-payload") end
end

local PAYLOADS = {}

PAYLOADS[1] = function(c, tree) -- KEMAC (RFC 3830 §6.2)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "KEMAC")
    need(c, 3, "KEMAC")
    local encr = c.tvb(c.off, 1):uint(); add(tree, f["kemac.encr_alg"], c, 1, "Encr alg")
    local len = c.tvb(c.off, 2):uint(); add(tree, f["kemac.encr_data_len"], c, 2, "Encr data len")
    if len > 0 then
        local item, r = add(tree, f["kemac.encr_data"], c, len, "Encr data")
        if encr == 0 then -- NULL encryption: the Key data chain is in the clear
            local sub = { tvb = c.tvb, off = r:offset(), limit = r:offset() + len }
            key_data_chain(sub, item)
        end
    end
    need(c, 1, "MAC alg")
    local mac = c.tvb(c.off, 1):uint(); add(tree, f["kemac.mac_alg"], c, 1, "MAC alg")
    local mlen = MAC_LEN[mac]
    if not mlen then malformed(c.off - 1, "unknown MAC alg " .. mac) end
    if mlen > 0 then add(tree, f["kemac.mac"], c, mlen, "MAC") end
    tree:append_text(": " .. name_of(ENCR_ALG, encr) .. ", " .. name_of(MAC_ALG, mac))
    return nxt
end

PAYLOADS[2] = function(c, tree) -- PKE (RFC 3830 §6.3)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "PKE")
    need(c, 2, "PKE")
    local len = band(c.tvb(c.off, 2):uint(), 0x3fff)
    tree:add(f["pke.c"], c.tvb(c.off, 2)); add(tree, f["pke.data_len"], c, 2, "PKE")
    if len > 0 then add(tree, f["pke.data"], c, len, "PKE data") end
    return nxt
end

PAYLOADS[3] = function(c, tree) -- DH (RFC 3830 §6.4)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "DH")
    need(c, 1, "DH-Group")
    local g = c.tvb(c.off, 1):uint(); add(tree, f["dh.group"], c, 1, "DH-Group")
    local len = DH_LEN[g]
    if not len then malformed(c.off - 1, "unknown DH group " .. g) end
    add(tree, f["dh.value"], c, len, "DH-value")
    need(c, 1, "DH KV")
    local start, kv = c.off, band(c.tvb(c.off, 1):uint(), 0x0f)
    tree:add(f["dh.reserved"], c.tvb(c.off, 1)); add(tree, f["dh.kv"], c, 1, "DH KV")
    kv_data(c, tree, kv, start)
    return nxt
end

PAYLOADS[4] = function(c, tree) -- SIGN (RFC 3830 §6.5): no Next payload, always last
    need(c, 2, "SIGN")
    local len = band(c.tvb(c.off, 2):uint(), 0x0fff)
    tree:add(f["sign.s_type"], c.tvb(c.off, 2)); add(tree, f["sign.len"], c, 2, "SIGN")
    if len > 0 then add(tree, f["sign.data"], c, len, "Signature") end
    return 0
end

PAYLOADS[5] = function(c, tree) -- T (RFC 3830 §6.6, RFC 6043 §6.6 adds NTP-UTC-32)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "T")
    need(c, 1, "TS type")
    local ts = c.tvb(c.off, 1):uint(); add(tree, f["t.ts_type"], c, 1, "TS type")
    local shown = add_ts(tree, c, ts, "t")
    tree:append_text(": " .. name_of(TS_TYPE, ts) .. " " .. shown)
    return nxt
end

local function id_data(c, tree, prefix, typ, len)
    if len == 0 then return "" end
    need(c, len, "ID data")
    local r = c.tvb(c.off, len)
    c.off = c.off + len
    if typ == 2 then -- byte string (e.g. an IDRpsk key name): hex, and the text if it is printable ASCII
        tree:add(f[prefix .. "_bytes"], r)
        local hex, s = string.lower(tostring(r:bytes())), r:raw()
        return s:find("^[%w%p ]+$") and (hex .. ' "' .. s .. '"') or hex
    end
    -- add_packet_field lets Wireshark check the UTF-8 (invalid sequences are shown as U+FFFD, never raw)
    local item = tree:add_packet_field(f[prefix], r, ENC_UTF_8)
    -- the summary repeats the value as Wireshark shows it (sanitized), never the raw bytes
    return item.text and item.text:match("^ID: (.*)$") or string.lower(tostring(r:bytes()))
end

PAYLOADS[6] = function(c, tree) -- ID (RFC 3830 §6.7)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "ID")
    need(c, 3, "ID")
    local typ = c.tvb(c.off, 1):uint(); add(tree, f["id.type"], c, 1, "ID type")
    local len = c.tvb(c.off, 2):uint(); add(tree, f["id.len"], c, 2, "ID len")
    local shown = id_data(c, tree, "id.id", typ, len)
    tree:append_text(": " .. name_of(ID_TYPE, typ) .. " " .. shown)
    return nxt
end

PAYLOADS[7] = function(c, tree) -- CERT (RFC 3830 §6.7)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "CERT")
    need(c, 3, "CERT")
    add(tree, f["cert.type"], c, 1, "Cert type")
    local len = c.tvb(c.off, 2):uint(); add(tree, f["cert.len"], c, 2, "Cert len")
    if len > 0 then add(tree, f["cert.data"], c, len, "Certificate") end
    return nxt
end

PAYLOADS[8] = function(c, tree) -- CHASH (RFC 3830 §6.8)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "CHASH")
    need(c, 1, "Hash func")
    local h = c.tvb(c.off, 1):uint(); add(tree, f["chash.hash_func"], c, 1, "Hash func")
    local len = HASH_LEN[h]
    if not len then malformed(c.off - 1, "unknown hash func " .. h) end
    add(tree, f["chash.hash"], c, len, "Hash")
    return nxt
end

PAYLOADS[9] = function(c, tree) -- V (RFC 3830 §6.9)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "V")
    need(c, 1, "Auth alg")
    local a = c.tvb(c.off, 1):uint(); add(tree, f["v.auth_alg"], c, 1, "Auth alg")
    local len = MAC_LEN[a]
    if not len then malformed(c.off - 1, "unknown auth alg " .. a) end
    if len > 0 then add(tree, f["v.mac"], c, len, "Verification data") end
    tree:append_text(": " .. name_of(MAC_ALG, a))
    return nxt
end

local SRTP_FIELD = { [0] = "encr_alg", [1] = "encr_key_len", [2] = "auth_alg", [3] = "auth_key_len",
    [4] = "salt_key_len", [5] = "prf", [6] = "kdr", [7] = "srtp_encr", [8] = "srtcp_encr", [9] = "fec_order",
    [10] = "srtp_auth", [11] = "auth_tag_len", [12] = "prefix_len", [13] = "roc_rate", [20] = "aead_tag_len" }

local SRTP_VALS = { [0] = SRTP_ENCR, [2] = SRTP_AUTH, [5] = SRTP_PRF, [7] = OFF_ON, [8] = OFF_ON, [9] = FEC_ORDER,
    [10] = OFF_ON }

PAYLOADS[10] = function(c, tree) -- SP (RFC 3830 §6.10) with the SRTP parameters named (§6.10.1)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "SP")
    need(c, 4, "SP")
    local no = c.tvb(c.off, 1):uint(); add(tree, f["sp.policy_no"], c, 1, "Policy no")
    local prot = c.tvb(c.off, 1):uint(); add(tree, f["sp.prot_type"], c, 1, "Prot type")
    local len = c.tvb(c.off, 2):uint(); add(tree, f["sp.param_len"], c, 2, "Policy param length")
    need(c, len, "Policy params")
    local pc = { tvb = c.tvb, off = c.off, limit = c.off + len }
    c.off = c.off + len
    while pc.off < pc.limit do
        local start = pc.off
        local sub = tree:add(f["sp.param"], pc.tvb(pc.off, 1))
        need(pc, 2, "Policy param")
        local typ = pc.tvb(pc.off, 1):uint(); add(sub, f["sp.param.type"], pc, 1, "Type")
        local plen = pc.tvb(pc.off, 1):uint(); add(sub, f["sp.param.len"], pc, 1, "Length")
        local r = nil
        if plen > 0 then r = select(2, add(sub, f["sp.param.value"], pc, plen, "Value")) end
        local fname = prot == 0 and SRTP_FIELD[typ]
        if fname and r and plen == (fname == "roc_rate" and 2 or 1) then
            sub:add(f["sp.srtp." .. fname], r)
            local v = r:uint()
            local vals = SRTP_VALS[typ]
            sub:append_text(": " .. SRTP_PARAM[typ] .. " = " .. (vals and (name_of(vals, v) .. " (" .. v .. ")") or v))
        else
            local label = prot == 0 and SRTP_PARAM[typ] or ("Type " .. typ)
            sub:append_text(": " .. label .. (r and (" = " .. string.lower(tostring(r:bytes()))) or " (empty)"))
        end
        sub:set_len(pc.off - start)
    end
    tree:append_text(": policy " .. no .. ", " .. name_of(PROT_TYPE, prot))
    return nxt
end

PAYLOADS[11] = function(c, tree) -- RAND (RFC 3830 §6.11)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "RAND")
    need(c, 1, "RAND len")
    local len = c.tvb(c.off, 1):uint(); add(tree, f["rand.len"], c, 1, "RAND len")
    if len > 0 then add(tree, f["rand.data"], c, len, "RAND") end
    tree:append_text(": " .. len .. " bytes")
    return nxt
end

PAYLOADS[12] = function(c, tree) -- ERR (RFC 3830 §6.12)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "ERR")
    need(c, 3, "ERR")
    local no = c.tvb(c.off, 1):uint(); add(tree, f["err.no"], c, 1, "Error no")
    add(tree, f["err.reserved"], c, 2, "Reserved")
    tree:append_text(": " .. name_of(ERROR_NO, no) .. " (" .. no .. ")")
    return nxt
end

PAYLOADS[13] = function(c, tree) -- TR (RFC 6043 §6.4)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "TR")
    need(c, 2, "TR")
    local role = c.tvb(c.off, 1):uint(); add(tree, f["tr.role"], c, 1, "TS role")
    local ts = c.tvb(c.off, 1):uint(); add(tree, f["tr.ts_type"], c, 1, "TS type")
    local shown = add_ts(tree, c, ts, "tr", role)
    tree:append_text(": " .. name_of(TR_ROLE, role) .. ", " .. name_of(TS_TYPE, ts) .. " " .. shown)
    return nxt
end

PAYLOADS[14] = function(c, tree) -- IDR (RFC 6043 §6.6)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "IDR")
    need(c, 4, "IDR")
    local role = c.tvb(c.off, 1):uint(); add(tree, f["idr.role"], c, 1, "ID role")
    local typ = c.tvb(c.off, 1):uint(); add(tree, f["idr.id_type"], c, 1, "ID type")
    local len = c.tvb(c.off, 2):uint(); add(tree, f["idr.id_len"], c, 2, "ID len")
    local shown = id_data(c, tree, "idr.id", typ, len)
    tree:append_text(": " .. name_of(ID_ROLE, role) .. ", " .. name_of(ID_TYPE, typ) .. " " .. shown)
    return nxt
end

PAYLOADS[15] = function(c, tree) -- RANDR (RFC 6043 §6.8)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "RANDR")
    need(c, 2, "RANDR")
    local role = c.tvb(c.off, 1):uint(); add(tree, f["randr.role"], c, 1, "RAND role")
    local len = c.tvb(c.off, 1):uint(); add(tree, f["randr.len"], c, 1, "RAND len")
    if len > 0 then add(tree, f["randr.data"], c, len, "RAND") end
    tree:append_text(": " .. name_of(RAND_ROLE, role) .. ", " .. len .. " bytes")
    return nxt
end

-- "First payload || chain" of TP Data and Initiator Data (RFC 6043 §6.10); an empty field has no first byte.
local function prefixed_chain(c, tree, ctx, len, what)
    if len == 0 then return end
    local sub = { tvb = c.tvb, off = c.off, limit = c.off + len }
    local first = sub.tvb(sub.off, 1):uint()
    add(tree, f["first_payload"], sub, 1, what)
    dissect_chain(sub, tree, first, ctx)
    if sub.off ~= sub.limit then malformed(sub.off, what .. ": bytes after the last payload") end
    c.off = c.off + len
end

-- TP fields shared by TP and TICKET; returns the ticket type.
local function policy_fields(c, tree, ctx)
    need(c, 9, "ticket policy")
    local ttype = c.tvb(c.off, 2):uint(); add(tree, f["tp.ticket_type"], c, 2, "Ticket type")
    add(tree, f["tp.subtype"], c, 1, "Subtype")
    add(tree, f["tp.version"], c, 1, "Version")
    local b5, b6, b7 = c.tvb(c.off, 1), c.tvb(c.off + 1, 1), c.tvb(c.off + 2, 1)
    tree:add(f["tp.prf_func"], b5)
    tree:add(f["tp.flags.d"], b5)
    for _, x in ipairs({ "e", "f", "g", "h", "i", "j", "k", "l" }) do tree:add(f["tp.flags." .. x], b6) end
    for _, x in ipairs({ "m", "n", "o" }) do tree:add(f["tp.flags." .. x], b7) end
    tree:add(f["tp.reserved"], b7)
    c.off = c.off + 3
    local flags = ""
    local letters = { { b5, 0x01, "D" }, { b6, 0x80, "E" }, { b6, 0x40, "F" }, { b6, 0x20, "G" }, { b6, 0x10, "H" },
        { b6, 0x08, "I" }, { b6, 0x04, "J" }, { b6, 0x02, "K" }, { b6, 0x01, "L" }, { b7, 0x80, "M" },
        { b7, 0x40, "N" }, { b7, 0x20, "O" } }
    for _, l in ipairs(letters) do
        if band(l[1]:uint(), l[2]) ~= 0 then flags = flags .. l[3] end
    end
    need(c, 2, "TP Data length")
    local len = c.tvb(c.off, 2):uint(); add(tree, f["tp.data_len"], c, 2, "TP Data length")
    if len > 0 then
        need(c, len, "TP Data")
        local sub = tree:add(f["tp.data"], c.tvb(c.off, len))
        prefixed_chain(c, sub, ctx, len, "TP Data")
    end
    tree:append_text(": " .. name_of(TICKET_TYPE, ttype) .. ", flags " .. (flags == "" and "none" or flags))
    return ttype
end

PAYLOADS[16] = function(c, tree, ctx) -- TP (RFC 6043 §6.10)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "TP")
    policy_fields(c, tree, ctx)
    return nxt
end

-- MIKEY base ticket Ticket Data (RFC 6043 App. A): THDR (implicit first element, no payload number), then
-- the chain T, RAND, KEMAC, [IDRpsk], V that THDR's Next payload starts.
local function base_ticket(c, tree, ctx)
    local start = c.off
    local th = tree:add(f["thdr"], c.tvb(c.off, 1))
    local nxt = c.tvb(c.off, 1):uint(); add(th, f["next_payload"], c, 1, "THDR")
    need(c, 2, "THDR Data length")
    local len = c.tvb(c.off, 2):uint(); add(th, f["thdr.data_len"], c, 2, "THDR Data length")
    if len > 0 then add(th, f["thdr.data"], c, len, "THDR Data") end
    th:set_len(c.off - start)
    dissect_chain(c, tree, nxt, ctx)
end

PAYLOADS[17] = function(c, tree, ctx) -- TICKET (RFC 6043 §6.10)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "TICKET")
    local ttype = policy_fields(c, tree, ctx)
    need(c, 2, "Ticket Data length")
    local len = c.tvb(c.off, 2):uint(); add(tree, f["ticket.data_len"], c, 2, "Ticket Data length")
    if len > 0 then
        need(c, len, "Ticket Data")
        if ttype == 1 then
            local sub = tree:add(f["ticket.ticket_data"], c.tvb(c.off, len))
            local tc = { tvb = c.tvb, off = c.off, limit = c.off + len }
            base_ticket(tc, sub, ctx)
            if tc.off ~= tc.limit then malformed(tc.off, "Ticket Data: bytes after the last payload") end
            c.off = c.off + len
        else
            add(tree, f["ticket.ticket_data_bytes"], c, len, "Ticket Data")
        end
    end
    need(c, 2, "Initiator Data length")
    local ilen = c.tvb(c.off, 2):uint(); add(tree, f["ticket.initiator_data_len"], c, 2, "Initiator Data length")
    if ilen > 0 then
        need(c, ilen, "Initiator Data")
        local sub = tree:add(f["ticket.initiator_data"], c.tvb(c.off, ilen))
        prefixed_chain(c, sub, ctx, ilen, "Initiator Data")
    end
    return nxt
end

PAYLOADS[21] = function(c, tree) -- General Extension (RFC 3830 §6.15)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "General Extension")
    need(c, 3, "General Extension")
    local typ = c.tvb(c.off, 1):uint(); add(tree, f["ext.type"], c, 1, "Type")
    local len = c.tvb(c.off, 2):uint(); add(tree, f["ext.len"], c, 2, "Length")
    if len > 0 then
        local _, r = add(tree, f["ext.data"], c, len, "Data")
        if typ == 1 then tree:add_packet_field(f["ext.sdp_ids"], r, ENC_UTF_8) end
    end
    tree:append_text(": " .. name_of(EXT_TYPE, typ))
    return nxt
end

PAYLOADS[26] = function(c, tree) -- SAKKE (RFC 6509 §4.2)
    local nxt = c.tvb(c.off, 1):uint(); add(tree, f["next_payload"], c, 1, "SAKKE")
    need(c, 4, "SAKKE")
    add(tree, f["sakke.params"], c, 1, "SAKKE params")
    add(tree, f["sakke.id_scheme"], c, 1, "ID scheme")
    local len = c.tvb(c.off, 2):uint(); add(tree, f["sakke.len"], c, 2, "SAKKE data length")
    if len > 0 then add(tree, f["sakke.data"], c, len, "SAKKE data") end
    return nxt
end

local SUBTREE = { [1] = "kemac", [2] = "pke", [3] = "dh", [4] = "sign", [5] = "t", [6] = "id", [7] = "cert",
    [8] = "chash", [9] = "v", [10] = "sp", [11] = "rand", [12] = "err", [13] = "tr", [14] = "idr", [15] = "randr",
    [16] = "tp", [17] = "ticket", [21] = "ext", [26] = "sakke" }

-- Walks a payload chain starting with payload type 'first' until Next payload 0 (or SIGN).
dissect_chain = function(c, tree, first, ctx)
    ctx.depth = ctx.depth + 1
    if ctx.depth > MAX_DEPTH then malformed(c.off, "payloads nested deeper than " .. MAX_DEPTH) end
    local t = first
    while t ~= 0 do
        local fn = PAYLOADS[t]
        if not fn then
            local item = tree:add(f["undecoded"], c.tvb(c.off, c.limit - c.off))
            item:add_proto_expert_info(ef_unknown, "payload type " .. t .. " (" .. name_of(PAYLOAD, t) ..
                ") is not decoded here")
            c.off = c.limit
            break
        end
        need(c, 1, PAYLOAD[t] or "payload")
        local start = c.off
        local sub = tree:add(f[SUBTREE[t]], c.tvb(c.off, 1))
        local ok, res = pcall(fn, c, sub, ctx)
        if c.off > start then sub:set_len(c.off - start) end
        if not ok then error(res, 0) end
        t = res
    end
    ctx.depth = ctx.depth - 1
end

---------------------------------------------------------------------------------------------------------------------
-- HDR (RFC 3830 §6.1, RFC 6043 §6.1) with SRTP-ID, Empty and GENERIC-ID maps
---------------------------------------------------------------------------------------------------------------------
local function generic_id_map(c, tree, n)
    for _ = 1, n do
        local start = c.off
        need(c, 3, "GENERIC-ID entry")
        local sub = tree:add(f["gid"], c.tvb(c.off, 1))
        local cs = c.tvb(c.off, 1):uint(); add(sub, f["gid.cs_id"], c, 1, "CS ID")
        local prot = c.tvb(c.off, 1):uint(); add(sub, f["gid.prot_type"], c, 1, "Prot type")
        local sp = c.tvb(c.off, 1):uint()
        sub:add(f["gid.s"], c.tvb(c.off, 1)); add(sub, f["gid.num_policies"], c, 1, "S/#P")
        local np = band(sp, 0x7f)
        for _ = 1, np do add(sub, f["gid.policy_no"], c, 1, "Policy_no") end
        need(c, 2, "Session Data Length")
        local sdl = c.tvb(c.off, 2):uint(); add(sub, f["gid.session_data_len"], c, 2, "Session Data Length")
        local ssrc = ""
        if sdl > 0 then
            local item, r = add(sub, f["gid.session_data"], c, sdl, "Session Data")
            if prot == 0 and sdl >= 4 then -- SRTP Session Data = SSRC [ROC SEQ] (ROC, SEQ iff S = 1)
                item:add(f["gid.ssrc"], r(0, 4))
                ssrc = string.format(", SSRC 0x%08x", r(0, 4):uint())
                if band(sp, 0x80) ~= 0 and sdl >= 10 then
                    item:add(f["gid.roc"], r(4, 4))
                    item:add(f["gid.seq"], r(8, 2))
                end
            end
        end
        need(c, 1, "SPI Length")
        local spil = c.tvb(c.off, 1):uint(); add(sub, f["gid.spi_len"], c, 1, "SPI Length")
        if spil > 0 then add(sub, f["gid.spi"], c, spil, "SPI") end
        sub:set_len(c.off - start)
        sub:append_text(": CS " .. cs .. ", " .. name_of(PROT_TYPE, prot) .. ssrc)
    end
end

local function header(c, tree)
    local start = c.off
    need(c, 10, "HDR")
    local h = tree:add(f["hdr"], c.tvb(c.off, 10))
    add(h, f["hdr.version"], c, 1, "Version")
    local dt = c.tvb(c.off, 1):uint(); add(h, f["hdr.data_type"], c, 1, "Data type")
    local nxt = c.tvb(c.off, 1):uint(); add(h, f["hdr.next_payload"], c, 1, "Next payload")
    h:add(f["hdr.v"], c.tvb(c.off, 1)); add(h, f["hdr.prf_func"], c, 1, "V/PRF func")
    local csb = c.tvb(c.off, 4):uint(); add(h, f["hdr.csb_id"], c, 4, "CSB ID")
    local n = c.tvb(c.off, 1):uint(); add(h, f["hdr.cs_count"], c, 1, "#CS")
    local mt = c.tvb(c.off, 1):uint(); add(h, f["hdr.cs_id_map_type"], c, 1, "CS ID map type")
    if mt == 0 then
        for _ = 1, n do
            local s = c.off
            need(c, 9, "SRTP-ID entry")
            local sub = h:add(f["srtp_id"], c.tvb(c.off, 9))
            add(sub, f["srtp_id.policy_no"], c, 1, "Policy_no")
            add(sub, f["srtp_id.ssrc"], c, 4, "SSRC")
            add(sub, f["srtp_id.roc"], c, 4, "ROC")
            sub:append_text(string.format(": SSRC 0x%08x", c.tvb(s + 1, 4):uint()))
        end
    elseif mt == 2 then
        generic_id_map(c, h, n)
    elseif mt ~= 1 then
        malformed(c.off - 1, "unknown CS ID map type " .. mt .. " (map info not decoded)")
    end
    h:set_len(c.off - start)
    h:append_text(string.format(": %s, CSB ID 0x%08x, #CS %d, %s", name_of(DATA_TYPE, dt), csb, n,
        name_of(MAP_TYPE, mt)))
    return dt, nxt
end

---------------------------------------------------------------------------------------------------------------------
-- Entry points
---------------------------------------------------------------------------------------------------------------------
function p.dissector(tvb, pinfo, tree)
    local len = tvb:len()
    if len == 0 then return 0 end
    local proto_col = tostring(pinfo.cols.protocol)
    local top = proto_col == "UDP" or proto_col == "TCP" or proto_col == ""
    if top then
        pinfo.cols.protocol:set("MIKEY-TICKET")
    elseif not proto_col:find("MIKEY-TICKET", 1, true) then
        pinfo.cols.protocol:append("/MIKEY-TICKET")
    end
    local root = tree:add(p, tvb(0, len))
    local c = { tvb = tvb, off = 0, limit = len }
    local ctx = { depth = 0 }
    local dtname = "?"
    local ok, err = pcall(function()
        local dt, first = header(c, root)
        dtname = name_of(DATA_TYPE, dt)
        root:append_text(", " .. dtname)
        dissect_chain(c, root, first, ctx)
        if c.off < c.limit then malformed(c.off, (c.limit - c.off) .. " bytes after the last payload") end
    end)
    if top then
        pinfo.cols.info:set(dtname)
    elseif not tostring(pinfo.cols.info):find("MIKEY " .. dtname, 1, true) then
        pinfo.cols.info:append(" MIKEY " .. dtname)
    end
    if not ok then
        if type(err) == "table" and err.mikey_malformed then
            root:add_proto_expert_info(ef_malformed, err.msg)
            pinfo.cols.info:append(" [Malformed]")
        else
            error(err, 0)
        end
    end
    return len
end

local udp_table = DissectorTable.get("udp.port")
udp_table:add(pref_port, p)

function p.prefs_changed()
    if p.prefs.udp_port ~= pref_port then
        udp_table:remove(pref_port, p)
        pref_port = p.prefs.udp_port
        udp_table:add(pref_port, p)
    end
end

-- HTTP (and multipart) bodies "Content-Type: application/mikey": our KMS interface (docs/profile.md).
DissectorTable.get("media_type"):add("application/mikey", p)

-- SDP "a=key-mgmt:mikey <base64>" (RFC 4567): the SDP dissector base64-decodes and looks the protocol id up here.
local ok_sdp, key_mgmt = pcall(DissectorTable.get, "key_mgmt")
if ok_sdp and key_mgmt then key_mgmt:add("mikey", p) end
