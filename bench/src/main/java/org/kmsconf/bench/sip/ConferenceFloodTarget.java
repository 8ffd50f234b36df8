package org.kmsconf.bench.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.Random;
import java.util.concurrent.Callable;
import org.kmsconf.bench.flood.FloodTarget;

/**
 * A conference server's SIP port under a flood of INVITEs over UDP, one attacking socket per thread, each bound to one
 * of the given loopback source addresses. Every INVITE is a fresh transaction to the focus URI, acknowledged once its
 * final answer arrives (RFC 3261 §17.1.1.3), so that the server's work is its refusal, not retransmissions. Closed
 * loop, each attacker waits for the final answer (up to three seconds) before it sends the next; open loop, it sends
 * as fast as it can and a reader per socket counts and acknowledges the answers as they come (the highest rate the
 * machine can send). The kinds:
 * <ul>
 *   <li>{@code GARBAGE}: random bytes (no answer is due; nothing is awaited);</li>
 *   <li>{@code NO_KEY_MGMT}: an INVITE whose SDP carries no {@code a=key-mgmt} (RFC 4567: 488);</li>
 *   <li>{@code ALTERED_INIT}: a genuine TRANSFER_INIT of an allowed participant with one octet of its middle half
 *       changed, mostly inside the ticket: the conference server must RESOLVE it at the KMS before it can tell, the
 *       costliest refusal an unauthenticated sender can cause;</li>
 *   <li>{@code REPLAYED_INIT}: one genuine TRANSFER_INIT of an allowed participant, sent again and again.</li>
 * </ul>
 * The legitimate operation is given by the driver (a participant joining the conference and leaving it).
 */
final class ConferenceFloodTarget implements FloodTarget {
    static final List<String> KINDS = List.of("GARBAGE", "NO_KEY_MGMT", "ALTERED_INIT", "REPLAYED_INIT");
    private static final int ANSWER_TIMEOUT_MS = 3000;

    /** A genuine TRANSFER_INIT and the identity it is from. */
    record Init(String from, byte[] message) {
    }

    private final InetSocketAddress server;
    private final String focusUri;
    private final List<InetAddress> sources;
    private final Init toAlter;
    private final Init toReplay;
    private final Callable<Void> legitimate;
    private final boolean openLoop;
    private final long intervalNanos;
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();

