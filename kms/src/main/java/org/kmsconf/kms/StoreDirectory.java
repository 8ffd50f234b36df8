package org.kmsconf.kms;

import java.time.Instant;
import org.kmsconf.kms.store.DbReplayGuard;
import org.kmsconf.mikey.replay.ReplayKey;
import java.util.List;
import java.util.Optional;
import org.kmsconf.kms.policy.Decision;
import org.kmsconf.kms.policy.KmsPolicy;
import org.kmsconf.kms.store.KmsStore;
import org.kmsconf.kms.store.UserPsk;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.KmsDirectory;
import org.kmsconf.mikey.exchange.PolicyDecision;

/**
 * The mikey protocol's view of the KMS ({@link KmsDirectory}) over the store and {@link KmsPolicy}: keys by IDRpsk,
 * identities (public identities and focus URIs by factory rule), and the policy callbacks.
 */
final class StoreDirectory implements KmsDirectory {
    private final KmsStore store;
    private final KmsPolicy policy;
    private final DbReplayGuard sharedReplay;

    /** @param sharedReplay the database replay guard (several nodes on one store), or null for none */
    StoreDirectory(KmsStore store, KmsPolicy policy, DbReplayGuard sharedReplay) {
        this.store = store;
        this.policy = policy;
        this.sharedReplay = sharedReplay;
    }

    /** Shared mode: the message must be new to every node on the database, not only to this one's cache. */
    @Override
    public boolean firstSeen(ReplayKey key, Instant expiry) {
        return sharedReplay == null || sharedReplay.firstSeen(key.digestHex(), expiry);
    }

    @Override
    public Optional<UserKey> pskById(byte[] keyId) {
        String hex = java.util.HexFormat.of().formatHex(keyId);
        return store.cache().getOptional("psk:" + hex, () -> store.users().activeSealedPskByKeyId(keyId))
                .map(sealed -> toUserKey(store.users().open(sealed)));
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
        return policy.ownerOf(publicIdentity);
    }

    @Override
    public PolicyDecision mayRequest(String user, String initiatorUri, List<String> responders) {
        return convert(policy.mayRequest(user, initiatorUri, responders));
    }

    @Override
    public PolicyDecision mayResolve(String user, String resolverUri, String initiatorUri, List<String> responders) {
        return convert(policy.mayResolve(user, resolverUri, initiatorUri, responders));
    }

    @Override
    public boolean factoryMayCreate(String factoryUri, String focusUri) {
        return policy.factory(factoryUri).map(f -> f.mayCreate(focusUri)).orElse(false);
    }

    private static PolicyDecision convert(Decision d) {
        return d.allowed() ? PolicyDecision.allow() : PolicyDecision.deny(d.errorCode(), d.reason());
    }
}
