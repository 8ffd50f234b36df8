package org.kmsconf.sip.stack;

/**
 * How much work a SIP node takes on: a bounded pool of workers with a bounded queue for the handling of requests
 * (KMS exchanges, call-outs), and a rate per source address for the costly requests. Beyond either, a request is
 * answered 503 with Retry-After (RFC 3261 §21.5.4) and counted.
 *
 * <p>{@code maxMessageBytes} is the largest SIP message the node takes. The stack reads every UDP datagram into a
 * buffer of that size; {@link DatagramBudget}'s socket hands each datagram on in an array of its own length, so a
 * queued request costs its own size, not this one. A server receives small requests (an INVITE with its
 * TRANSFER_INIT is about 2 KiB) and takes {@value #SERVER_MAX_MESSAGE} bytes; a user agent receives the sealed
 * conference state, which for 50 participants is about 20 KiB, and takes {@value #USER_AGENT_MAX_MESSAGE}.
 */
public record Capacity(int workers, int queue, SourceRateLimit perSource, int maxMessageBytes) {
    public static final int SERVER_MAX_MESSAGE = 16 * 1024;
    public static final int USER_AGENT_MAX_MESSAGE = 64 * 1024;
    public static final Capacity DEFAULT = new Capacity(32, 256, new SourceRateLimit(50, 100, 10_000));
    public static final Capacity USER_AGENT = new Capacity(32, 256, new SourceRateLimit(50, 100, 10_000),
            USER_AGENT_MAX_MESSAGE);

    public Capacity {
        if (workers < 1 || queue < 1) {
            throw new IllegalArgumentException("a SIP node needs at least one worker and one queue slot");
        }
        if (maxMessageBytes < 4096 || maxMessageBytes > 65_536) {
            throw new IllegalArgumentException("the largest SIP message must be 4 KiB to 64 KiB");
        }
    }

    /** A server's capacity: messages up to {@value #SERVER_MAX_MESSAGE} bytes. */
    public Capacity(int workers, int queue, SourceRateLimit perSource) {
        this(workers, queue, perSource, SERVER_MAX_MESSAGE);
    }
}
