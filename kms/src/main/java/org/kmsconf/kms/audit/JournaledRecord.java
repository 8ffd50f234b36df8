package org.kmsconf.kms.audit;

/**
 * An audit record on its way to the table, with where it is in its node's audit journal: the segment (a name unique
 * across nodes) and the offset just after the record; {@code segment} null when it was not journaled.
 */
public record JournaledRecord(AuditRecord record, String segment, long end) {

    /** A record that was not journaled (a process that does not serve). */
    public static JournaledRecord unjournaled(AuditRecord r) {
        return new JournaledRecord(r, null, 0);
    }
}
