package org.kmsconf.kms.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.kmsconf.kms.policy.PolicyRule;

/** The ordered allow/deny rules on (initiator, responder) identity pairs. */
public final class PolicyRepository {
    private final Database db;

    public PolicyRepository(Database db) {
        this.db = db;
    }

    /** Appends a rule (it is evaluated after every existing one) and returns it with its id. */
    public PolicyRule add(PolicyRule.Action action, String fromPattern, String toPattern) {
        PolicyRule.requirePattern(fromPattern);
        PolicyRule.requirePattern(toPattern);
        Jdbc.inTransaction(db, "add policy rule", c -> Jdbc.update(c,
                "INSERT INTO policy_rule (action, from_pattern, to_pattern, created_at) VALUES (?, ?, ?, ?)",
                action.name(), fromPattern, toPattern, Instant.now().atOffset(ZoneOffset.UTC)));
        List<PolicyRule> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            PolicyRule r = all.get(i);
            if (r.action() == action && r.fromPattern().equals(fromPattern) && r.toPattern().equals(toPattern)) {
                return r;
            }
        }
        throw new StoreException("policy rule vanished after insert");
    }

    public void remove(long ruleId) {
        Jdbc.inTransaction(db, "remove policy rule", c -> {
            if (Jdbc.update(c, "DELETE FROM policy_rule WHERE rule_id = ?", ruleId) == 0) {
                throw new IllegalArgumentException("no policy rule with id " + ruleId);
            }
            return null;
        });
    }

    public List<PolicyRule> list() {
        return Jdbc.read(db, "list policy rules", c -> Jdbc.query(c,
                "SELECT rule_id, action, from_pattern, to_pattern FROM policy_rule ORDER BY rule_id",
                rs -> new PolicyRule(rs.getLong(1), PolicyRule.Action.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getString(4))));
    }
}
