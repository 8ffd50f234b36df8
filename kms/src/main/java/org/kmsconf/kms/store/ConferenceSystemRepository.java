package org.kmsconf.kms.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kmsconf.kms.policy.FocusRule;

/** Conference factories and the focus URIs each may create. */
public final class ConferenceSystemRepository {
    private final Database db;

    public ConferenceSystemRepository(Database db) {
        this.db = db;
    }

    /**
     * Makes {@code factoryUri} (already a public identity of the conference-system user) a factory, replacing any
     * earlier rule and list. With neither a rule nor a list, the default rule {@value FocusRule#DEFAULT} applies.
     */
    public ConferenceFactory addFactory(String factoryUri, String rule, List<String> focusUris) {
        UserRepository.requireUri(factoryUri);
        focusUris.forEach(UserRepository::requireUri);
        String effectiveRule = rule == null && focusUris.isEmpty() ? FocusRule.DEFAULT : rule;
        if (effectiveRule != null) {
            FocusRule.of(effectiveRule);
        }
        Jdbc.inTransaction(db, "add factory", c -> {
            List<String> owner = Jdbc.query(c, "SELECT user_id FROM public_identity WHERE uri = ?",
                    rs -> rs.getString(1), factoryUri);
            if (owner.isEmpty()) {
                throw new IllegalArgumentException(factoryUri + " is not a public identity of any user; add it to"
                        + " the conference-system user first (kmsconf user add ... --identity " + factoryUri + ")");
            }
            for (String focus : focusUris) {
                List<String> focusOwner = Jdbc.query(c, "SELECT user_id FROM public_identity WHERE uri = ?",
                        rs -> rs.getString(1), focus);
                if (!focusOwner.isEmpty() && !focusOwner.get(0).equals(owner.get(0))) {
                    throw new IllegalArgumentException("focus URI " + focus + " belongs to another user ("
                            + focusOwner.get(0) + ")");
                }
            }
            Jdbc.update(c, "DELETE FROM factory_focus WHERE factory_uri = ?", factoryUri);
            Jdbc.update(c, "DELETE FROM conference_factory WHERE factory_uri = ?", factoryUri);
            Jdbc.update(c, "INSERT INTO conference_factory (factory_uri, focus_rule) VALUES (?, ?)", factoryUri,
                    effectiveRule);
            for (String focus : focusUris.stream().distinct().toList()) {
                Jdbc.update(c, "INSERT INTO factory_focus (factory_uri, focus_uri) VALUES (?, ?)", factoryUri,
                        focus);
            }
            return null;
        });
        return find(factoryUri).orElseThrow();
    }

    public void removeFactory(String factoryUri) {
        Jdbc.inTransaction(db, "remove factory", c -> {
            Jdbc.update(c, "DELETE FROM factory_focus WHERE factory_uri = ?", factoryUri);
            if (Jdbc.update(c, "DELETE FROM conference_factory WHERE factory_uri = ?", factoryUri) == 0) {
                throw new IllegalArgumentException("no such factory: " + factoryUri);
            }
            return null;
        });
    }

    public Optional<ConferenceFactory> find(String factoryUri) {
        return Jdbc.read(db, "find factory", c -> load(c, "WHERE f.factory_uri = ?", factoryUri).stream()
                .findFirst());
    }

    public List<ConferenceFactory> list() {
        return Jdbc.read(db, "list factories", c -> load(c, ""));
    }

    /** The factories whose URIs are public identities of {@code userId}. */
    public List<ConferenceFactory> factoriesOfUser(String userId) {
        return Jdbc.read(db, "list factories", c -> load(c, "WHERE i.user_id = ?", userId));
    }

    private static List<ConferenceFactory> load(Connection c, String where, Object... args) throws SQLException {
        record Row(String uri, String user, String rule) {
        }
        List<Row> rows = Jdbc.query(c, "SELECT f.factory_uri, i.user_id, f.focus_rule FROM conference_factory f"
                + " JOIN public_identity i ON i.uri = f.factory_uri " + where + " ORDER BY f.factory_uri",
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3)), args);
        List<ConferenceFactory> out = new ArrayList<>();
        for (Row r : rows) {
            List<String> list = Jdbc.query(c, "SELECT focus_uri FROM factory_focus WHERE factory_uri = ?"
                    + " ORDER BY focus_uri", rs -> rs.getString(1), r.uri);
            out.add(new ConferenceFactory(r.uri, r.user, r.rule == null ? null : FocusRule.of(r.rule), list));
        }
        return out;
    }
}
