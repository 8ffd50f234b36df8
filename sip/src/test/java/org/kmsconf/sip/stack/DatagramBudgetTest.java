package org.kmsconf.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-source datagram budget over real UDP sockets on loopback: a flooding source is cut off in receive(). */
class DatagramBudgetTest {

    @Test
    void aSourceOverItsBudgetIsDroppedInReceiveWhileAnotherSourceGetsThrough() throws Exception {
        DatagramBudget budget = new DatagramBudget(new SourceRateLimit(1, 5, 100)); // 5 at once, then 1 a second
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket server = budget.socket(0, lo);
             DatagramSocket flood = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0));
             DatagramSocket honest = new DatagramSocket(new InetSocketAddress("127.0.0.3", 0))) {
            InetSocketAddress to = new InetSocketAddress(lo, server.getLocalPort());
            for (int i = 0; i < 50; i++) {
                send(flood, to, "flood " + i);
            }
            send(honest, to, "honest 0");
            List<String> got = new ArrayList<>();
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            server.setSoTimeout(500);
            try {
                while (true) {
                    p.setData(buf); // as the stack does: a full-size buffer for each receive
                    server.receive(p);
                    got.add(new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.US_ASCII));
                }
            } catch (SocketTimeoutException done) {
                // everything sent has been read
            }
            // the flood's burst of five, then nothing more within the second; the other source is untouched
            assertThat(got).containsExactly("flood 0", "flood 1", "flood 2", "flood 3", "flood 4", "honest 0");
            assertThat(budget.dropped()).isEqualTo(45);
        }
    }

    /**
     * The stack reads into a buffer of the largest message size and queues it until a message thread parses it; the
     * datagram must come back in an array of its own length, or a queue of small INVITEs holds 16 KiB each.
     */
    @Test
    void aDatagramIsHandedOnInAnArrayOfItsOwnLength() throws Exception {
        DatagramBudget budget = new DatagramBudget(new SourceRateLimit(1000, 1000, 100));
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket server = budget.socket(0, lo);
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            send(peer, new InetSocketAddress(lo, server.getLocalPort()), "INVITE sip:focus@operator SIP/2.0");
            DatagramPacket p = new DatagramPacket(new byte[Capacity.SERVER_MAX_MESSAGE], Capacity.SERVER_MAX_MESSAGE);
            server.setSoTimeout(2000);
            server.receive(p);
            assertThat(p.getData()).hasSize(33);
            assertThat(p.getOffset()).isZero();
            assertThat(p.getLength()).isEqualTo(33);
            assertThat(new String(p.getData(), StandardCharsets.US_ASCII))
                    .isEqualTo("INVITE sip:focus@operator SIP/2.0");
        }
    }

    @Test
    void theBudgetFollowsTheRequestRateAndNoLimitMeansNoBudget() {
        assertThat(SourceRateLimit.NONE.datagrams()).isSameAs(SourceRateLimit.NONE);
        assertThat(new SourceRateLimit(50, 100, 10).datagrams()).hasToString(
                (50.0 * DatagramBudget.FACTOR) + "/s per source, burst " + 100 * DatagramBudget.FACTOR);
    }

    private static void send(DatagramSocket from, InetSocketAddress to, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        from.send(new DatagramPacket(b, b.length, to));
    }
}
