package org.kmsconf.kms;

import java.time.Instant;
import org.kmsconf.kms.store.DbReplayGuard;
import org.kmsconf.kms.store.ReplayJournal;
import org.kmsconf.mikey.replay.ReplayKey;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.kmsconf.kms.store.StoreException;
import org.kmsconf.kms.policy.Decision;
import org.kmsconf.kms.store.DirectoryCache;
import org.kmsconf.kms.store.IdentityIndex;
import org.kmsconf.kms.store.UserPsk;
import org.kmsconf.kms.store.UserRepository;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.KmsDirectory;
import org.kmsconf.mikey.exchange.PolicyDecision;

/**
 * The mikey protocol's view of the KMS ({@link KmsDirectory}) over the store and {@link KmsPolicy}: keys by IDRpsk,
 * identities (public identities and focus URIs by factory rule), and the policy callbacks.
 */
final class StoreDirectory implements KmsDirectory {
    /**
     * The store failure met while this thread processed its current message: the protocol answers any exception of
     * the directory with a MIKEY error (Unspecified), but a store that cannot be reached is the transport's business
     * (503, so that the client tries another node). See {@link #takeStoreFailure()}.
     */
    private static final ThreadLocal<StoreException> STORE_FAILURE = new ThreadLocal<>();

    private final UserRepository users;
    private final IdentityIndex identities;
    private final DirectoryCache cache;
    private final KmsPolicy policy;
    private final DbReplayGuard sharedReplay;
    private final ReplayJournal journal;

    /**
     * @param sharedReplay the database replay guard (several nodes on one store), or null for none
     * @param journal the durable replay journal (embedded store), or null
     */
    StoreDirectory(UserRepository users, IdentityIndex identities, DirectoryCache cache, KmsPolicy policy,
            DbReplayGuard sharedReplay, ReplayJournal journal) {
        this.users = users;
        this.identities = identities;
        this.cache = cache;
        this.policy = policy;
        this.sharedReplay = sharedReplay;
        this.journal = journal;
    }

    /**
     * The message is new to every node on the database (shared mode: the insert commits before the answer, durable on
     * PostgreSQL), and is in the journal before the answer leaves (embedded store), so it stays refused after a restart.
     */
    @Override
    public boolean firstSeen(String user, ReplayKey key, Instant expiry) {
        return guarded(() -> {
            if (sharedReplay != null && !sharedReplay.firstSeen(key.digestHex(), expiry)) {
                return false;
            }
            if (journal != null) {
                journal.append(user, key, expiry);
            }
            return true;
        });
    }

    /** The store failure the current thread met since the last call, if any (and forgets it). */
    static StoreException takeStoreFailure() {
        StoreException e = STORE_FAILURE.get();
        STORE_FAILURE.remove();
        return e;
    }

    private static <T> T guarded(Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            STORE_FAILURE.set(e);
            throw e;
        }
    }

    /** Unknown key ids are refused from the in-memory index: no database query, no cache entry per attempt. */
    @Override
    public Optional<UserKey> pskById(byte[] keyId) {
        String hex = java.util.HexFormat.of().formatHex(keyId);
        return guarded(() -> identities.userOfKeyId(hex).isEmpty() ? Optional.empty() : sealedKey(hex));
    }

    /**
     * RFC 6043 §5.1 / §5.3, IDRpsk absent ([IDRpsk] is optional): the user owning the identity (a public identity, or a focus URI of one of its
     * factories) and that user's current (active) key; rotation leaves exactly one active key per user.
     */
    @Override
    public Optional<UserKey> pskOfIdentity(String publicIdentity) {
        return guarded(() -> policy.ownerOf(publicIdentity).flatMap(u -> identities.activeKeyIdOf(u))
                .flatMap(this::sealedKey));
    }

    private Optional<UserKey> sealedKey(String hex) {
        byte[] keyId = java.util.HexFormat.of().parseHex(hex);
        return cache.getOptional("psk:" + hex, () -> users.activeSealedPskByKeyId(keyId))
                .map(sealed -> toUserKey(users.open(sealed)));
    }

    private static UserKey toUserKey(UserPsk p) {
        byte[] k = p.key();
        try {
            return new UserKey(p.userId(), KeyMaterial.of(k));
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
            p.destroy();
        }
    }

    @Override
    public Optional<String> userOf(String publicIdentity) {
        return guarded(() -> policy.ownerOf(publicIdentity));
    }

    @Override
    public PolicyDecision mayRequest(String user, String initiatorUri, List<String> responders) {
        return guarded(() -> convert(policy.mayRequest(user, initiatorUri, responders)));
    }

    @Override
    public PolicyDecision mayResolve(String user, String resolverUri, String initiatorUri, List<String> responders) {
        return guarded(() -> convert(policy.mayResolve(user, resolverUri, initiatorUri, responders)));
    }

    @Override
    public boolean factoryMayCreate(String factoryUri, String focusUri) {
        return guarded(() -> policy.factory(factoryUri).map(f -> f.mayCreate(focusUri)).orElse(false));
    }

    private static PolicyDecision convert(Decision d) {
        return d.allowed() ? PolicyDecision.allow() : PolicyDecision.deny(d.refusal(), d.reason());
    }
}
