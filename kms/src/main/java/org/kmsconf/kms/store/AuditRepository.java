package org.kmsconf.kms.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
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
        // one transaction per batch: one commit for up to 500 rows, and the journal progress with them
        Map<String, Long> progress = new LinkedHashMap<>();
        for (JournaledRecord j : batch) {
            if (j.segment() != null) {
                progress.merge(j.segment(), j.end(), Math::max);
            }
        }
        Jdbc.inTransaction(db, "write " + batch.size() + " audit records", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_record (occurred_at, node, event, outcome, user_id, initiator, subject,"
                            + " error_code, reason, remote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (JournaledRecord j : batch) {
                    bind(ps, j.record());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            for (Map.Entry<String, Long> e : progress.entrySet()) {
                // one writer per segment (the node's): update, else the segment's first batch inserts
                if (Jdbc.update(c, "UPDATE audit_journal_progress SET next_offset = ? WHERE segment = ?", e.getValue(),
                        e.getKey()) == 0) {
                    Jdbc.update(c, "INSERT INTO audit_journal_progress (segment, next_offset) VALUES (?, ?)",
                            e.getKey(), e.getValue());
                }
            }
            return null;
        });
    }

    @Override
    public long insertedUpTo(String segment) {
        return Jdbc.read(db, "read audit journal progress", c -> Jdbc.query(c,
                "SELECT next_offset FROM audit_journal_progress WHERE segment = ?", rs -> rs.getLong(1), segment))
                .stream().findFirst().orElse(0L);
    }

    @Override
    public void forget(Collection<String> segments) {
        Jdbc.inTransaction(db, "forget audit journal progress", c -> {
            for (String s : segments) {
                Jdbc.update(c, "DELETE FROM audit_journal_progress WHERE segment = ?", s);
            }
            return null;
        });
    }

    private void bind(PreparedStatement ps, AuditRecord r) throws SQLException {
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

    /**
     * Records are in {@code audit_id} order up to the writers' batching (seconds; several nodes each batch their own), so
     * the cut-off is the first id whose record is at or after {@code before}, found by binary search over the primary
     * key (no index on the time: it would cost every answered request a B-tree insert), and every lower id goes.
     */
    @Override
    public int deleteBefore(Instant before) {
        return Jdbc.read(db, "purge audit records", c -> {
            long[] ids = Jdbc.query(c, "SELECT MIN(audit_id), MAX(audit_id), COUNT(*) FROM audit_record",
                    rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).get(0);
            if (ids[2] == 0) {
                return 0;
            }
            long lo = ids[0];
            long hi = ids[1] + 1;
            OffsetDateTime cut = before.atOffset(ZoneOffset.UTC);
            while (lo < hi) { // the first id >= lo whose record is at or after the cut-off, or hi
                long mid = lo + (hi - lo) / 2;
                List<OffsetDateTime> at = Jdbc.query(c, "SELECT occurred_at FROM audit_record WHERE audit_id >= ?"
                        + " ORDER BY audit_id LIMIT 1", rs -> rs.getObject(1, OffsetDateTime.class), mid);
                if (at.isEmpty() || !at.get(0).isBefore(cut)) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return Jdbc.update(c, "DELETE FROM audit_record WHERE audit_id < ?", lo);
        });
    }

    @Override
    public void makeDurable() {
        db.checkpoint();
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
