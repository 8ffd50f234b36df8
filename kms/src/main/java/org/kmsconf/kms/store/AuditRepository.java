package org.kmsconf.kms.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.kmsconf.kms.audit.AuditRecord;
import org.kmsconf.kms.audit.AuditTable;
import org.kmsconf.kms.audit.JournaledRecord;

/** The {@code audit_record} table; each row also names the node that wrote it. */
public final class AuditRepository implements AuditTable {
    private final Database db;
    private final String node;

    public AuditRepository(Database db, String node) {
        this.db = db;
        this.node = node.length() > 128 ? node.substring(0, 128) : node;
    }

    @Override
    public void insert(List<JournaledRecord> batch) {
        // one transaction per batch: one commit for up to 500 rows, not one each
        Jdbc.inTransaction(db, "write " + batch.size() + " audit records", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_record (occurred_at, node, event, outcome, user_id, initiator, subject,"
                            + " error_code, reason, remote, journal_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT DO NOTHING")) {
                for (JournaledRecord j : batch) {
                    bind(ps, j);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private void bind(PreparedStatement ps, JournaledRecord j) throws SQLException {
        AuditRecord r = j.record();
        ps.setObject(1, r.at().atOffset(ZoneOffset.UTC));
        ps.setString(2, node);
        ps.setString(3, r.event());
        ps.setString(4, r.outcome());
        ps.setString(5, cut(r.userId(), 128));
        ps.setString(6, cut(r.initiator(), 512));
        ps.setString(7, cut(r.subject(), 4000));
        if (r.errorCode() == null) {
            ps.setNull(8, Types.INTEGER);
        } else {
            ps.setInt(8, r.errorCode());
        }
        ps.setString(9, cut(r.reason(), 1000));
        ps.setString(10, cut(r.remote(), 128));
        ps.setString(11, j.ref());
    }

    @Override
    public List<AuditRecord> recent(int limit) {
        return Jdbc.read(db, "read audit records", c -> {
            List<AuditRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT occurred_at, event, outcome, user_id, initiator, subject, error_code, reason, remote"
                            + " FROM audit_record ORDER BY audit_id DESC")) {
                ps.setMaxRows(limit);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int code = rs.getInt(7);
                        Integer ec = rs.wasNull() ? null : code;
                        out.add(new AuditRecord(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2),
                                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), ec,
                                rs.getString(8), rs.getString(9)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public int deleteBefore(Instant before) {
        return Jdbc.read(db, "purge audit records", c -> Jdbc.update(c,
                "DELETE FROM audit_record WHERE occurred_at < ?", before.atOffset(ZoneOffset.UTC)));
    }

    @Override
    public void makeDurable() {
        db.checkpoint();
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
