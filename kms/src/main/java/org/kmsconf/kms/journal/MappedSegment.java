package org.kmsconf.kms.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.kmsconf.kms.crypto.OwnerOnlyFiles;

/**
 * One segment file of a journal, appended to through a shared memory mapping: an append is a copy into the operating
 * system's page cache, with no system call, and is there for every later reader of the file as soon as the copy is
 * done. That is the same promise as a {@code write(2)}: the record survives a crash of the process ({@code kill -9}),
 * not a crash of the machine; {@link #force()} ({@code msync(2)}) puts it on the disk.
 *
 * <p>The file is created at its full capacity and filled with zeros by real writes before it is mapped, so its disk
 * blocks exist: a full disk is an {@link IOException} here, when a segment is created, never a fault in the middle of
 * an append. A segment that was not closed (the process died) keeps that size, its records followed by zeros; a
 * reader stops at the first record whose length field is zero where the rest of the file is zeros ({@link
 * #zerosFrom}). {@link #close()} cuts the file to what was appended.
 *
 * <p>Not thread-safe: the journal that owns it appends under its own lock.
 */
public final class MappedSegment implements AutoCloseable {
    /** Zeros written to a new segment, 1 MiB a call; never changed, so every thread writes from a duplicate of it. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private final FileChannel channel;
    private final MappedByteBuffer map;
    private volatile boolean closed;

    private MappedSegment(FileChannel channel, MappedByteBuffer map) {
        this.channel = channel;
        this.map = map;
    }

    /**
     * Creates {@code path} (it must not exist; owner-only) with {@code capacity} bytes of zeros on the disk and maps
     * it.
     */
    public static MappedSegment create(Path path, int capacity) throws IOException {
        FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE), OwnerOnlyFiles.FILE);
        try {
            ByteBuffer zeros = ZEROS.duplicate();
            long at = 0;
            while (at < capacity) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - at));
                at += ch.write(zeros, at);
            }
            return new MappedSegment(ch, ch.map(FileChannel.MapMode.READ_WRITE, 0, capacity));
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(path); // no half-made segment left behind (a full disk)
            throw e;
        }
    }

    /** Whether {@code bytes} more fit. */
    public boolean fits(int bytes) {
        return map.remaining() >= bytes;
    }

    /**
     * Copies {@code record} (position to limit) in; the caller checked {@link #fits}.
     *
     * @return the segment's length after it
     * @throws IOException once closed (the file is cut to its records: a copy past them would fault)
     */
    public long append(ByteBuffer record) throws IOException {
        if (closed) {
            throw new IOException("journal segment closed");
        }
        map.put(record);
        return map.position();
    }

    /** Whether {@link #close} ran: a journal whose next segment could not be created retries before appending. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Puts everything appended so far on the disk ({@code msync(2)}); nothing once closed (a journal forces a segment
     * before it closes it when it syncs at all). May run while another thread appends.
     */
    public void force() {
        if (!closed) {
            map.force();
        }
    }

    /** Cuts the file to what was appended, optionally after {@link #force()}, and closes it. */
    public void close(boolean force) throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (force) {
                map.force();
            }
            channel.truncate(map.position());
        } finally {
            channel.close();
        }
    }

    @Override
    public void close() throws IOException {
        close(false);
    }

    /** Whether {@code bytes} holds only zeros from {@code from} to its end: the unused tail of a segment. */
    public static boolean zerosFrom(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
