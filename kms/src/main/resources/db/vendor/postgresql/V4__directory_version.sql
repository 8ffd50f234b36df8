-- What the KMS caches from the store (users, public identities, keys, conference factories and their focus URIs,
-- policy rules) has one version number, raised in the same transaction as every statement that changes one of those
-- tables, whoever runs it (a KMS node, the kms CLI, an operator in psql). A node reads this one row once per cache TTL
-- instead of re-reading every cached entry and both identity tables (docs/kms.md "Read cache").
CREATE TABLE directory_version (
    id      INT    PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO directory_version (id, version) VALUES (1, 0);

-- The table is named with the schema of the changed table: a session with another search_path raises the right row.
CREATE FUNCTION directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('UPDATE %I.directory_version SET version = version + 1 WHERE id = 1', TG_TABLE_SCHEMA);
    RETURN NULL;
END
$$;

CREATE TRIGGER kms_user_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kms_user
    FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
CREATE TRIGGER public_identity_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public_identity
    FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
CREATE TRIGGER user_psk_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON user_psk
    FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
CREATE TRIGGER conference_factory_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON conference_factory
    FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
CREATE TRIGGER factory_focus_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON factory_focus
    FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
CREATE TRIGGER policy_rule_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policy_rule
    FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
