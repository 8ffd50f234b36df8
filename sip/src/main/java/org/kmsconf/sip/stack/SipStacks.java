package org.kmsconf.sip.stack;

import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens one JAIN-SIP stack with a UDP and a TCP listening point on the same address, set up as the SIP stack notes
 * of docs/sip.md say: a unique stack name, the SLF4J stack logger, a TCP_NODELAY network layer, a reentrant listener
 * with a thread pool, unsolicited NOTIFYs delivered, a 64 KiB message cap; and stops several in parallel.
 */
public final class SipStacks {
    private static final Logger LOG = LoggerFactory.getLogger(SipStacks.class);
    private static final AtomicLong STACK_SEQ = new AtomicLong();

    /** An open stack and its provider, listening on {@code port}. */
    record Opened(SipStackImpl stack, SipProvider provider, int port, DatagramBudget budget) { }

    private SipStacks() { }

    /**
     * Opens a stack listening on {@code host:port} over UDP and TCP; port 0 picks a port free for both.
     *
     * @param name a readable prefix of the stack name; a sequence number makes it unique (the RI's stack cache)
     */
    static Opened open(String name, String host, int port, int maxMessageBytes, DatagramBudget budget)
            throws IOException {
        if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            // The address goes into Via and Contact: peers must be able to reach it.
            throw new IllegalArgumentException("listen for SIP on a concrete address (e.g. 127.0.0.1), not '" + host
                    + "'");
        }
        IOException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            int p = port != 0 ? port : freePort(host);
            String stackName = name + "-" + STACK_SEQ.incrementAndGet() + "-" + p;
            SipStackImpl stack = null;
            NoDelayNetworkLayer.budget(stackName, budget);
            try {
                stack = new SipStackImpl(properties(stackName, maxMessageBytes));
                ListeningPoint udp = stack.createListeningPoint(host, p, ListeningPoint.UDP);
                ListeningPoint tcp = stack.createListeningPoint(host, p, ListeningPoint.TCP);
                SipProvider provider = stack.createSipProvider(udp);
                provider.addListeningPoint(tcp);
                provider.setAutomaticDialogSupportEnabled(true);
                LOG.info("SIP stack {} listening on {}:{} (udp, tcp)", stackName, host, p);
                return new Opened(stack, provider, p, budget);
            } catch (Exception e) {
                if (stack != null) {
                    stack.stop();
                }
                last = new IOException("cannot listen for SIP on " + host + ":" + p + ": " + e.getMessage(), e);
                if (port != 0) {
                    break;
                }
            } finally {
                NoDelayNetworkLayer.forget(stackName); // the UDP socket, if any, holds the budget now
            }
        }
        throw last;
    }

    static final int UDP_RECEIVE_BUFFER = 4 << 20;

    private static Properties properties(String stackName, int maxMessageBytes) {
        Properties props = new Properties();
        props.setProperty("javax.sip.STACK_NAME", stackName);
        props.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        props.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        props.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        props.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "8");
        props.setProperty("gov.nist.javax.sip.NETWORK_LAYER", NoDelayNetworkLayer.class.getName());
        props.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        props.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(maxMessageBytes));
        props.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        // The RI sets 128 KiB on its UDP sockets (about 100 INVITEs): a burst or a flood fills it during one GC pause
        // of the stack's reader, and the kernel then drops a participant's INVITE as readily as an attacker's, before
        // the per-source limit can tell them apart. 4 MiB (the kernel grants at most net.core.rmem_max).
        props.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(UDP_RECEIVE_BUFFER));
        return props;
    }

    private static int freePort(String host) throws IOException {
        InetAddress addr = InetAddress.getByName(host);
        for (int i = 0; i < 50; i++) {
            try (ServerSocket ss = new ServerSocket(0, 1, addr)) {
                int p = ss.getLocalPort();
                try (DatagramSocket ds = new DatagramSocket(new InetSocketAddress(addr, p))) {
                    return p;
                } catch (IOException busy) {
                    // UDP taken, try another
                }
            }
        }
        throw new IOException("no free port on " + host);
    }

    /** Stops several nodes in parallel, each stop costing about a second in the JAIN-SIP reference implementation. */
    public static void closeAll(Collection<? extends AutoCloseable> nodes) {
        List<Thread> threads = new ArrayList<>();
        for (AutoCloseable n : nodes) {
            if (n == null) {
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    n.close();
                } catch (Exception e) {
                    LOG.debug("stop failed: {}", e.toString());
                }
            }, "sip-stop");
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
