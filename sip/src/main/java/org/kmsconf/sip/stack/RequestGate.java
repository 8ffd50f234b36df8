package org.kmsconf.sip.stack;

import java.net.InetAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded work of a SIP node ({@link Capacity}): a fixed pool of worker threads with a bounded queue, and a
 * per-source rate for costly requests. It decides; the node answers a refusal with 503 and Retry-After.
 */
final class RequestGate {
    /** What became of a request handed to the gate. */
    enum Verdict { RUNS, OVER_RATE, BUSY, CLOSED }

    private final Capacity capacity;
    private final ThreadPoolExecutor executor;
    private final AtomicLong refusedRate = new AtomicLong();
    private final AtomicLong refusedBusy = new AtomicLong();

    RequestGate(String name, Capacity capacity) {
        this.capacity = capacity;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, name + "-work-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = new ThreadPoolExecutor(capacity.workers(), capacity.workers(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(capacity.queue()), tf, new ThreadPoolExecutor.AbortPolicy());
        this.executor.allowCoreThreadTimeOut(true);
    }

    ExecutorService executor() {
        return executor;
    }

    /** Runs {@code work} on a worker unless {@code source} is over its rate or no worker and queue slot is free. */
    Verdict submit(InetAddress source, Runnable work) {
        if (!capacity.perSource().tryAcquire(source, System.nanoTime())) {
            refusedRate.incrementAndGet();
            return Verdict.OVER_RATE;
        }
        try {
            executor.execute(work);
            return Verdict.RUNS;
        } catch (RejectedExecutionException e) {
            if (executor.isShutdown()) {
                return Verdict.CLOSED;
            }
            refusedBusy.incrementAndGet();
            return Verdict.BUSY;
        }
    }

    /**
     * Whether a new request from {@code source} would be over its rate now (no token taken); counted as a rate
     * refusal when it is.
     */
    boolean refuseEarly(InetAddress source) {
        if (capacity.perSource().exhausted(source, System.nanoTime())) {
            refusedRate.incrementAndGet();
            return true;
        }
        return false;
    }

    /** Seconds a source over its rate should wait (for Retry-After). */
    int retryAfterSeconds(Verdict v) {
        return v == Verdict.OVER_RATE ? capacity.perSource().retryAfterSeconds() : 1;
    }

    long[] refusals() {
        return new long[] {refusedRate.get(), refusedBusy.get()};
    }

    void close() {
        executor.shutdownNow();
    }
}