    ConferenceFloodTarget(InetSocketAddress server, String focusUri, List<InetAddress> sources, Init toAlter,
            Init toReplay, Callable<Void> legitimate, boolean openLoop, long intervalNanos) {
        for (InetAddress a : sources) {
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException("flood sources must be loopback addresses: " + a);
            }
        }
        if (!server.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the flooded server must be on loopback: " + server);
        }
        this.server = server;
        this.focusUri = focusUri;
        this.sources = List.copyOf(sources);
        this.toAlter = toAlter;
        this.toReplay = toReplay;
        this.legitimate = legitimate;
        this.openLoop = openLoop;
        this.intervalNanos = intervalNanos;
    }

    /**
     * Open loop: the final answers the readers counted, as "KIND -> status" (closed loop: empty, the flood's own report
     * has them).
     */
    Map<String, Long> answers() {
        Map<String, Long> m = new TreeMap<>();
        answers.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    @Override
    public List<String> kinds() {
        return KINDS;
    }

    @Override
    public Attacker attacker(int thread) throws IOException {
        InetAddress source = sources.get(thread % sources.size());
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(source, 0));
        socket.setSoTimeout(ANSWER_TIMEOUT_MS);
        SipAttacker a = new SipAttacker(socket, thread);
        if (openLoop) {
            Thread reader = new Thread(a::readAnswers, "flood-answers-" + thread);
            reader.setDaemon(true);
            reader.start();
        }
        return a;
    }

    @Override
    public void legitimate() throws Exception {
        legitimate.call();
    }

    @Override
    public void close() {
        // the attackers close their own sockets; the driver owns the servers
    }

    /** One attacking UDP socket. */
    private final class SipAttacker implements Attacker {
        private final DatagramSocket socket;
        private final String host;
        private final int port;
        private final String tagBase;
        private long sequence;
        private long next;
        private final BitSet answered = new BitSet();

        SipAttacker(DatagramSocket socket, int thread) {
            this.socket = socket;
            this.host = socket.getLocalAddress().getHostAddress();
            this.port = socket.getLocalPort();
            this.tagBase = "f" + thread + "x" + Long.toHexString(System.nanoTime());
        }

        @Override
        public String send(String kind, Random random) {
            pace();
            try {
                if (kind.equals("GARBAGE")) {
                    byte[] junk = new byte[64 + random.nextInt(400)];
                    random.nextBytes(junk);
                    socket.send(new DatagramPacket(junk, junk.length, server));
                    return "sent";
                }
                Invite invite = switch (kind) {
                    case "NO_KEY_MGMT" -> invite(kind, "sip:mallory@operator", null);
                    case "ALTERED_INIT" -> invite(kind, toAlter.from(), altered(toAlter.message(), random));
                    case "REPLAYED_INIT" -> invite(kind, toReplay.from(), toReplay.message());
                    default -> throw new IllegalArgumentException("unknown attack kind " + kind);
                };
                socket.send(new DatagramPacket(invite.bytes(), invite.bytes().length, server));
                return openLoop ? "sent" : awaitFinal(invite);
            } catch (IOException e) {
                return "send failed";
            }
        }

        /** With a rate given, each attacker sends one message per interval (open loop, so the rate holds). */
        private void pace() {
            if (intervalNanos <= 0) {
                return;
            }
            long now = System.nanoTime();
            if (next == 0) {
                next = now;
            }
            next += intervalNanos;
            if (next > now) {
                LockSupport.parkNanos(next - now);
            }
        }

        private byte[] altered(byte[] genuine, Random random) {
            byte[] copy = genuine.clone();
            int at = copy.length / 4 + random.nextInt(copy.length / 2);
            copy[at] ^= (byte) (1 + random.nextInt(255));
            return copy;
        }

        private Invite invite(String kind, String from, byte[] init) {
            long n = ++sequence;
            String branch = "z9hG4bK" + tagBase + "b" + n;
            String callId = kind + "." + tagBase + "c" + n + "@" + host; // the kind, for the open-loop reader
            String fromHeader = "<" + from + ">;tag=" + tagBase + "t" + n;
            StringBuilder sdp = new StringBuilder()
                    .append("v=0\r\no=- ").append(n).append(" 1 IN IP4 ").append(host).append("\r\ns=-\r\n")
                    .append("c=IN IP4 ").append(host).append("\r\nt=0 0\r\n");
            if (init != null) {
                sdp.append("a=key-mgmt:mikey ").append(Base64.getEncoder().encodeToString(init)).append("\r\n");
            }
            sdp.append("m=audio 9 RTP/SAVP 0\r\na=rtcp-mux\r\n");
            byte[] body = sdp.toString().getBytes(StandardCharsets.US_ASCII);
            String head = "INVITE " + focusUri + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + host + ":" + port + ";branch=" + branch + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: " + fromHeader + "\r\n"
                    + "To: <" + focusUri + ">\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: 1 INVITE\r\n"
                    + "Contact: <sip:attacker@" + host + ":" + port + ">\r\n"
                    + "Content-Type: application/sdp\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[head8.length + body.length];
            System.arraycopy(head8, 0, all, 0, head8.length);
            System.arraycopy(body, 0, all, head8.length, body.length);
            return new Invite(all, callId);
        }

        /** The final answer's status code as the label; provisional answers and other calls' are skipped. */
        private String awaitFinal(Invite invite) throws IOException {
            byte[] buffer = new byte[65_535];
            long deadline = System.nanoTime() + ANSWER_TIMEOUT_MS * 1_000_000L;
            while (System.nanoTime() < deadline) {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                int status = finalStatus(text);
                if (status == 0 || !text.contains(invite.callId())) {
                    continue;
                }
                acknowledge(text, status);
                return Integer.toString(status);
            }
            return "no answer";
        }

        /** Open loop: counts each final answer under its INVITE's kind and acknowledges it, until the socket closes. */
        void readAnswers() {
            byte[] buffer = new byte[65_535];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    return; // closed
                }
                String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                int status = finalStatus(text);
                if (status == 0) {
                    continue;
                }
                String callId = header(text, "Call-ID");
                String kind = callId.contains(".") ? callId.substring(0, callId.indexOf('.')) : "?";
                if (firstAnswer(callId)) { // a retransmitted answer (our ACK lost in the flood) counts once
                    answers.computeIfAbsent(kind + " -> " + status, k -> new LongAdder()).increment();
                }
                try {
                    acknowledge(text, status);
                } catch (IOException e) {
                    return;
                }
            }
        }

        /** The status code of a final SIP response, or 0 for a provisional one or anything else. */
        private static int finalStatus(String text) {
            if (!text.startsWith("SIP/2.0 ") || text.length() < 11) {
                return 0;
            }
            try {
                int status = Integer.parseInt(text.substring(8, 11));
                return status >= 200 && status < 700 ? status : 0;
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        /** Whether this is the first final answer to the INVITE of this Call-ID ("KIND.<tag>c<n>@host"). */
        private boolean firstAnswer(String callId) {
            int c = callId.lastIndexOf('c', callId.indexOf('@'));
            try {
                int n = Integer.parseInt(callId.substring(c + 1, callId.indexOf('@')));
                synchronized (answered) {
                    if (answered.get(n)) {
                        return false;
                    }
                    answered.set(n);
                    return true;
                }
            } catch (RuntimeException e) {
                return false; // not one of ours
            }
        }

        /**
         * The ACK of a final answer, built from the answer itself: for a non-2xx the INVITE's branch (the same
         * transaction), for a 2xx a new one.
         */
        private void acknowledge(String response, int status) throws IOException {
            String via = header(response, "Via");
            int at = via.indexOf("branch=");
            String branch = at < 0 ? "z9hG4bK" + tagBase + "x" : via.substring(at + 7).split("[;,\\s]")[0];
            if (status < 300) {
                branch = branch + "ack"; // 2xx: a transaction of its own
            }
            String ack = "ACK " + focusUri + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + host + ":" + port + ";branch=" + branch + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: " + header(response, "From") + "\r\n"
                    + "To: " + header(response, "To") + "\r\n"
                    + "Call-ID: " + header(response, "Call-ID") + "\r\n"
                    + "CSeq: 1 ACK\r\n"
                    + "Content-Length: 0\r\n\r\n";
            byte[] b = ack.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(b, b.length, server));
        }

        private static String header(String message, String name) {
            for (String line : message.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return "";
        }

        @Override
        public void close() {
            if (openLoop) {
                try {
                    Thread.sleep(2000); // the last answers are still on their way to the reader
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            socket.close();
        }
    }

    private record Invite(byte[] bytes, String callId) {
    }
}
