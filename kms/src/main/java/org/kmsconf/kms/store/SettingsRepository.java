package org.kmsconf.kms.store;

import java.util.Optional;

/** KMS-wide settings (name/value). */
public final class SettingsRepository {
    public static final String KMS_IDENTITY = "kms.identity";
    public static final String MASTER_KEY_CHECK = "master-key.check";

    private final Database db;

    public SettingsRepository(Database db) {
        this.db = db;
    }

    public Optional<String> get(String name) {
        return Jdbc.read(db, "read setting", c -> Jdbc.query(c, "SELECT setting_value FROM kms_setting WHERE setting_name = ?",
                rs -> rs.getString(1), name).stream().findFirst());
    }

    /** Sets a value unless one is there already; returns the value in force afterwards. */
    public String putIfAbsent(String name, String value) {
        return Jdbc.inTransaction(db, "write setting", c -> {
            var existing = Jdbc.query(c, "SELECT setting_value FROM kms_setting WHERE setting_name = ?", rs -> rs.getString(1), name);
            if (!existing.isEmpty()) {
                return existing.get(0);
            }
            try {
                Jdbc.update(c, "INSERT INTO kms_setting (setting_name, setting_value) VALUES (?, ?)", name, value);
            } catch (java.sql.SQLException e) {
                if (!Jdbc.isUniqueViolation(e)) {
                    throw e;
                }
            }
            return value;
        });
    }

    public void put(String name, String value) {
        Jdbc.inTransaction(db, "write setting", c -> {
            if (Jdbc.update(c, "UPDATE kms_setting SET setting_value = ? WHERE setting_name = ?", value, name) == 0) {
                Jdbc.update(c, "INSERT INTO kms_setting (setting_name, setting_value) VALUES (?, ?)", name, value);
            }
            return null;
        });
    }
}
