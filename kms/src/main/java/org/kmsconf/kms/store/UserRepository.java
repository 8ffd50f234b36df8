package org.kmsconf.kms.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.kmsconf.kms.crypto.MasterKey;

/**
 * Users, their public identities and their pre-shared keys (sealed under the master key, associated data
 * {@code psk:<key id hex>}).
 */
public final class UserRepository {
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@+-]{1,128}");
    private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:[^\\s]{1,500}");

    private final Database db;
    private final MasterKey masterKey;

    public UserRepository(Database db, MasterKey masterKey) {
        this.db = db;
        this.masterKey = masterKey;
    }

    public static void requireUserId(String userId) {
        if (userId == null || !USER_ID.matcher(userId).matches()) {
            throw new IllegalArgumentException("invalid user id '" + userId
                    + "' (1-128 characters of A-Z a-z 0-9 . _ @ + -)");
        }
    }

    public static void requireUri(String uri) {
        if (uri == null || !URI.matcher(uri).matches()) {
            throw new IllegalArgumentException("invalid public identity '" + uri + "' (expected a URI such as"
                    + " sip:alice@operator)");
        }
    }

    static void requireKey(byte[] psk) {
        if (psk.length != 16 && psk.length != 32) {
            throw new IllegalArgumentException("a pre-shared key must be 128 or 256 bits, got " + psk.length * 8);
        }
    }

    /** Adds a user with its identities and first PSK, all or nothing. */
    public KmsUser add(String userId, List<String> identities, boolean canCreateConferences, byte[] keyId,
            byte[] psk) {
        requireUserId(userId);
        if (identities.isEmpty()) {
            throw new IllegalArgumentException("a user needs at least one public identity");
        }
        identities.forEach(UserRepository::requireUri);
        requireKey(psk);
        requireKeyId(keyId);
        String keyIdHex = HexFormat.of().formatHex(keyId);
        Instant now = Instant.now();
        Jdbc.inTransaction(db, "add user " + userId, c -> {
            if (!Jdbc.query(c, "SELECT 1 FROM kms_user WHERE user_id = ?", rs -> 1, userId).isEmpty()) {
                throw new IllegalArgumentException("user " + userId + " already exists");
            }
            Jdbc.update(c, "INSERT INTO kms_user (user_id, enabled, can_create_conferences, created_at)"
                    + " VALUES (?, TRUE, ?, ?)", userId, canCreateConferences, ts(now));
            for (String uri : identities) {
                insertIdentity(c, userId, uri);
            }
            insertPsk(c, userId, keyIdHex, psk, now);
            return null;
        });
        return find(userId).orElseThrow();
    }

    private void insertIdentity(Connection c, String userId, String uri) throws SQLException {
        List<String> owner = Jdbc.query(c, "SELECT user_id FROM public_identity WHERE uri = ?",
                rs -> rs.getString(1), uri);
        if (!owner.isEmpty()) {
            throw new IllegalArgumentException("public identity " + uri + " already belongs to user " + owner.get(0));
        }
        Jdbc.update(c, "INSERT INTO public_identity (uri, user_id) VALUES (?, ?)", uri, userId);
    }

    private void insertPsk(Connection c, String userId, String keyIdHex, byte[] psk, Instant now)
            throws SQLException {
        if (!Jdbc.query(c, "SELECT 1 FROM user_psk WHERE key_id = ?", rs -> 1, keyIdHex).isEmpty()) {
            throw new IllegalArgumentException("key id " + keyIdHex + " is already in use");
        }
        Jdbc.update(c, "INSERT INTO user_psk (key_id, user_id, key_bits, sealed_key, active, created_at)"
                + " VALUES (?, ?, ?, ?, TRUE, ?)", keyIdHex, userId, psk.length * 8,
                masterKey.seal(psk, "psk:" + keyIdHex), ts(now));
    }

    static void requireKeyId(byte[] keyId) {
        if (keyId.length < 1 || keyId.length > 64) {
            throw new IllegalArgumentException("a key id must be 1 to 64 bytes, got " + keyId.length);
        }
    }

    public void addIdentity(String userId, String uri) {
        requireUri(uri);
        Jdbc.inTransaction(db, "add identity", c -> {
            requireExists(c, userId);
            insertIdentity(c, userId, uri);
            return null;
        });
    }

    public void removeIdentity(String userId, String uri) {
        Jdbc.inTransaction(db, "remove identity", c -> {
            if (Jdbc.update(c, "DELETE FROM public_identity WHERE uri = ? AND user_id = ?", uri, userId) == 0) {
                throw new IllegalArgumentException("user " + userId + " has no public identity " + uri);
            }
            return null;
        });
    }

    public void setEnabled(String userId, boolean enabled) {
        Jdbc.inTransaction(db, "update user", c -> {
            requireExists(c, userId);
            Jdbc.update(c, "UPDATE kms_user SET enabled = ? WHERE user_id = ?", enabled, userId);
            return null;
        });
    }

    public void setCanCreateConferences(String userId, boolean can) {
        Jdbc.inTransaction(db, "update user", c -> {
            requireExists(c, userId);
            Jdbc.update(c, "UPDATE kms_user SET can_create_conferences = ? WHERE user_id = ?", can, userId);
            return null;
        });
    }

    /** Replaces the user's active PSK by a new one; the old key stops working at once. */
    public void rotateKey(String userId, byte[] keyId, byte[] psk) {
        requireKey(psk);
        requireKeyId(keyId);
        String keyIdHex = HexFormat.of().formatHex(keyId);
        Jdbc.inTransaction(db, "rotate key", c -> {
            requireExists(c, userId);
            Jdbc.update(c, "UPDATE user_psk SET active = FALSE WHERE user_id = ?", userId);
            insertPsk(c, userId, keyIdHex, psk, Instant.now());
            return null;
        });
    }

    private static void requireExists(Connection c, String userId) throws SQLException {
        if (Jdbc.query(c, "SELECT 1 FROM kms_user WHERE user_id = ?", rs -> 1, userId).isEmpty()) {
            throw new IllegalArgumentException("no such user: " + userId);
        }
    }

    public Optional<KmsUser> find(String userId) {
        return Jdbc.read(db, "find user", c -> load(c, "WHERE u.user_id = ?", userId).stream().findFirst());
    }

    public List<KmsUser> list() {
        return Jdbc.read(db, "list users", c -> load(c, ""));
    }

    private static List<KmsUser> load(Connection c, String where, Object... args) throws SQLException {
        record Row(String id, boolean enabled, boolean canCreate, Instant created, String uri, String keyId,
                int bits) {
        }
        List<Row> rows = Jdbc.query(c,
                "SELECT u.user_id, u.enabled, u.can_create_conferences, u.created_at, i.uri, k.key_id, k.key_bits"
                        + " FROM kms_user u LEFT JOIN public_identity i ON i.user_id = u.user_id"
                        + " LEFT JOIN user_psk k ON k.user_id = u.user_id AND k.active = TRUE " + where
                        + " ORDER BY u.user_id, i.uri",
                rs -> new Row(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5), rs.getString(6),
                        rs.getInt(7)),
                args);
        Map<String, List<Row>> byUser = new LinkedHashMap<>();
        for (Row r : rows) {
            byUser.computeIfAbsent(r.id, k -> new ArrayList<>()).add(r);
        }
        List<KmsUser> out = new ArrayList<>();
        for (List<Row> rs : byUser.values()) {
            Row f = rs.get(0);
            List<String> ids = rs.stream().map(Row::uri).filter(u -> u != null).distinct().toList();
            out.add(new KmsUser(f.id, f.enabled, f.canCreate, ids, f.keyId, f.bits, f.created));
        }
        return out;
    }

    /** The user owning a public identity, if any. */
    public Optional<String> ownerOf(String uri) {
        return Jdbc.read(db, "find identity", c -> Jdbc.query(c,
                "SELECT user_id FROM public_identity WHERE uri = ?", rs -> rs.getString(1), uri)
                .stream().findFirst());
    }

    /** The active PSK named by an IDRpsk key id, opened under the master key. */
    public Optional<UserPsk> activePskByKeyId(byte[] keyId) {
        String keyIdHex = HexFormat.of().formatHex(keyId);
        return Jdbc.read(db, "find key", c -> Jdbc.query(c,
                "SELECT user_id, sealed_key FROM user_psk WHERE key_id = ? AND active = TRUE",
                rs -> open(rs.getString(1), keyIdHex, rs.getString(2)), keyIdHex).stream().findFirst());
    }

    /** The active PSK named by an IDRpsk key id, still sealed (for the request-path cache; see {@link #open}). */
    public Optional<SealedPsk> activeSealedPskByKeyId(byte[] keyId) {
        String keyIdHex = HexFormat.of().formatHex(keyId);
        return Jdbc.read(db, "find key", c -> Jdbc.query(c,
                "SELECT user_id, sealed_key FROM user_psk WHERE key_id = ? AND active = TRUE",
                rs -> new SealedPsk(rs.getString(1), keyIdHex, rs.getString(2)), keyIdHex).stream().findFirst());
    }

    /** A PSK as stored: owner, key id, and the key sealed under the master key. */
    public record SealedPsk(String userId, String keyIdHex, String sealed) {
        @Override
        public String toString() {
            return "SealedPsk[" + userId + ", " + keyIdHex + "]";
        }
    }

    /** Opens a sealed PSK under the master key. */
    public UserPsk open(SealedPsk p) {
        return open(p.userId(), p.keyIdHex(), p.sealed());
    }

    /** The user's active PSK (for a request that names the user by IDRi instead of IDRpsk). */
    public Optional<UserPsk> activePskOfUser(String userId) {
        return Jdbc.read(db, "find key", c -> Jdbc.query(c,
                "SELECT user_id, key_id, sealed_key FROM user_psk WHERE user_id = ? AND active = TRUE",
                rs -> open(rs.getString(1), rs.getString(2), rs.getString(3)), userId).stream().findFirst());
    }

    private UserPsk open(String userId, String keyIdHex, String sealed) {
        byte[] key = masterKey.open(sealed, "psk:" + keyIdHex);
        try {
            return new UserPsk(userId, HexFormat.of().parseHex(keyIdHex), key);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    private static OffsetDateTime ts(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
