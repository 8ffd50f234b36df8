package org.kmsconf.kms.store;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.kmsconf.kms.crypto.MasterKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS's ticket protection keys, sealed under the master key (associated data {@code tpk:<key id hex>}). Exactly
 * one is active and protects new tickets; the others still open the tickets they protected until they are dropped.
 */
public final class TicketKeyRepository {
    /**
     * TPK length: 256 bits, enough for both algorithm sets (docs/profile.md §1 row 3: 256-bit TPKs with the 256-bit
     * set; §3 item 14: the base ticket's RAND at least as long as the keys it protects, RFC 6043 §6.1).
     */
    public static final int TPK_BYTES = 32;
    private static final Logger LOG = LoggerFactory.getLogger(TicketKeyRepository.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final MasterKey masterKey;

    public TicketKeyRepository(Database db, MasterKey masterKey) {
        this.db = db;
        this.masterKey = masterKey;
    }

    /**
     * Creates the first TPK if the store has none. Several nodes starting at once on an empty database create exactly
     * one: the first TPK is inserted together with a {@code tpk.first} setting row, whose primary key lets only one
     * such transaction commit; the others roll back and use the winner's key.
     */
    public void ensureActive() {
        if (activeKeyIdHex().isPresent()) {
            return;
        }
        try {
            String idHex = create("create the first ticket protection key", true, newId -> c ->
                    Jdbc.update(c, "INSERT INTO kms_setting (setting_name, setting_value) VALUES ('tpk.first', ?)",
                            newId));
            LOG.info("first ticket protection key {} is active", idHex);
        } catch (StoreException e) {
            if (activeKeyIdHex().isEmpty()) {
                throw e;
            }
            // another node created it first
        }
    }

    /**
     * Creates a fresh TPK and makes it the active one. The key is on disk before it becomes active: a ticket is only
     * ever protected by a key that survives a crash (on H2, which writes committed rows to its file about once a
     * second, an explicit checkpoint in between).
     */
    public String rotate() {
        String idHex = create("create ticket protection key", false, newId -> c -> 0);
        db.checkpoint();
        Jdbc.inTransaction(db, "activate ticket protection key", c ->
                Jdbc.update(c, "UPDATE ticket_key SET active = (key_id = ?)", idHex));
        LOG.info("new ticket protection key {} is active", idHex);
        return idHex;
    }

    /** A statement run in the transaction that inserts a new key, before the insert, given the new key's id. */
    @FunctionalInterface
    private interface Before {
        Jdbc.TxBody<Integer> forKey(String idHex);
    }

    /** A fresh random TPK with a fresh id, sealed, inserted (active or not) after {@code before}; its id. */
    private String create(String what, boolean active, Before before) {
        byte[] id = new byte[8];
        byte[] key = new byte[TPK_BYTES];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(key);
        String idHex = HexFormat.of().formatHex(id);
        try {
            String sealed = masterKey.seal(key, "tpk:" + idHex);
            Jdbc.inTransaction(db, what, c -> {
                before.forKey(idHex).run(c);
                Jdbc.update(c, "INSERT INTO ticket_key (key_id, sealed_key, active, created_at) VALUES (?, ?, ?, ?)",
                        idHex, sealed, active, Instant.now().atOffset(ZoneOffset.UTC));
                return null;
            });
            return idHex;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    public Optional<String> activeKeyIdHex() {
        return Jdbc.read(db, "read ticket key", c -> Jdbc.query(c,
                "SELECT key_id FROM ticket_key WHERE active = TRUE ORDER BY created_at DESC",
                rs -> rs.getString(1)).stream().findFirst());
    }

    /** The active TPK, opened. */
    public TicketKey active() {
        return Jdbc.read(db, "read ticket key", c -> Jdbc.query(c,
                "SELECT key_id, sealed_key FROM ticket_key WHERE active = TRUE ORDER BY created_at DESC",
                rs -> open(rs.getString(1), rs.getString(2))).stream().findFirst()
                .orElseThrow(() -> new StoreException("no active ticket protection key (run kmsconf kms init)")));
    }

    /** Every TPK this KMS knows (active first), opened: the set a ticket may be protected with. */
    public List<TicketKey> all() {
        return Jdbc.read(db, "read ticket keys", c -> Jdbc.query(c,
                "SELECT key_id, sealed_key FROM ticket_key ORDER BY active DESC, created_at DESC",
                rs -> open(rs.getString(1), rs.getString(2))));
    }

    public Optional<TicketKey> byKeyId(byte[] keyId) {
        String idHex = HexFormat.of().formatHex(keyId);
        return Jdbc.read(db, "read ticket key", c -> Jdbc.query(c,
                "SELECT key_id, sealed_key FROM ticket_key WHERE key_id = ?",
                rs -> open(rs.getString(1), rs.getString(2)), idHex).stream().findFirst());
    }

    private TicketKey open(String idHex, String sealed) {
        byte[] key = masterKey.open(sealed, "tpk:" + idHex);
        try {
            return new TicketKey(HexFormat.of().parseHex(idHex), key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
