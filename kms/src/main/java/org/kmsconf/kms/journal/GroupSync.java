package org.kmsconf.kms.journal;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Group commit for an append-only journal written in segments (the replay journal, the audit journal): a writer that
 * needs its record on the disk calls {@link #syncUpTo}; one {@code msync(2)} then covers every record written
 * before it started, so concurrent writers share it instead of queueing one each.
 */
public final class GroupSync {
    private final Object lock = new Object();
    private long synced;

    /**
     * Returns once record number {@code record} is on the disk.
     *
     * @param written how many records are written now (read when the sync starts: they are all covered by it)
     * @param segment the segment being written (null if none); a segment closed meanwhile by a rotation is fine,
     *     since a journal forces a segment before it closes it
     */
    public void syncUpTo(long record, LongSupplier written, Supplier<MappedSegment> segment) {
        synchronized (lock) {
            if (synced >= record) {
                return;
            }
            long upTo = written.getAsLong();
            MappedSegment seg = segment.get();
            if (seg != null) {
                seg.force(); // a segment closed meanwhile by a rotation was forced before it closed
            }
            synced = upTo;
        }
    }
}
