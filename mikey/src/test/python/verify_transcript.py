#!/usr/bin/env python3
"""Independent check of a kmsconf MIKEY-TICKET transcript (mikey/src/test/resources/.../transcript-*.txt).

Written from RFC 3830, RFC 6043 and docs/profile.md alone (no code shared with the Java implementation): parses every message,
re-derives every key with the RFC 3830 PRF, verifies every MAC (RFC 6043 Table 5.2 coverage), decrypts every KEMAC
(AES-CM, IV from the carrying message's T), re-does the forking and the TEK derivation, and compares the SRTP
master keys and salts with the ones the Java side derived. A transcript of a leg to a focus also carries the
non-media keys of docs/profile.md's kmsconf extension ("key b0 ...", "key e0 ..."): K(cs) = PRF(TGK', TEK label
with CS ID cs), as long as the TGK, with CS 0xB0 / 0xE0 of Prot type 241 / 242 and no session data in both maps.

Usage: python3 verify_transcript.py TRANSCRIPT...      (needs the 'cryptography' package for AES)
Exit status 0 if every check passes; prints one line per check.
"""
import hashlib
import hmac
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

# ---- PRF (RFC 3830 §4.1.2) -----------------------------------------------------------------------------------

SETS = {  # name: (hash, block bytes, key bytes, mac bytes)
    "SET_128": (hashlib.sha1, 20, 16, 20),
    "SET_256": (hashlib.sha256, 32, 32, 32),
}


def p_func(h, s, label, m):
    out, a = b"", label
    for _ in range(m):
        a = hmac.new(s, a, h).digest()
        out += hmac.new(s, a + label, h).digest()
    return out


