package org.kmsconf.mikey.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A classic libpcap capture file (not pcapng), link type 1 (Ethernet), built in memory: each packet is
 * Ethernet II + IPv4 (20-byte header, correct total length and header checksum) + UDP (length set, checksum 0 =
 * none, RFC 768) or a single TCP segment (PSH|ACK, checksum 0: tshark does not check it by default).
 */
final class Pcap {
    private static final int LINKTYPE_ETHERNET = 1;
    private static final byte[] CLIENT = {10, 0, 0, 1};
    private static final byte[] SERVER = {10, 0, 0, 2};

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int packets;

    Pcap() {
        ByteBuffer h = le(24);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535)
                .putInt(LINKTYPE_ETHERNET);
        out.writeBytes(h.array());
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A UDP datagram from 10.0.0.1:srcPort to 10.0.0.2:dstPort. */
    Pcap udp(int srcPort, int dstPort, byte[] payload) {
        ByteBuffer u = ByteBuffer.allocate(8 + payload.length);
        u.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length)).putShort((short) 0)
                .put(payload);
        return ipv4(17, u.array());
    }

    /** One TCP segment (sequence 1, PSH|ACK) from 10.0.0.1:srcPort to 10.0.0.2:dstPort. */
    Pcap tcp(int srcPort, int dstPort, byte[] payload) {
        ByteBuffer t = ByteBuffer.allocate(20 + payload.length);
        t.putShort((short) srcPort).putShort((short) dstPort).putInt(1).putInt(1).put((byte) 0x50).put((byte) 0x18)
                .putShort((short) 0xffff).putShort((short) 0).putShort((short) 0).put(payload);
        return ipv4(6, t.array());
    }

    private Pcap ipv4(int protocol, byte[] l4) {
        int total = 20 + l4.length;
        if (total > 0xffff) {
            throw new IllegalArgumentException("IPv4 packet longer than 65535 bytes");
        }
        ByteBuffer ip = ByteBuffer.allocate(total);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) packets).putShort((short) 0)
                .put((byte) 64).put((byte) protocol).putShort((short) 0).put(CLIENT).put(SERVER);
        ip.putShort(10, (short) checksum(ip.array(), 20));
        ip.position(20);
        ip.put(l4);
        ByteBuffer eth = ByteBuffer.allocate(14 + total);
        eth.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) 0x0800)
                .put(ip.array());
        byte[] frame = eth.array();
        ByteBuffer rec = le(16);
        rec.putInt(1_772_359_200 + packets).putInt(0).putInt(frame.length).putInt(frame.length);
        out.writeBytes(rec.array());
        out.writeBytes(frame);
        packets++;
        return this;
    }

    /** The IPv4 header checksum (RFC 791): one's complement of the one's complement sum of 16-bit words. */
    static int checksum(byte[] b, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    int packets() {
        return packets;
    }

    void write(Path file) throws IOException {
        Files.write(file, out.toByteArray());
    }
}
