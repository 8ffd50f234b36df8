-- What the KMS caches from the store (users, public identities, keys, conference factories and their focus URIs,
-- policy rules) has one version number, raised in the same transaction as every statement that changes one of those
-- tables (org.kmsconf.kms.store.DirectoryChanged). The KMS reads this one row once per cache TTL instead of
-- re-reading every cached entry and both identity tables (docs/kms.md "Read cache").
CREATE TABLE directory_version (
    id      INT    PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO directory_version (id, version) VALUES (1, 0);

CREATE TRIGGER kms_user_changed AFTER INSERT, UPDATE, DELETE ON kms_user
    CALL 'org.kmsconf.kms.store.DirectoryChanged';
CREATE TRIGGER public_identity_changed AFTER INSERT, UPDATE, DELETE ON public_identity
    CALL 'org.kmsconf.kms.store.DirectoryChanged';
CREATE TRIGGER user_psk_changed AFTER INSERT, UPDATE, DELETE ON user_psk
    CALL 'org.kmsconf.kms.store.DirectoryChanged';
CREATE TRIGGER conference_factory_changed AFTER INSERT, UPDATE, DELETE ON conference_factory
    CALL 'org.kmsconf.kms.store.DirectoryChanged';
CREATE TRIGGER factory_focus_changed AFTER INSERT, UPDATE, DELETE ON factory_focus
    CALL 'org.kmsconf.kms.store.DirectoryChanged';
CREATE TRIGGER policy_rule_changed AFTER INSERT, UPDATE, DELETE ON policy_rule
    CALL 'org.kmsconf.kms.store.DirectoryChanged';
