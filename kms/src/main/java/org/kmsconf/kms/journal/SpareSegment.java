package org.kmsconf.kms.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A journal's next segment, made ahead of time on a thread of its own. Making a segment writes its whole capacity of
 * zeros ({@link MappedSegment#create}): milliseconds of writes that would otherwise run on the request thread that
 * happens to fill the current segment, inside the journal's lock, holding up every request behind it. At a rotation
 * the journal {@link #take}s the spare (a rename to the segment's name), and the next spare is started at once.
 *
 * <p>The spare's file name is not a segment name, so readers of the journal never see it; one left over by a process
 * that died is deleted when the journal opens ({@link #open}). If the spare could not be made (a full disk), {@link
 * #take} makes the segment on the spot, as before, and reports that error.
 *
 * <p>{@link #take} is not thread-safe: the journal calls it under its own lock.
 */
public final class SpareSegment implements AutoCloseable {
    private final Path spare;
    private final int capacity;
    private final ExecutorService maker;
    private final AtomicLong takenReady = new AtomicLong();
    private Future<MappedSegment> next;

    private SpareSegment(Path spare, int capacity, String threadName) {
        this.spare = spare;
        this.capacity = capacity;
        this.maker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Spares for the journal in {@code dir}, in the file {@code name} there (deleted first if a process that died left
     * it); segments of {@code capacity} bytes. The first spare is made when the first segment is taken.
     */
    public static SpareSegment open(Path dir, String name, int capacity, String threadName) throws IOException {
        Path p = dir.resolve(name);
        Files.deleteIfExists(p);
        return new SpareSegment(p, capacity, threadName);
    }

    /**
     * The next segment, as the new file {@code target}: the spare if it was made, else one made now; then the next
     * spare is started.
     *
     * @throws IOException if no segment could be made, or {@code target} exists
     */
    public MappedSegment take(Path target) throws IOException {
        MappedSegment s = ready();
        try {
            if (s != null) {
                try {
                    Files.move(spare, target); // rename(2); refuses an existing target
                    takenReady.incrementAndGet();
                    return s;
                } catch (IOException e) {
                    s.close();
                    Files.deleteIfExists(spare);
                    throw e;
                }
            }
            return MappedSegment.create(target, capacity);
        } finally {
            startNext();
        }
    }

    /** How many segments were taken made ahead (tests: a rotation does not write zeros on the request thread). */
    public long takenReady() {
        return takenReady.get();
    }

    /** The spare made ahead, waiting for it if it is being made; null if none was started or making it failed. */
    private MappedSegment ready() throws IOException {
        Future<MappedSegment> f = next;
        next = null;
        if (f == null) {
            return null;
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            Files.deleteIfExists(spare);
            return null; // made on the spot instead, which reports the error if it persists
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while taking the next journal segment", e);
        }
    }

    private void startNext() {
        if (!maker.isShutdown()) {
            next = maker.submit(() -> MappedSegment.create(spare, capacity));
        }
    }

    /** Stops making spares and deletes the one made. */
    @Override
    public void close() {
        maker.shutdown();
        try {
            maker.awaitTermination(10, TimeUnit.SECONDS);
            MappedSegment s = ready();
            if (s != null) {
                s.close();
            }
            Files.deleteIfExists(spare);
        } catch (IOException e) {
            // the next open deletes it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
