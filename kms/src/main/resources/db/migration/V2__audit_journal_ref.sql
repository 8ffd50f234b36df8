-- Where an audit record came from in its node's audit journal (segment:offset), so that records read back from the
-- journal after a crash are inserted once, however often the recovery runs. NULL for records written without one.
ALTER TABLE audit_record ADD COLUMN journal_ref VARCHAR(64);
CREATE UNIQUE INDEX audit_record_journal_ref ON audit_record (journal_ref);
