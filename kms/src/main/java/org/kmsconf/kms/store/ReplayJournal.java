package org.kmsconf.kms.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.zip.CRC32;
import org.kmsconf.kms.crypto.OwnerOnlyFiles;
import org.kmsconf.kms.journal.GroupSync;
import org.kmsconf.kms.journal.MappedSegment;
import org.kmsconf.kms.journal.SpareSegment;
import org.kmsconf.mikey.replay.ReplayKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS's replay state made durable (RFC 3830 §5.4 across a restart): every initial message the KMS accepts is
 * appended here <em>before</em> its answer leaves, and read back into the replay partitions at start, so a message
 * accepted before a crash ({@code kill -9}) is refused as a replay after the restart while its timestamp is within the
 * skew window. It replaces H2's own write path, which keeps committed rows in memory for up to a second.
 *
 * <p>Format: segment files {@code replay-<epoch second>.journal} in a directory of their own (mode 0700, files 0600,
 * created so); each record is {@code u16 user length | user (UTF-8) | digest (32) | T seconds (8) | T nanos (4) |
 * expiry millis (8) | CRC-32 (4)}; a torn last record (a crash mid-write) fails its CRC and ends the read, and so
 * does the zero tail of a segment the process did not close ({@link MappedSegment}). A new segment starts every skew
 * interval, or when the current one ({@value #SEGMENT_BYTES} bytes) is full; a segment is deleted once every record
 * in it has expired, so the files hold at most about two skew windows of accepted messages (bounded by the replay
 * partitions' own bounds).
 *
 * <p>Cost: a copy of about 60 bytes into the segment's shared memory mapping per accepted message, no system call
 * (the data is in the operating system's page cache when the answer leaves: safe against a process crash); with
 * {@code fsync} also an {@code msync(2)}, shared by the messages that arrive while one is in progress (group commit):
 * safe against power loss.
 */
public final class ReplayJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayJournal.class);
    private static final String PREFIX = "replay-";
    private static final String SUFFIX = ".journal";
    /** Room of one segment: about 60 000 records, or 3 s at 20 000 accepted messages a second. */
    static final int SEGMENT_BYTES = 4 << 20;

    private record Segment(Path path, long startSecond, long maxExpiryMillis) {
    }

    private final Path dir;
    private final Duration skew;
    private final boolean fsync;
    private final Clock clock;
    private final List<Segment> closed = new ArrayList<>();
    private MappedSegment current;
    private Path currentPath;
    private long currentStart;
    private long currentMaxExpiry;
    private long written;
    private volatile long writtenVolatile;
    private final GroupSync sync = new GroupSync();
    private SpareSegment spares;

    private ReplayJournal(Path dir, Duration skew, boolean fsync, Clock clock) {
        this.dir = dir;
        this.skew = skew;
        this.fsync = fsync;
        this.clock = clock;
    }

    /**
     * Opens the journal in {@code dir} (created owner-only if missing), hands every unexpired record to
     * {@code restore} (user, key), deletes fully expired segments and starts a new one.
     */
    public static ReplayJournal open(Path dir, Duration skew, boolean fsync, Clock clock,
            BiConsumer<String, ReplayKey> restore) {
        ReplayJournal j = new ReplayJournal(dir, skew, fsync, clock);
        try {
            OwnerOnlyFiles.createDirectories(dir);
            j.load(restore);
            j.spares = SpareSegment.open(dir, PREFIX + "spare.tmp", SEGMENT_BYTES, "kms-replay-journal-spare");
            j.startSegment();
        } catch (IOException e) {
            throw new StoreException("replay journal in " + dir + " unusable: " + e.getMessage(), e);
        }
        return j;
    }

    private void load(BiConsumer<String, ReplayKey> restore) throws IOException {
        long now = clock.millis();
        int restored = 0;
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            ds.forEach(files::add);
        }
        files.sort(null);
        for (Path f : files) {
            long start;
            try {
                String n = f.getFileName().toString();
                start = Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
            } catch (NumberFormatException e) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(f);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            long maxExpiry = 0;
            while (b.remaining() >= 2) {
                int at = b.position();
                if (MappedSegment.zerosFrom(bytes, at)) {
                    break; // the unused room of a segment the process did not close
                }
                int userLen = b.getShort() & 0xffff;
                if (b.remaining() < userLen + 32 + 8 + 4 + 8 + 4) {
                    break;
                }
                byte[] user = new byte[userLen];
                b.get(user);
                byte[] digest = new byte[32];
                b.get(digest);
                long sec = b.getLong();
                int nano = b.getInt();
                long expiry = b.getLong();
                int crc = b.getInt();
                CRC32 c = new CRC32();
                c.update(b.array(), at, b.position() - 4 - at);
                if ((int) c.getValue() != crc) {
                    LOG.warn("replay journal {}: damaged record at byte {} (a crash mid-write); the rest of the"
                            + " segment is ignored", f.getFileName(), at);
                    break;
                }
                maxExpiry = Math.max(maxExpiry, expiry);
                if (expiry >= now) {
                    restore.accept(new String(user, StandardCharsets.UTF_8),
                            ReplayKey.fromDigest(digest, Instant.ofEpochSecond(sec, nano)));
                    restored++;
                }
            }
            if (maxExpiry < now) {
                Files.deleteIfExists(f);
            } else {
                closed.add(new Segment(f, start, maxExpiry));
            }
        }
        if (restored > 0) {
            LOG.info("replay journal: {} messages accepted before the restart are still within the skew window",
                    restored);
        }
    }

    private void startSegment() throws IOException {
        long start = clock.instant().getEpochSecond();
        Path p = dir.resolve(PREFIX + String.format("%019d", start) + SUFFIX);
        while (Files.exists(p)) {
            start++;
            p = dir.resolve(PREFIX + String.format("%019d", start) + SUFFIX);
        }
        current = spares.take(p);
        currentPath = p;
        currentStart = start;
        currentMaxExpiry = 0;
    }

    /**
     * Appends one accepted message; returns once the record is written to the operating system (and, with fsync,
     * on the disk).
     *
     * @throws StoreException if it cannot be written (the message must then not be answered)
     */
    public void append(String user, ReplayKey key, Instant expiry) {
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + u.length + 32 + 8 + 4 + 8 + 4);
        b.putShort((short) u.length).put(u).put(key.digestBytes()).putLong(key.timestamp().getEpochSecond())
                .putInt(key.timestamp().getNano()).putLong(expiry.toEpochMilli());
        CRC32 c = new CRC32();
        c.update(b.array(), 0, b.position());
        b.putInt((int) c.getValue()).flip();
        long mine;
        synchronized (this) {
            try {
                rotateIfDue(b.remaining());
                current.append(b);
            } catch (IOException | UncheckedIOException e) {
                throw new StoreException("replay journal write failed: " + e.getMessage(), e);
            }
            currentMaxExpiry = Math.max(currentMaxExpiry, expiry.toEpochMilli());
            written++;
            writtenVolatile = written;
            mine = written;
        }
        if (fsync) {
            syncUpTo(mine);
        }
    }

    /** Group commit: one force() covers every record written before it started ({@link GroupSync}). */
    private void syncUpTo(long record) {
        try {
            sync.syncUpTo(record, () -> writtenVolatile, this::segment);
        } catch (UncheckedIOException e) {
            throw new StoreException("replay journal sync failed: " + e.getMessage(), e);
        }
    }

    private synchronized MappedSegment segment() {
        return current;
    }

    private void rotateIfDue(int recordBytes) throws IOException {
        long now = clock.instant().getEpochSecond();
        if (current.isClosed()) {
            startSegment(); // the last rotation closed it but could not create the next one (disk full): retry
            return;
        }
        if (now - currentStart < Math.max(1, skew.toSeconds()) && current.fits(recordBytes)) {
            return;
        }
        current.close(fsync);
        closed.add(new Segment(currentPath, currentStart, currentMaxExpiry));
        long nowMillis = clock.millis();
        closed.removeIf(s -> {
            if (s.maxExpiryMillis < nowMillis) {
                try {
                    Files.deleteIfExists(s.path);
                } catch (IOException e) {
                    return false;
                }
                return true;
            }
            return false;
        });
        startSegment();
    }

    /** The journal's directory (tests, docs). */
    public Path directory() {
        return dir;
    }

    /** Segments taken made ahead by the spare maker (tests). */
    public long spareSegmentsTaken() {
        return spares.takenReady();
    }

    @Override
    public synchronized void close() {
        try {
            current.close(true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing the replay journal: {}", e.getMessage());
        }
        spares.close();
    }
}