def prf(h, block, inkey, label, outlen):
    m = -(-outlen // block)
    acc = bytes(m * block)
    for i in range(0, len(inkey), 32):
        piece = p_func(h, inkey[i:i + 32], label, m)
        acc = bytes(x ^ y for x, y in zip(acc, piece))
    return acc[:outlen]


def lr(r):
    return bytes([len(r)]) + r if r else b"\x00"


def msg_label(c, csb, kind, ri, rr):
    return struct.pack(">IBIB", c, 0xFF, csb, kind) + lr(ri) + lr(rr)


ENCR, AUTH, SALT = 0x150533E1, 0x2D22AC75, 0x29B88916


# ---- parsing (RFC 3830 §6, RFC 6043 §6) ---------------------------------------------------------------------------

class Reader:
    def __init__(self, b, pos=0):
        self.b, self.pos = b, pos

    def take(self, n):
        if self.pos + n > len(self.b):
            raise ValueError("truncated")
        v = self.b[self.pos:self.pos + n]
        self.pos += n
        return v

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack(">H", self.take(2))[0]

    def u32(self):
        return struct.unpack(">I", self.take(4))[0]


MAC_LEN = {0: 0, 1: 20, 2: 32}
TS_LEN = {0: 8, 1: 8, 2: 4, 3: 4}


def parse_payload(t, r):
    """Returns (dict) for payload type t; r positioned after its Next payload byte."""
    start = r.pos
    if t == 5:  # T
        tt = r.u8()
        return {"type": "T", "ts": r.take(TS_LEN[tt]), "tstype": tt}
    if t == 13:  # TR
        role, tt = r.u8(), r.u8()
        return {"type": "TR", "role": role, "ts": r.take(TS_LEN[tt])}
    if t == 15:  # RANDR
        role = r.u8()
        return {"type": "RANDR", "role": role, "rand": r.take(r.u8())}
    if t == 11:  # RAND
        return {"type": "RAND", "rand": r.take(r.u8())}
    if t == 14:  # IDR
        role, idt = r.u8(), r.u8()
        return {"type": "IDR", "role": role, "data": r.take(r.u16())}
    if t == 9:  # V
        alg = r.u8()
        return {"type": "V", "alg": alg, "mac": r.take(MAC_LEN[alg])}
    if t == 1:  # KEMAC
        ea = r.u8()
        data = r.take(r.u16())
        ma = r.u8()
        return {"type": "KEMAC", "ea": ea, "data": data, "ma": ma, "mac": r.take(MAC_LEN[ma])}
    if t == 10:  # SP
        no, prot = r.u8(), r.u8()
        return {"type": "SP", "params": r.take(r.u16())}
    if t in (16, 17):  # TP / TICKET
        ttype, sub, ver, b5, b6, b7 = r.u16(), r.u8(), r.u8(), r.u8(), r.u8(), r.u8()
        tpd_len = r.u16()
        tpd_start = r.pos
        tpd = r.take(tpd_len)
        p = {"type": "TP" if t == 16 else "TICKET", "prf": b5 >> 1, "flags": (b5 & 1, b6, b7),
             "tpdata": parse_chain(Reader(tpd, 1), tpd[0]) if tpd else []}
        if t == 17:
            p["td"] = r.take(r.u16())
            p["id_len_offset"] = r.pos  # Initiator Data length field
            p["id"] = r.take(r.u16())
        return p
    raise ValueError("payload type %d not expected in a transcript" % t)


def parse_chain(r, first):
    out, t = [], first
    while t != 0:
        at = r.pos
        nxt = r.u8()
        p = parse_payload(t, r)
        p["start"], p["end"] = at, r.pos
        out.append(p)
        t = nxt
    return out


def parse_message(b):
    r = Reader(b)
    version, dtype, nxt, vprf, csb, ncs, maptype = r.u8(), r.u8(), r.u8(), r.u8(), r.u32(), r.u8(), r.u8()
    assert version == 1
    sessions = []
    if maptype == 2:
        for _ in range(ncs):
            cs, prot, sp = r.u8(), r.u8(), r.u8()
            pols = r.take(sp & 0x7F)
            sd = r.take(r.u16())
            spi = r.take(r.u8())
            sessions.append({"cs": cs, "prot": prot, "s": sp >> 7, "pols": pols, "sd": sd, "spi": spi})
    elif maptype != 1:
        raise ValueError("map type %d" % maptype)
    payloads = parse_chain(r, nxt)
    assert r.pos == len(b), "trailing bytes"
    return {"dtype": dtype, "v": vprf >> 7, "prf": vprf & 0x7F, "csb": csb, "sessions": sessions, "p": payloads}


def first(m, typ, role=None):
    for p in m["p"]:
        if p["type"] == typ and (role is None or p.get("role") == role):
            return p
    raise KeyError(typ)


def key_data_chain(plain):
    r, keys = Reader(plain), []
    while r.pos < len(plain):
        nxt, tv = r.u8(), r.u8()
        key = r.take(r.u16())
        if (tv >> 4) in (1, 3, 5):
            r.take(r.u16())
        kv = tv & 0xF
        spi = r.take(r.u8()) if kv == 1 else None
        keys.append({"type": tv >> 4, "key": key, "spi": spi})
        if nxt == 0:
            break
    assert r.pos == len(plain)
    return keys


def aes_cm(key, salt, csb, t64, data):
    x = bytearray(salt + b"\x00\x00")
    for i, byte in enumerate(struct.pack(">HIQ", 0, csb, t64)):
        x[i] ^= byte
    iv = bytes(x[:14]) + b"\x00\x00"
    return Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor().update(data)


def t64(tpayload):
    ts = tpayload["ts"]
    return struct.unpack(">Q", ts)[0] if len(ts) == 8 else struct.unpack(">I", ts)[0] << 32


# ---- the checks ------------------------------------------------------------------------------------------------

def verify(path):
    lines = {}
    psks = {}
    srtp = {}
    nonmedia = {}
    for line in open(path, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        k, *rest = line.split()
        if k == "psk":
            psks[rest[0]] = bytes.fromhex(rest[1])
        elif k == "srtp":
            srtp[int(rest[0])] = (bytes.fromhex(rest[1]), bytes.fromhex(rest[2]))
        elif k == "key":
            nonmedia[int(rest[0], 16)] = bytes.fromhex(rest[1])
        else:
            lines[k] = rest[0]
    h, block, keylen, maclen = SETS[lines["set"]]
    d = lambda inkey, label, n: prf(h, block, inkey, label, n)
    raw = {k: bytes.fromhex(v) for k, v in lines.items() if k.isupper()}
    msgs = {k: parse_message(v) for k, v in raw.items()}
    ok = True

    def check(what, cond):
        nonlocal ok
        print(("ok   " if cond else "FAIL ") + what)
        ok &= bool(cond)

    # REQUEST_INIT_PSK: V over msg-without-MAC || IDRi || IDRkms, auth key from PSK, label 0x01 with RANDRi.
    ri_msg = msgs["REQUEST_INIT_PSK"]
    alice = first(ri_msg, "IDR", 1)["data"].decode()
    randri_req = first(ri_msg, "RANDR", 1)["rand"]
    psk_a = psks[alice]
    csb = ri_msg["csb"]
    auth = d(psk_a, msg_label(AUTH, csb, 1, randri_req, None), maclen)
    mac_in = raw["REQUEST_INIT_PSK"][:-maclen] + first(ri_msg, "IDR", 1)["data"] + first(ri_msg, "IDR", 3)["data"]
    check("REQUEST_INIT V", hmac.new(auth, mac_in, h).digest() == first(ri_msg, "V")["mac"])

    # REQUEST_RESP: V over msg-without-MAC || REQUEST_INIT, label 0x02; KEMAC = MPKi || MPKr || TGK.
    rr = msgs["REQUEST_RESP"]
    auth = d(psk_a, msg_label(AUTH, csb, 2, randri_req, None), maclen)
    check("REQUEST_RESP V", hmac.new(auth, raw["REQUEST_RESP"][:-maclen] + raw["REQUEST_INIT_PSK"], h).digest()
          == first(rr, "V")["mac"])
    k = first(rr, "KEMAC")
    encr = d(psk_a, msg_label(ENCR, csb, 2, randri_req, None), keylen)
    salt = d(psk_a, msg_label(SALT, csb, 2, randri_req, None), 14)
    keys = key_data_chain(aes_cm(encr, salt, csb, t64(first(rr, "T")), k["data"]))
    mpki, mpkr, tgk = keys[0]["key"], keys[1]["key"], keys[2]["key"]
    check("REQUEST_RESP KEMAC = MPK, MPK, TGK with SPIs",
          [x["type"] for x in keys] == [6, 6, 0] and all(x["spi"] for x in keys))

    # The ticket: V keyed from the TPK over TICKET minus Next payload, Initiator Data and MAC; KEMAC = MPK || TGK.
    ticket = first(rr, "TICKET")
    tpk = bytes.fromhex(lines["tpk"])
    td = ticket["td"]
    tr = Reader(td)
    thdr_next = tr.u8()
    tr.take(tr.u16())
    tchain = parse_chain(tr, thdr_next)
    trand = [p for p in tchain if p["type"] == "RAND"][0]["rand"]
    tlab = lambda c: struct.pack(">IBIB", c, 0xFF, 0xFFFFFFFF, 5) + lr(trand)
    t_auth, t_encr, t_salt = d(tpk, tlab(AUTH), maclen), d(tpk, tlab(ENCR), keylen), d(tpk, tlab(SALT), 14)
    rr_raw = raw["REQUEST_RESP"]
    tk_start = ticket["start"] + 1  # without its Next payload byte
    tk_mac_in = rr_raw[tk_start:ticket["id_len_offset"]][:-maclen]
    tv = [p for p in tchain if p["type"] == "V"][0]
    check("ticket V (TPK)", hmac.new(t_auth, tk_mac_in, h).digest() == tv["mac"])
    tkemac = [p for p in tchain if p["type"] == "KEMAC"][0]
    tt = [p for p in tchain if p["type"] == "T"][0]
    tkeys = key_data_chain(aes_cm(t_encr, t_salt, 0xFFFFFFFF, t64(tt), tkemac["data"]))
    mpk, ttgk = tkeys[0]["key"], tkeys[1]["key"]
    mlab = lambda c: struct.pack(">IBIB", c, 0xFF, 0xFFFFFFFF, 6) + lr(trand)
    check("MPKi = PRF(MPK, 0x220E99A2..0x06..RAND)", d(mpk, mlab(0x220E99A2), len(mpk)) == mpki)
    check("MPKr = PRF(MPK, 0x1F4D675B..0x06..RAND)", d(mpk, mlab(0x1F4D675B), len(mpk)) == mpkr)
    check("ticket TGK = REQUEST_RESP TGK", ttgk == tgk)
    check("ticket flags D..J set, K L M clear", ticket["flags"] == (1, 0xFC, 0))

    # TRANSFER_INIT: V keyed from MPKi (0x01, RANDRi) over msg-without-MAC minus Initiator Data || IDRi || IDRr.
    ti = msgs["TRANSFER_INIT"]
    ti_raw = raw["TRANSFER_INIT"]
    ri = first(ti, "RANDR", 1)["rand"]
    tcsb = ti["csb"]
    tick = first(ti, "TICKET")
    without_id = ti_raw[:tick["id_len_offset"]] + ti_raw[tick["end"]:]
    auth = d(mpki, msg_label(AUTH, tcsb, 1, ri, None), maclen)
    v = first(ti, "V")
    check("TRANSFER_INIT V (MPKi)", hmac.new(auth, without_id[:-maclen] + first(ti, "IDR", 1)["data"]
                                             + first(ti, "IDR", 2)["data"], h).digest() == v["mac"])
    idata = tick["id"]
    ichain = parse_chain(Reader(idata, 1), idata[0])
    vi, vr = ichain[0], ichain[1]
    check("Initiator Data = 0x09 || Vi(next 9) || Vr", idata[0] == 9 and idata[1] == 9 and vi["mac"] == v["mac"])
    vr_key = d(mpkr, struct.pack(">IBIB", AUTH, 0xFF, 0xFFFFFFFF, 4), maclen)
    check("Initiator Data Vr (unforked MPKr, 0x04)", hmac.new(vr_key, idata[:-maclen], h).digest() == vr["mac"])
    check("TRANSFER_INIT CS 1, 2%s with the TGK's SPI" % "".join(", 0x%x" % c for c in sorted(nonmedia)),
          [s["cs"] for s in ti["sessions"]] == [1, 2] + sorted(nonmedia)
          and all(s["spi"] == keys[2]["spi"] for s in ti["sessions"]))

    # RESOLVE_INIT_PSK: V keyed from Bob's PSK (0x01, RANDRr only) over msg-without-MAC || IDRr || IDRkms.
    rsi = msgs["RESOLVE_INIT_PSK"]
    bob = first(rsi, "IDR", 2)["data"]
    psk_b = psks[bob.decode()]
    rr_res = first(rsi, "RANDR", 2)["rand"]
    rcsb = rsi["csb"]
    auth = d(psk_b, msg_label(AUTH, rcsb, 1, None, rr_res), maclen)
    check("RESOLVE_INIT V", hmac.new(auth, raw["RESOLVE_INIT_PSK"][:-maclen] + bob + first(rsi, "IDR", 3)["data"],
                                     h).digest() == first(rsi, "V")["mac"])

    # RESOLVE_RESP: V (0x02, RANDRr) over it || RESOLVE_INIT; KEMAC = MPKi || MPKr' || TGK'.
    rsr = msgs["RESOLVE_RESP"]
    auth = d(psk_b, msg_label(AUTH, rcsb, 2, None, rr_res), maclen)
    check("RESOLVE_RESP V", hmac.new(auth, raw["RESOLVE_RESP"][:-maclen] + raw["RESOLVE_INIT_PSK"], h).digest()
          == first(rsr, "V")["mac"])
    encr = d(psk_b, msg_label(ENCR, rcsb, 2, None, rr_res), keylen)
    salt = d(psk_b, msg_label(SALT, rcsb, 2, None, rr_res), 14)
    rkeys = key_data_chain(aes_cm(encr, salt, rcsb, t64(first(rsr, "T")), first(rsr, "KEMAC")["data"]))
    rkms = first(rsr, "RANDR", 3)["rand"]
    idrr = first(rsr, "IDR", 2)["data"]
    fork = lambda c: struct.pack(">IBIB", c, 0xFF, 0xFFFFFFFF, 0) + struct.pack(">H", len(idrr)) + idrr + lr(rkms)
    mpkr_f = d(mpkr, fork(0x2B288856), len(mpkr))
    tgk_f = d(tgk, fork(0x1512B54A), len(tgk))
    check("RESOLVE_RESP MPKi", rkeys[0]["key"] == mpki)
    check("RESOLVE_RESP MPKr' = fork(MPKr, IDRr, RANDRkms)", rkeys[1]["key"] == mpkr_f)
    check("RESOLVE_RESP TGK' = fork(TGK, IDRr, RANDRkms)", rkeys[2]["key"] == tgk_f)

    # TRANSFER_RESP: V keyed from MPKr' (0x02, RANDRi and RANDRr) over it || TRANSFER_INIT.
    trm = msgs["TRANSFER_RESP"]
    rr2 = first(trm, "RANDR", 2)["rand"]
    check("TRANSFER_RESP echoes IDRr and RANDRkms",
          first(trm, "IDR", 2)["data"] == idrr and first(trm, "RANDR", 3)["rand"] == rkms)
    check("TRANSFER_RESP T differs from TRANSFER_INIT T", first(trm, "T")["ts"] != first(ti, "T")["ts"])
    auth = d(mpkr_f, msg_label(AUTH, tcsb, 2, ri, rr2), maclen)
    check("TRANSFER_RESP V (MPKr')", hmac.new(auth, raw["TRANSFER_RESP"][:-maclen] + ti_raw, h).digest()
          == first(trm, "V")["mac"])

    # SRTP keys: TEK / salt from TGK' with CS ID, 0xFFFFFFFF, 0x03, RANDRi (H), RANDRr (G).
    for cs, (mk, ms) in sorted(srtp.items()):
        lab = lambda c: struct.pack(">IBIB", c, cs, 0xFFFFFFFF, 3) + lr(ri) + lr(rr2)
        check("SRTP master key CS %d" % cs, d(tgk_f, lab(0x2AD01C64), len(mk)) == mk)
        check("SRTP master salt CS %d" % cs, d(tgk_f, lab(0x39A2C14B), 14) == ms)

    # Non-media sessions (kmsconf extension): Prot type 241 (0xB0) / 242 (0xE0), S = 0, no session data, one policy
    # in TRANSFER_RESP; K(cs) = TEK of that CS ID from TGK', as long as the TGK.
    prot_of = {0xB0: 241, 0xE0: 242}
    if nonmedia:
        resp_nm = [s for s in trm["sessions"] if s["cs"] in prot_of]
        check("TRANSFER_RESP CS 0xb0/0xe0: their Prot types, no session data, one policy, the TGK's SPI",
              sorted(s["cs"] for s in resp_nm) == sorted(nonmedia)
              and all(s["prot"] == prot_of[s["cs"]] and s["s"] == 0 and s["sd"] == b"" and len(s["pols"]) == 1
                      and s["spi"] == keys[2]["spi"] for s in resp_nm))
    for cs, k in sorted(nonmedia.items()):
        lab = struct.pack(">IBIB", 0x2AD01C64, cs, 0xFFFFFFFF, 3) + lr(ri) + lr(rr2)
        check("non-media key K(0x%x) from the forked TGK" % cs, len(k) == len(tgk) and d(tgk_f, lab, len(k)) == k)
    return ok


if __name__ == "__main__":
    good = True
    for f in sys.argv[1:]:
        print("== " + f)
        good &= verify(f)
    sys.exit(0 if good else 1)
