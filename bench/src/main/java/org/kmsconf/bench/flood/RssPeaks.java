package org.kmsconf.bench.flood;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The peak resident memory of some processes, sampled from /proc every 250 ms until {@link #close()}. */
public final class RssPeaks implements AutoCloseable {
    private final Map<Long, Long> peakKb = new ConcurrentHashMap<>();
    private final Thread sampler;

    private RssPeaks(long... pids) {
        sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sample(pids);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sample(pids);
        sampler.start();
    }

    /** Starts sampling these processes (a pid of 0 or less is an unknown process: its peak stays 0). */
    public static RssPeaks start(long... pids) {
        return new RssPeaks(pids);
    }

    private void sample(long... pids) {
        for (long pid : pids) {
            peakKb.merge(pid, ServedProcess.rssKb(pid), Math::max);
        }
    }

    /** The highest VmRSS seen of this process so far, in KiB. */
    public long peakKb(long pid) {
        return peakKb.getOrDefault(pid, 0L);
    }

    @Override
    public void close() {
        sampler.interrupt();
    }
}
