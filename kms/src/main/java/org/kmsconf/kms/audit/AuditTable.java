package org.kmsconf.kms.audit;

import java.time.Instant;
import java.util.List;

/** Where the audit trail is kept for good: the store's {@code audit_record} table. */
public interface AuditTable {
    /**
     * Inserts {@code records} in one batch, in order; a record whose journal reference is in the table already is
     * skipped (a journal replayed after a crash). Throws if they could not be written.
     */
    void insert(List<JournaledRecord> records);

    /** The most recent records, newest first. */
    List<AuditRecord> recent(int limit);

    /** Deletes records older than {@code before}; returns how many. */
    int deleteBefore(Instant before);

    /** Makes what was inserted so far survive a crash of this process (H2 writes its file in the background). */
    void makeDurable();
}
