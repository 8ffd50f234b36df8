package org.kmsconf.kms.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.api.Trigger;

/**
 * H2's statement trigger on every table the KMS caches (migration V4 of {@code db/vendor/h2}): raises
 * {@code directory_version} in the transaction of the change, so that {@link DirectoryCache} sees that its entries are
 * out of date. PostgreSQL runs the same in PL/pgSQL ({@code db/vendor/postgresql}). H2 cannot run the update inside
 * a statement in autocommit mode (it would commit within the trigger), so such a statement is refused with a clear
 * error; every write of the KMS itself runs in a transaction.
 */
public final class DirectoryChanged implements Trigger {
    private String update;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
            int type) {
        // the schema of the changed table, quoted as H2 stores it: right whatever the session's current schema
        update = "UPDATE \"" + schemaName.replace("\"", "\"\"") + "\".directory_version SET version = version + 1"
                + " WHERE id = 1";
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (conn.getAutoCommit()) {
            // H2 would commit the nested update inside the trigger, which it refuses: say what to do instead
            throw new SQLException("on H2, change the KMS's users, keys, factories and policy inside a transaction"
                    + " (autocommit off), so that the directory version moves with the change");
        }
        try (Statement s = conn.createStatement()) {
            s.executeUpdate(update);
        }
    }
}
