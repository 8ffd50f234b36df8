-- Each secondary index of audit_record is one more B-tree insert for every answered request (on H2 about as much CPU
-- as the row itself). Which journaled records are in the table is now kept per journal segment (one row updated per
-- batch, not an index entry per record), and retention finds its cut-off through the primary key (records are in
-- audit_id order up to the writers' batching), so both per-record indexes go.
DROP INDEX audit_record_journal_ref;
ALTER TABLE audit_record DROP COLUMN journal_ref;
DROP INDEX audit_record_at;
CREATE TABLE audit_journal_progress (
    segment     VARCHAR(64) PRIMARY KEY,
    next_offset BIGINT      NOT NULL
);
