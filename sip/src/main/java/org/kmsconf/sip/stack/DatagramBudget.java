package org.kmsconf.sip.stack;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A budget of UDP datagrams per source address, spent in the stack's one UDP reader thread before anything else
 * happens to a datagram: a datagram from a source over its budget is dropped there (counted, logged at most once a
 * second), without a parse, a queue slot or a worker. Without it, each datagram of a flood cost the stack a parse on
 * its message threads, and at the highest rate this machine can send the parsing starved the reader: the socket's
 * buffer overflowed and the kernel dropped participants' INVITEs as readily as the flood.
 *
 * <p>The budget is {@link SourceRateLimit#datagrams()} of the node's per-source request rate: {@value #FACTOR}
 * times its rate and burst, far above what an honest peer sends for that many dialogs (an INVITE with its ACK,
 * provisional and final responses, retransmissions, BYE and NOTIFYs), so the request rate (a 503 with Retry-After)
 * stays the limit an honest but busy source meets; this one only cuts a flood off before it costs a parse.
 */
public final class DatagramBudget {
    /** Datagrams a source may send per costly request it may start. */
    public static final int FACTOR = 20;
    private static final Logger LOG = LoggerFactory.getLogger(DatagramBudget.class);

    private final SourceRateLimit limit;
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - 1_000_000_000L);
    private long droppedAtLastLog;

    DatagramBudget(SourceRateLimit limit) {
        this.limit = limit;
    }

    /** Whether a datagram from {@code source} may go on to the stack; counts it otherwise. */
    boolean admit(InetAddress source) {
        long now = System.nanoTime();
        if (limit.tryAcquire(source, now)) {
            return true;
        }
        dropped.increment();
        long last = lastLog.get();
        if (now - last >= 1_000_000_000L && lastLog.compareAndSet(last, now)) {
            long total = dropped.sum();
            LOG.warn("dropped {} UDP datagrams in the last second from sources over their budget ({}; last: {})",
                    total - droppedAtLastLog, limit, source.getHostAddress());
            droppedAtLastLog = total;
        }
        return false;
    }

    /** Datagrams dropped so far. */
    public long dropped() {
        return dropped.sum();
    }

    /** The UDP socket the stack reads from, with the budget applied on every receive. */
    DatagramSocket socket(int port, InetAddress address) throws SocketException {
        return new Socket(port, address, this);
    }

    private static final class Socket extends DatagramSocket {
        private final DatagramBudget budget;

        Socket(int port, InetAddress address, DatagramBudget budget) throws SocketException {
            super(port, address);
            this.budget = budget;
        }

        /**
         * Receives the next datagram whose source is within its budget; the others are dropped here. The datagram is
         * handed on in an array of its own length: the stack reads into a new buffer of the largest message size
         * (16 KiB at a server) and queues that buffer until a message thread parses it, so under a flood its backlog
         * held 16 KiB per queued datagram (an INVITE is 2 KiB), enough to fill the heap and stall the node in full
         * garbage collections.
         */
        @Override
        public void receive(DatagramPacket p) throws IOException {
            int room = p.getLength();
            while (true) {
                super.receive(p);
                if (budget.admit(p.getAddress())) {
                    p.setData(Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength()));
                    return;
                }
                p.setLength(room);
            }
        }
    }
}
