#!/usr/bin/env python3
"""Write MIKEY messages into a pcap file (UDP to port 2269) so that tshark / Wireshark can show them.

Usage: python3 tools/wireshark/mikey2pcap.py OUT.pcap INPUT...

Each INPUT is a text file (or "-" for stdin); every non-comment line that carries a message becomes one UDP
datagram 10.0.0.1:40000 -> 10.0.0.2:2269, in order. A line may be
  - a kmsconf transcript line "NAME <hex>" (mikey/src/test/resources/org/kmsconf/mikey/exchange/transcript-*.txt;
    its psk/tpk/srtp lines are skipped),
  - bare hex, or
  - base64, alone or as an SDP attribute "a=key-mgmt:mikey <base64>" (RFC 4567).
Then: tshark -r OUT.pcap -X lua_script:tools/wireshark/mikey-ticket.lua --disable-protocol mikey -V
Standard library only; classic libpcap format, link type 1 (Ethernet), IPv4 header checksum set, UDP checksum 0.
"""
import base64
import binascii
import re
import struct
import sys

HEX = re.compile(r"^[0-9a-fA-F]+$")


def message_of(line):
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    if line.startswith("a=key-mgmt:"):
        parts = line[len("a=key-mgmt:"):].split()
        if len(parts) != 2 or parts[0] != "mikey":
            return None
        return base64.b64decode(parts[1], validate=True)
    parts = line.split()
    if len(parts) == 2 and parts[0].isupper() and HEX.match(parts[1]):
        return bytes.fromhex(parts[1])  # transcript line NAME <hex>
    if len(parts) != 1:
        return None  # other transcript lines (set, kms, psk, tpk, srtp)
    if HEX.match(line) and len(line) % 2 == 0:
        return bytes.fromhex(line)
    try:
        return base64.b64decode(line, validate=True)
    except (binascii.Error, ValueError):
        return None


def ipv4_checksum(header):
    s = sum(struct.unpack(">10H", header))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    messages = []
    for name in argv[2:]:
        f = sys.stdin if name == "-" else open(name, encoding="utf-8")
        with f:
            for line in f:
                m = message_of(line)
                if m:
                    messages.append(m)
    if not messages:
        print("mikey2pcap: no MIKEY message found in the input", file=sys.stderr)
        return 1
    with open(argv[1], "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, m in enumerate(messages):
            udp = struct.pack(">HHHH", 40000, 2269, 8 + len(m), 0) + m
            ip = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0,
                                       bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])))
            ip[10:12] = struct.pack(">H", ipv4_checksum(bytes(ip)))
            frame = bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0]) + bytes(ip) + udp
            out.write(struct.pack("<IIII", 1772359200 + i, 0, len(frame), len(frame)) + frame)
    print("mikey2pcap: %d message(s) written to %s" % (len(messages), argv[1]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
