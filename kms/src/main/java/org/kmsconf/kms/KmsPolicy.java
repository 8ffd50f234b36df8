package org.kmsconf.kms;

import java.util.List;
import java.util.Optional;
import org.kmsconf.kms.policy.Decision;
import org.kmsconf.kms.policy.PolicyRule;
import org.kmsconf.kms.store.ConferenceFactory;
import org.kmsconf.kms.store.ConferenceSystemRepository;
import org.kmsconf.kms.store.DirectoryCache;
import org.kmsconf.kms.store.IdentityIndex;
import org.kmsconf.kms.store.KmsStore;
import org.kmsconf.kms.store.KmsUser;
import org.kmsconf.kms.store.PolicyRepository;
import org.kmsconf.kms.store.UserRepository;
import org.kmsconf.mikey.exchange.KmsRefusal;

/**
 * The KMS's authorisation decisions for the REQUEST and RESOLVE exchanges, read from the store on every call (so a
 * change made on one node applies on every node at once):
 * <ul>
 * <li>an identity belongs to a user if it is one of the user's public identities, or a focus URI that one of the
 *     user's conference factories may create (TR 33.829 clause 5.3.3.3.1: factory and focus are public identities of
 *     one KMS user; focus URIs are allocated dynamically, so they are matched by rule or list);</li>
 * <li>who may hold a secure session with whom: the ordered allow/deny rules, else the configured default;</li>
 * <li>a ticket naming a factory needs an initiator whose user may create conferences.</li>
 * </ul>
 */
public final class KmsPolicy {
    private final UserRepository users;
    private final ConferenceSystemRepository conferenceSystems;
    private final PolicyRepository policyRules;
    private final IdentityIndex identities;
    private final DirectoryCache cache;
    private final boolean defaultAllow;

    public KmsPolicy(UserRepository users, ConferenceSystemRepository conferenceSystems, PolicyRepository rules,
            IdentityIndex identities, DirectoryCache cache, boolean defaultAllow) {
        this.users = users;
        this.conferenceSystems = conferenceSystems;
        this.policyRules = rules;
        this.identities = identities;
        this.cache = cache;
        this.defaultAllow = defaultAllow;
    }

    /** The policy over the repositories of an open store. */
    public static KmsPolicy of(KmsStore store, boolean defaultAllow) {
        return new KmsPolicy(store.users(), store.conferenceSystems(), store.policy(), store.identities(),
                store.cache(), defaultAllow);
    }

    private Optional<KmsUser> user(String userId) {
        return cache.getOptional("user:" + userId, () -> users.find(userId));
    }

    private List<ConferenceFactory> factories() {
        return cache.get("factories", conferenceSystems::list);
    }

    private List<PolicyRule> rules() {
        return cache.get("rules", policyRules::list);
    }

    /** The conference factory with this URI, if it is one. */
    public Optional<ConferenceFactory> factory(String uri) {
        return factories().stream().filter(f -> f.factoryUri().equals(uri)).findFirst();
    }

    /** The user that {@code uri} belongs to: a public identity, or a focus URI of one of that user's factories. */
    public Optional<String> ownerOf(String uri) {
        // from the in-memory index: a URI a sender made up costs no query and no cache entry
        Optional<String> direct = identities.ownerOf(uri);
        if (direct.isPresent()) {
            return direct;
        }
        for (ConferenceFactory f : factories()) {
            if (f.mayCreate(uri)) {
                return Optional.of(f.userId());
            }
        }
        return Optional.empty();
    }

    /** Whether {@code uri} is one of {@code userId}'s identities (public identity or a focus URI it may create). */
    public boolean isIdentityOf(String userId, String uri) {
        return ownerOf(uri).map(userId::equals).orElse(false);
    }

