package org.kmsconf.kms.audit;

/**
 * An audit record on its way to the table, with where it is in the audit journal ({@code segment:offset}, unique
 * across nodes) or null when it was not journaled.
 */
public record JournaledRecord(AuditRecord record, String ref) {
}
