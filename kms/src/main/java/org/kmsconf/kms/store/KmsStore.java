package org.kmsconf.kms.store;

import java.nio.charset.StandardCharsets;
import org.kmsconf.kms.audit.AuditJournal;
import org.kmsconf.kms.audit.AuditLog;
import org.kmsconf.kms.crypto.MasterKey;
import org.kmsconf.kms.crypto.MasterKeySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opened KMS store: database (migrated), master key (checked against the store), KMS identity, ticket
 * protection key, and the repositories over them. It owns these resources and closes them; the server hands each
 * component the repositories it needs, the admin commands use them directly.
 */
public final class KmsStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KmsStore.class);
    private static final byte[] CHECK = "kmsconf master key check".getBytes(StandardCharsets.US_ASCII);

    private final Database db;
    private final MasterKey masterKey;
    private final UserRepository users;
    private final ConferenceSystemRepository conferenceSystems;
    private final PolicyRepository policy;
    private final TicketKeyRepository ticketKeys;
    private final SettingsRepository settings;
    private final AuditLog audit;
    private final DirectoryCache cache;
    private final IdentityIndex identities;
    private final String kmsIdentity;
    /** False for a {@link #borrowed()} view: closing it leaves the store open. */
    private final boolean owned;

    private KmsStore(Database db, MasterKey masterKey, StoreConfig config, String kmsIdentity,
            AuditJournal auditJournal) {
        this.db = db;
        this.masterKey = masterKey;
        this.users = new UserRepository(db, masterKey);
        this.conferenceSystems = new ConferenceSystemRepository(db);
        this.policy = new PolicyRepository(db);
        this.ticketKeys = new TicketKeyRepository(db, masterKey);
        this.settings = new SettingsRepository(db);
        this.audit = new AuditLog(new AuditRepository(db, config.nodeName()), auditJournal);
        this.cache = new DirectoryCache(config.cacheTtl().toMillis(), () -> directoryVersion(db));
        this.identities = new IdentityIndex(db, cache);
        this.kmsIdentity = kmsIdentity;
        this.owned = true;
    }

    private KmsStore(KmsStore base) {
        this.db = base.db;
        this.masterKey = base.masterKey;
        this.users = base.users;
        this.conferenceSystems = base.conferenceSystems;
        this.policy = base.policy;
        this.ticketKeys = base.ticketKeys;
        this.settings = base.settings;
        this.audit = base.audit;
        this.cache = base.cache;
        this.identities = base.identities;
        this.kmsIdentity = base.kmsIdentity;
        this.owned = false;
    }

    /**
     * Opens (and on first use initialises) the store described by {@code config}, for the KMS named
     * {@code kmsIdentity} (IDRkms, a URI).
     *
     * @param createMasterKey whether a missing master key file may be created (kms init / serve)
     */
    public static KmsStore open(StoreConfig config, String kmsIdentity, boolean createMasterKey) {
        return open(config, kmsIdentity, createMasterKey, null);
    }

    /**
     * As {@link #open(StoreConfig, String, boolean)}, the audit trail journaled to {@code auditJournal} (a serving
     * KMS: the records it left there before a crash are inserted first); the store closes the journal.
     */
    public static KmsStore open(StoreConfig config, String kmsIdentity, boolean createMasterKey,
            AuditJournal auditJournal) {
        UserRepository.requireUri(kmsIdentity);
        MasterKey mk = config.masterKeyHex() != null
                ? MasterKeySource.load(config.masterKeyHex(), config.effectiveMasterKeyFile(), false)
                : MasterKeySource.load(System.getenv(MasterKeySource.ENV), config.effectiveMasterKeyFile(),
                        createMasterKey);
        Database db;
        try {
            db = Database.open(config);
        } catch (RuntimeException e) {
            mk.close();
            throw e;
        }
        KmsStore s = null;
        try {
            s = new KmsStore(db, mk, config, kmsIdentity, auditJournal);
            String sealedCheck = s.settings.putIfAbsent(SettingsRepository.MASTER_KEY_CHECK,
                    mk.seal(CHECK, "master-key-check"));
            try {
                mk.open(sealedCheck, "master-key-check");
            } catch (MasterKey.WrongMasterKeyException e) {
                throw new IllegalArgumentException("the master key does not match this store (wrong "
                        + MasterKeySource.ENV + " or key file " + config.effectiveMasterKeyFile() + ")");
            }
            String stored = s.settings.get(SettingsRepository.KMS_IDENTITY).orElse(null);
            if (!kmsIdentity.equals(stored)) {
                s.settings.put(SettingsRepository.KMS_IDENTITY, kmsIdentity);
                if (stored != null) {
                    LOG.warn("KMS identity changed from {} to {}: tickets naming the old identity will not resolve",
                            stored, kmsIdentity);
                }
            }
            s.ticketKeys.ensureActive();
            db.checkpoint();
            return s;
        } catch (RuntimeException e) {
            if (s != null) {
                s.audit.close();
            }
            db.close();
            mk.close();
            throw e;
        }
    }

    public Database database() {
        return db;
    }

    public UserRepository users() {
        return users;
    }

    public ConferenceSystemRepository conferenceSystems() {
        return conferenceSystems;
    }

    public PolicyRepository policy() {
        return policy;
    }

    public TicketKeyRepository ticketKeys() {
        return ticketKeys;
    }

    public SettingsRepository settings() {
        return settings;
    }

    public AuditLog audit() {
        return audit;
    }

    /** A view of this open store whose {@link #close()} does nothing (the admin interface of a running KMS). */
    public KmsStore borrowed() {
        return new KmsStore(this);
    }

    /** The store's directory version (raised by a trigger with every change to what the KMS caches, migration V4). */
    private static long directoryVersion(Database db) {
        return Jdbc.read(db, "read the directory version", c -> Jdbc.query(c,
                "SELECT version FROM directory_version WHERE id = 1", rs -> rs.getLong(1)).get(0));
    }

    /** Identity and key-id owners, for look-ups made before authentication (no query per unknown value). */
    public IdentityIndex identities() {
        return identities;
    }

    /** The request-path read cache; administrative changes through this process invalidate it. */
    public DirectoryCache cache() {
        return cache;
    }

    /** The KMS identity (IDRkms) as a URI. */
    public String kmsIdentity() {
        return kmsIdentity;
    }

    /** Flushes the audit trail, makes the store durable and closes it; failures are logged, never thrown. */
    @Override
    public void close() {
        if (!owned) {
            return;
        }
        try {
            audit.close();
            db.checkpoint();
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("already closed")) {
                // SIGTERM: H2's own shutdown hook got there first; committed data is on disk.
                LOG.debug("closing the store: {}", e.getMessage());
            } else {
                LOG.warn("closing the store: {}", e.getMessage());
            }
        } finally {
            db.close();
            masterKey.close();
        }
    }
}