    /**
     * May authenticated user {@code userId}, as {@code initiator} (IDRi), get a ticket for {@code recipients} (IDRr)?
     */
    public Decision mayRequest(String userId, String initiator, List<String> recipients) {
        Optional<KmsUser> user = user(userId);
        if (user.isEmpty() || !user.get().enabled()) {
            return Decision.refuse(KmsRefusal.USER_DISABLED, "user " + userId + " is disabled or unknown");
        }
        if (!isIdentityOf(userId, initiator)) {
            return Decision.refuse(KmsRefusal.IDENTITY_NOT_USERS, "IDRi " + initiator + " is not an identity of user "
                    + userId);
        }
        if (recipients.isEmpty()) {
            return Decision.refuse(KmsRefusal.NO_RESPONDER, "the ticket names no recipient (IDRr)");
        }
        for (String r : recipients) {
            Optional<String> owner = ownerOf(r);
            if (owner.isEmpty()) {
                return Decision.refuse(KmsRefusal.RECIPIENT_NOT_PROVISIONED, "IDRr " + r + " is not a provisioned identity");
            }
            Optional<KmsUser> peer = user(owner.get());
            if (peer.isEmpty() || !peer.get().enabled()) {
                return Decision.refuse(KmsRefusal.RECIPIENT_DISABLED, "IDRr " + r + " belongs to a disabled user");
            }
            if (!sessionAllowed(initiator, r)) {
                return Decision.refuse(KmsRefusal.SESSION_DENIED, "policy denies a secure session " + initiator
                        + " -> " + r);
            }
            if (factory(r).isPresent() && !user.get().canCreateConferences()) {
                return Decision.refuse(KmsRefusal.NO_CONFERENCE_RIGHT, "user " + userId
                        + " may not create conferences (ticket names factory " + r + ")");
            }
        }
        return Decision.ALLOW;
    }

    /**
     * May authenticated user {@code userId}, as {@code resolverUri} (the IDRr of its RESOLVE_INIT), resolve a ticket
     * that {@code initiator} got for {@code recipients}? Either the resolver URI is one of the recipients, or a
     * recipient is a factory of the resolver's user and the resolver URI is a focus URI that factory may create
     * (conference creation). Whenever the ticket names a factory whose focus URIs include the resolver URI, the
     * initiator's user must have the right to create conferences, whether or not the ticket also names that focus
     * URI: otherwise a user without the right could name a focus URI and its factory's conference system would
     * resolve as it (docs/security.md "Creation").
     */
    public Decision mayResolve(String userId, String resolverUri, String initiator, List<String> recipients) {
        Optional<KmsUser> user = user(userId);
        if (user.isEmpty() || !user.get().enabled()) {
            return Decision.refuse(KmsRefusal.USER_DISABLED, "user " + userId + " is disabled or unknown");
        }
        if (!isIdentityOf(userId, resolverUri)) {
            return Decision.refuse(KmsRefusal.IDENTITY_NOT_USERS, "IDRr " + resolverUri + " is not an identity of user "
                    + userId);
        }
        ConferenceFactory via = null;
        for (String r : recipients) {
            Optional<ConferenceFactory> f = factory(r);
            if (f.isPresent() && f.get().userId().equals(userId) && f.get().mayCreate(resolverUri)) {
                via = f.get();
                break;
            }
        }
        if (via == null && !recipients.contains(resolverUri)) {
            return Decision.refuse(KmsRefusal.RESOLVER_NOT_RECIPIENT, "resolver " + resolverUri
                    + " is not a recipient of the ticket, nor a focus URI its factory may create");
        }
        if (via != null) {
            Optional<KmsUser> creator = ownerOf(initiator).flatMap(this::user);
            if (creator.isEmpty() || !creator.get().canCreateConferences()) {
                return Decision.refuse(KmsRefusal.NO_CONFERENCE_RIGHT, "initiator " + initiator
                        + " may not create conferences (factory " + via.factoryUri() + ")");
            }
        }
        Optional<KmsUser> initiatorUser = ownerOf(initiator).flatMap(this::user);
        if (initiatorUser.isEmpty() || !initiatorUser.get().enabled()) {
            return Decision.refuse(KmsRefusal.INITIATOR_DISABLED, "initiator " + initiator + " is disabled or unknown");
        }
        if (!sessionAllowed(initiator, resolverUri)) {
            return Decision.refuse(KmsRefusal.SESSION_DENIED, "policy denies a secure session " + initiator + " -> "
                    + resolverUri);
        }
        return Decision.ALLOW;
    }

    /** The first matching allow/deny rule decides; no match means the configured default. */
    public boolean sessionAllowed(String initiator, String responder) {
        for (PolicyRule r : rules()) {
            if (r.matches(initiator, responder)) {
                return r.action() == PolicyRule.Action.ALLOW;
            }
        }
        return defaultAllow;
    }
}
