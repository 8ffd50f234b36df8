package org.kmsconf.kms.audit;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Where the audit trail is kept for good: the store's {@code audit_record} table. */
public interface AuditTable {
    /**
     * Inserts {@code records} in one transaction, in order, together with how far each journal segment they came from
     * is now in the table. Throws if they could not be written.
     */
    void insert(List<JournaledRecord> records);

    /** How far the records of journal {@code segment} are in the table: the offset after the last one, or 0. */
    long insertedUpTo(String segment);

    /** The journal segments are gone: their progress is of no more use. */
    void forget(Collection<String> segments);

    /** The most recent records, newest first. */
    List<AuditRecord> recent(int limit);

    /** Deletes records older than {@code before} (to within the writers' batching, seconds); returns how many. */
    int deleteBefore(Instant before);

    /** Makes what was inserted so far survive a crash of this process (H2 writes its file in the background). */
    void makeDurable();
}
