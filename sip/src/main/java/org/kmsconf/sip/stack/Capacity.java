package org.kmsconf.sip.stack;

/**
 * How much work a SIP node takes on: a bounded pool of workers with a bounded queue for the handling of requests
 * (KMS exchanges, call-outs), and a rate per source address for the costly requests. Beyond either, a request is
 * answered 503 with Retry-After (RFC 3261 §21.5.4) and counted.
 */
public record Capacity(int workers, int queue, SourceRateLimit perSource) {
    public static final Capacity DEFAULT = new Capacity(32, 256, new SourceRateLimit(50, 100, 10_000));

    public Capacity {
        if (workers < 1 || queue < 1) {
            throw new IllegalArgumentException("a SIP node needs at least one worker and one queue slot");
        }
    }
}
