package org.kmsconf.sip.stack;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The RI's default network layer with TCP_NODELAY on every TCP socket, accepted ones included. Without it a message
 * sent right after another on one connection (ACK then re-INVITE, 202 then NOTIFY) waits 33-45 ms for Nagle
 * (docs/sip.md "JAIN-SIP set-up", pitfall 4). Instantiated by the RI from the NETWORK_LAYER property. Its UDP socket
 * applies the stack's {@link DatagramBudget} in the reader thread.
 */
public final class NoDelayNetworkLayer implements NetworkLayer {
    private static final Map<String, DatagramBudget> BUDGETS = new ConcurrentHashMap<>();
    private final DefaultNetworkLayer delegate = DefaultNetworkLayer.SINGLETON;
    private volatile String stackName;

    private static Socket noDelay(Socket s) throws SocketException {
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        ServerSocket plain = delegate.createServerSocket(port, backlog, bindAddress);
        int boundPort = plain.getLocalPort();
        plain.close();
        ServerSocket ss = new ServerSocket() {
            @Override
            public Socket accept() throws IOException {
                return noDelay(super.accept());
            }
        };
        ss.setReuseAddress(true);
        ss.bind(new java.net.InetSocketAddress(bindAddress, boundPort), backlog);
        return ss;
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return delegate.createSSLServerSocket(port, backlog, bindAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return noDelay(delegate.createSocket(address, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return noDelay(delegate.createSocket(address, port, myAddress));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return noDelay(delegate.createSocket(address, port, myAddress, myPort));
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return delegate.createSSLSocket(address, port);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return delegate.createSSLSocket(address, port, myAddress);
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return delegate.createDatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress laddr) throws SocketException {
        DatagramBudget budget = stackName == null ? null : BUDGETS.get(stackName);
        if (budget == null || laddr.isMulticastAddress()) {
            return delegate.createDatagramSocket(port, laddr);
        }
        return budget.socket(port, laddr);
    }

    @Override
    public void setSipStack(SipStackImpl sipStackImpl) {
        this.stackName = sipStackImpl.getStackName();
    }

    /**
     * The datagram budget of the stack named {@code stackName}, for its UDP listening point (the RI creates this
     * layer by class name, so a stack's settings reach it through its name); {@link #forget} once it is created.
     */
    static void budget(String stackName, DatagramBudget budget) {
        BUDGETS.put(stackName, budget);
    }

    static void forget(String stackName) {
        BUDGETS.remove(stackName);
    }
}
