package org.kmsconf.control.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kmsconf.control.tls.WireTap;

/**
 * A {@link WireTap} that writes the BFCP messages of one connection, in the clear, as a TCP conversation in a pcap
 * file (Ethernet, IPv4 127.0.0.1, TCP with the three-way handshake and consistent sequence numbers), so that tshark
 * dissects them as BFCP ({@code -d tcp.port==<server port>,bfcp}). Test only.
 */
final class PcapTap implements WireTap {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int clientPort;
    private final int serverPort;
    private long clientSeq = 1000;
    private long serverSeq = 5000;
    private long micros = 1_700_000_000_000_000L;

    /** The tap sits at the client: "sent" goes client -> server. */
    PcapTap(int clientPort, int serverPort) {
        this.clientPort = clientPort;
        this.serverPort = serverPort;
        ByteBuffer h = ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(h.array());
        segment(true, 0x02, new byte[0]); // SYN
        clientSeq++;
        segment(false, 0x12, new byte[0]); // SYN-ACK
        serverSeq++;
        segment(true, 0x10, new byte[0]); // ACK
    }

    @Override
    public synchronized void sent(byte[] message) {
        segment(true, 0x18, message);
        clientSeq += message.length;
    }

    @Override
    public synchronized void received(byte[] message) {
        segment(false, 0x18, message);
        serverSeq += message.length;
    }

    synchronized void write(Path file) throws IOException {
        Files.write(file, out.toByteArray());
    }

    private void segment(boolean fromClient, int flags, byte[] payload) {
        int ipLen = 20 + 20 + payload.length;
        ByteBuffer p = ByteBuffer.allocate(14 + ipLen);
        p.put(new byte[] {0, 0, 0, 0, 0, 2}).put(new byte[] {0, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        int ipStart = p.position();
        p.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).putInt(0x7f000001).putInt(0x7f000001);
        p.putShort(ipStart + 10, checksum(p.array(), ipStart, 20));
        p.putShort((short) (fromClient ? clientPort : serverPort)).putShort((short) (fromClient ? serverPort
                : clientPort));
        p.putInt((int) (fromClient ? clientSeq : serverSeq));
        p.putInt(flags == 0x02 ? 0 : (int) (fromClient ? serverSeq : clientSeq));
        p.put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        p.put(payload);
        // TCP checksum over the pseudo header
        ByteBuffer ph = ByteBuffer.allocate(12 + 20 + payload.length);
        ph.putInt(0x7f000001).putInt(0x7f000001).put((byte) 0).put((byte) 6).putShort((short) (20 + payload.length));
        ph.put(p.array(), ipStart + 20, 20 + payload.length);
        p.putShort(ipStart + 20 + 16, checksum(ph.array(), 0, ph.capacity()));
        byte[] frame = p.array();
        micros += 1000;
        ByteBuffer rec = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        rec.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(frame.length)
                .putInt(frame.length);
        out.writeBytes(rec.array());
        out.writeBytes(frame);
    }

    private static short checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xff;
            int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }
}
