package org.kmsconf.kms;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.kmsconf.kms.audit.AuditRecord;
import org.kmsconf.kms.policy.PolicyRule;
import org.kmsconf.kms.store.ConferenceFactory;
import org.kmsconf.kms.store.KmsStore;
import org.kmsconf.kms.store.KmsUser;

/**
 * Provisioning: users and their keys, conference factories, session policy. Used by the admin commands and, for an
 * embedded KMS in tests and the demo, through {@link KmsServer#admin()}. Every change is audited (never with key
 * bytes) and made durable before the call returns.
 */
public final class KmsAdmin {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KmsStore store;

    public KmsAdmin(KmsStore store) {
        this.store = store;
    }

    /** Adds a user; the returned key is the only time the PSK is shown. */
    public ProvisionedKey addUser(NewUser u) {
        byte[] psk = u.importedPsk() != null ? u.importedPsk() : random(u.pskBits() / 8);
        byte[] keyId = u.keyId() != null ? u.keyId() : random(8);
        try {
            store.users().add(u.userId(), u.identities(), u.canCreateConferences(), keyId, psk);
            changed("user added" + (u.importedPsk() != null ? " (imported key)" : "") + ", key id "
                    + hex(keyId) + ", canCreateConferences=" + u.canCreateConferences(), u.userId(),
                    String.join(" ", u.identities()));
            return new ProvisionedKey(u.userId(), u.identities(), keyId, psk);
        } finally {
            Arrays.fill(psk, (byte) 0);
        }
    }

    /** Shorthand: a user with a generated 128-bit PSK. */
    public ProvisionedKey addUser(String userId, String... identities) {
        return addUser(NewUser.of(userId, identities));
    }

    /** Replaces the user's PSK (generated with {@code bits} bits, or {@code importedPsk}); the old key stops working. */
    public ProvisionedKey rotateKey(String userId, int bits, byte[] importedPsk) {
        if (importedPsk == null && bits != 128 && bits != 256) {
            throw new IllegalArgumentException("PSK size must be 128 or 256 bits, got " + bits);
        }
        KmsUser user = requireUser(userId);
        byte[] psk = importedPsk != null ? importedPsk.clone() : random(bits / 8);
        byte[] keyId = random(8);
        try {
            store.users().rotateKey(userId, keyId, psk);
            changed("key rotated, new key id " + hex(keyId), userId, null);
            return new ProvisionedKey(userId, user.identities(), keyId, psk);
        } finally {
            Arrays.fill(psk, (byte) 0);
        }
    }

    public void disableUser(String userId) {
        store.users().setEnabled(userId, false);
        changed("user disabled", userId, null);
    }

    public void enableUser(String userId) {
        store.users().setEnabled(userId, true);
        changed("user enabled", userId, null);
    }

    public void setCanCreateConferences(String userId, boolean can) {
        store.users().setCanCreateConferences(userId, can);
        changed("canCreateConferences=" + can, userId, null);
    }

    public void addIdentity(String userId, String uri) {
        store.users().addIdentity(userId, uri);
        changed("identity added", userId, uri);
    }

    public void removeIdentity(String userId, String uri) {
        store.users().removeIdentity(userId, uri);
        changed("identity removed", userId, uri);
    }

    public Optional<KmsUser> user(String userId) {
        return store.users().find(userId);
    }

    public List<KmsUser> users() {
        return store.users().list();
    }

    /**
     * Makes a public identity of the conference-system user a conference factory. {@code rule} (e.g.
     * {@code focus{N}.{suffix}}) and/or {@code focusUris} say which focus URIs it may create; with neither, the
     * default rule applies.
     */
    public ConferenceFactory addFactory(String factoryUri, String rule, List<String> focusUris) {
        ConferenceFactory f = store.conferenceSystems().addFactory(factoryUri, rule, focusUris);
        changed("factory set: rule=" + f.rule() + " list=" + f.focusUris(), f.userId(), factoryUri);
        return f;
    }

    /** A factory with the default focus rule. */
    public ConferenceFactory addFactory(String factoryUri) {
        return addFactory(factoryUri, null, List.of());
    }

    public void removeFactory(String factoryUri) {
        store.conferenceSystems().removeFactory(factoryUri);
        changed("factory removed", null, factoryUri);
    }

    public List<ConferenceFactory> factories() {
        return store.conferenceSystems().list();
    }

    /** Appends a rule allowing initiators matching {@code from} to hold sessions with responders matching {@code to}. */
    public PolicyRule allow(String from, String to) {
        PolicyRule r = store.policy().add(PolicyRule.Action.ALLOW, from, to);
        changed("policy rule " + r.id() + " ALLOW " + from + " -> " + to, null, null);
        return r;
    }

    /** Appends a rule denying initiators matching {@code from} sessions with responders matching {@code to}. */
    public PolicyRule deny(String from, String to) {
        PolicyRule r = store.policy().add(PolicyRule.Action.DENY, from, to);
        changed("policy rule " + r.id() + " DENY " + from + " -> " + to, null, null);
        return r;
    }

    public void removeRule(long ruleId) {
        store.policy().remove(ruleId);
        changed("policy rule " + ruleId + " removed", null, null);
    }

    public List<PolicyRule> rules() {
        return store.policy().list();
    }

    /** Creates a new ticket protection key; tickets protected by the older ones still resolve. */
    public String rotateTicketKey() {
        String id = store.ticketKeys().rotate();
        changed("ticket protection key rotated, new key id " + id, null, null);
        return id;
    }

    /** Records an administrative action taken outside this class (e.g. an audit purge) in the audit trail. */
    public void recordAdmin(String what) {
        changed(what, null, null);
    }

    private KmsUser requireUser(String userId) {
        return store.users().find(userId).orElseThrow(() -> new IllegalArgumentException("no such user: " + userId));
    }

    private void changed(String what, String userId, String subject) {
        store.cache().invalidateAll();
        store.audit().record(AuditRecord.admin(what, userId, subject));
        store.database().checkpoint();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
