package org.kmsconf.kms.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.kmsconf.kms.crypto.OwnerOnlyFiles;
import org.kmsconf.kms.journal.GroupSync;
import org.kmsconf.kms.journal.MappedSegment;
import org.kmsconf.kms.journal.SpareSegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail made crash-proof: each record is appended here (a copy into the segment's shared memory mapping,
 * {@link MappedSegment}) before the answer it
 * belongs to leaves, and reaches the table later, in batches. A record thus survives a {@code kill -9} of the KMS
 * (it is in the operating system's page cache; with {@code fsync} also on the disk) even though the table write
 * had not happened or H2 had not yet written its file. At the next start every record still in the journal is
 * inserted (once: the table keeps, per segment, how far its records are in) before the KMS serves.
 *
 * <p>Segment files {@code audit-<epoch ms>-<random>.journal} (owner-only) in a directory that one KMS process holds
 * locked; a new segment every 10 s, or when the current one ({@value #SEGMENT_BYTES} bytes) is full; a closed
 * segment is deleted once every record in it is in the table and the table was made durable. Record:
 * {@code u32 length | payload | CRC-32}; a torn last record fails its CRC and ends the read, and so does the zero
 * tail of a segment the process did not close.
 */
public final class AuditJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditJournal.class);
    private static final long SEGMENT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Room of one segment: about 20 000 records, or 1 s at 20 000 answers a second. */
    static final int SEGMENT_BYTES = 4 << 20;

    private record Segment(Path path, long lastSeq) {
    }

    private final Path dir;
    private final boolean fsync;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final List<JournaledRecord> recovered = new ArrayList<>();
    private final List<Path> recoveredSegments = new ArrayList<>();
    private final List<Segment> closed = new ArrayList<>();
    private MappedSegment current;
    private Path currentPath;
    private String currentName;
    private long currentStartNanos;
    private long seq;
    private final GroupSync sync = new GroupSync();
    private SpareSegment spares;

    private AuditJournal(Path dir, boolean fsync, FileChannel lockFile, FileLock lock) {
        this.dir = dir;
        this.fsync = fsync;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** Opens (creating it owner-only) the journal in {@code dir} and reads what a previous process left there. */
    public static AuditJournal open(Path dir, boolean fsync) {
        try {
            OwnerOnlyFiles.createDirectories(dir);
            FileChannel lf = FileChannel.open(dir.resolve("lock"), Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE), OwnerOnlyFiles.FILE);
            FileLock l;
            try {
                l = lf.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                l = null; // held by this very JVM (two servers embedded in one process on one data directory)
            }
            if (l == null) {
                lf.close();
                throw new IllegalStateException("the audit journal " + dir + " is in use by another KMS process");
            }
            AuditJournal j = new AuditJournal(dir, fsync, lf, l);
            j.load();
            j.spares = SpareSegment.open(dir, "audit-spare.tmp", SEGMENT_BYTES, "kms-audit-journal-spare");
            j.startSegment();
            return j;
        } catch (IOException e) {
            throw new UncheckedIOException("audit journal in " + dir + " unusable: " + e.getMessage(), e);
        }
    }

    /** Records a previous process journaled; they may or may not be in the table. */
    public List<JournaledRecord> recovered() {
        return List.copyOf(recovered);
    }

    /** The recovered records are in the table, durably: their segments go; returns their names. */
    public synchronized List<String> recoveredStored() throws IOException {
        List<String> names = new ArrayList<>();
        for (Path p : recoveredSegments) {
            Files.deleteIfExists(p);
            names.add(segmentName(p));
        }
        recoveredSegments.clear();
        recovered.clear();
        return names;
    }

    private static String segmentName(Path p) {
        String n = p.getFileName().toString();
        return n.substring(0, n.length() - ".journal".length());
    }

    /**
     * Appends {@code r}; returns once it is written to the operating system (with fsync, {@link #sync()} then puts it
     * on the disk). Records get consecutive sequence numbers from 1 in this process, in the order of these calls.
     */
    public synchronized JournaledRecord append(AuditRecord r) {
        byte[] payload = encode(r);
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length + 4);
        CRC32 crc = new CRC32();
        crc.update(payload);
        b.putInt(payload.length).put(payload).putInt((int) crc.getValue()).flip();
        try {
            if (current == null) {
                throw new IOException("the audit journal is closed");
            }
            if (b.remaining() > SEGMENT_BYTES) {
                throw new IOException("an audit record of " + b.remaining() + " bytes does not fit a segment");
            }
            if (current.isClosed()) {
                startSegment(); // the last rotation closed it but could not create the next one (disk full): retry
            } else if (System.nanoTime() - currentStartNanos > SEGMENT_NANOS || !current.fits(b.remaining())) {
                closed.add(new Segment(currentPath, seq));
                closeCurrent();
                startSegment();
            }
            long end = current.append(b);
            seq++;
            return new JournaledRecord(r, currentName, end);
        } catch (IOException e) {
            throw new UncheckedIOException("audit journal write failed: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("audit journal write failed: " + e.getMessage(), e.getCause());
        }
    }

    /**
     * With fsync: returns once every record appended before this call is on the disk. One {@code msync(2)} covers
     * all records appended while the previous one was in progress (group commit). Without fsync: nothing to do.
     */
    public void sync() {
        if (!fsync) {
            return;
        }
        try {
            sync.syncUpTo(appended(), this::appended, this::segment);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("audit journal sync failed: " + e.getMessage(), e.getCause());
        }
    }

    private synchronized long appended() {
        return seq;
    }

    private synchronized MappedSegment segment() {
        return current;
    }

    /**
     * The first {@code inserted} records of this process are in the table: closed segments holding only such
     * records are deleted, after {@code makeDurable} (once, if there is any); returns the names of those deleted.
     */
    public List<String> release(long inserted, Runnable makeDurable) {
        List<Segment> done = new ArrayList<>();
        synchronized (this) {
            for (Segment s : closed) {
                if (s.lastSeq <= inserted) {
                    done.add(s);
                }
            }
        }
        List<String> deleted = new ArrayList<>();
        if (done.isEmpty()) {
            return deleted;
        }
        makeDurable.run();
        synchronized (this) {
            for (Segment s : done) {
                try {
                    Files.deleteIfExists(s.path);
                    closed.remove(s);
                    deleted.add(segmentName(s.path));
                } catch (IOException e) {
                    LOG.warn("audit journal: cannot delete {}: {}", s.path.getFileName(), e.getMessage());
                }
            }
        }
        return deleted;
    }

    /** Ends the current segment (closing time): {@link #release} may then delete it too. */
    public synchronized void retireCurrent() {
        if (current == null) {
            return;
        }
        try {
            closeCurrent();
        } catch (IOException e) {
            LOG.warn("closing the audit journal segment: {}", e.getMessage());
        }
        closed.add(new Segment(currentPath, seq));
        current = null;
    }

    private void load() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "audit-*.journal")) {
            ds.forEach(files::add);
        }
        files.sort(null);
        for (Path f : files) {
            String name = segmentName(f);
            byte[] bytes = Files.readAllBytes(f);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.remaining() >= 8) {
                int at = b.position();
                if (MappedSegment.zerosFrom(bytes, at)) {
                    break; // the unused room of a segment the process did not close
                }
                int len = b.getInt();
                if (len < 0 || b.remaining() < len + 4) {
                    break;
                }
                byte[] payload = new byte[len];
                b.get(payload);
                CRC32 crc = new CRC32();
                crc.update(payload);
                if ((int) crc.getValue() != b.getInt()) {
                    LOG.warn("audit journal {}: damaged record at byte {} (a crash mid-write); the rest is ignored",
                            f.getFileName(), at);
                    break;
                }
                recovered.add(new JournaledRecord(decode(ByteBuffer.wrap(payload)), name, b.position()));
            }
            recoveredSegments.add(f);
        }
    }

    private void startSegment() throws IOException {
        byte[] r = new byte[4];
        RANDOM.nextBytes(r);
        currentName = "audit-" + String.format("%013d", System.currentTimeMillis()) + "-" + HexFormat.of().formatHex(r);
        currentPath = dir.resolve(currentName + ".journal");
        current = spares.take(currentPath);
        currentStartNanos = System.nanoTime();
    }

    private void closeCurrent() throws IOException {
        current.close(fsync);
    }

    static byte[] encode(AuditRecord r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (DataOutputStream o = new DataOutputStream(bytes)) {
            o.writeLong(r.at().getEpochSecond());
            o.writeInt(r.at().getNano());
            for (String s : new String[] {r.event(), r.outcome(), r.userId(), r.initiator(), r.subject(), r.reason(),
                r.remote()}) {
                if (s == null) {
                    o.writeInt(-1);
                } else {
                    byte[] u = s.getBytes(StandardCharsets.UTF_8);
                    o.writeInt(u.length);
                    o.write(u);
                }
            }
            o.writeBoolean(r.errorCode() != null);
            o.writeInt(r.errorCode() == null ? 0 : r.errorCode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static AuditRecord decode(ByteBuffer b) {
        Instant at = Instant.ofEpochSecond(b.getLong(), b.getInt());
        String[] s = new String[7];
        for (int i = 0; i < s.length; i++) {
            int n = b.getInt();
            if (n >= 0) {
                byte[] u = new byte[n];
                b.get(u);
                s[i] = new String(u, StandardCharsets.UTF_8);
            }
        }
        boolean hasCode = b.get() != 0;
        int code = b.getInt();
        return new AuditRecord(at, s[0], s[1], s[2], s[3], s[4], hasCode ? code : null, s[5], s[6]);
    }

    @Override
    public synchronized void close() {
        try {
            if (current != null) {
                closeCurrent();
                current = null;
            }
            spares.close();
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            LOG.warn("closing the audit journal: {}", e.getMessage());
        }
    }
}
