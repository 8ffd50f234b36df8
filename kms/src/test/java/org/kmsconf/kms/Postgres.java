package org.kmsconf.kms;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL the external tests use: database {@code kmsconf_test} on 127.0.0.1:5432, user postgres, trust
 * authentication. Each test run gets its own schema, dropped afterwards. Unreachable means the test fails.
 */
public final class Postgres {
    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/kmsconf_test";
    public static final String USER = "postgres";

    private Postgres() {
    }

    /** A fresh schema name for one test run. */
    public static String newSchema() {
        return "kms_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** A KMS configuration on that database and schema (shared replay guard on, as for PostgreSQL by default). */
    public static KmsConfig.Builder config(String schema, String masterKeyHex) {
        return KmsConfig.inMemory().jdbcUrl(URL).jdbcUser(USER).dbSchema(schema).masterKeyHex(masterKeyHex);
    }

    public static void dropSchema(String schema) throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
