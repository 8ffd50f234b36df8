package org.kmsconf.kms.store;

import java.time.Instant;
import java.util.List;

/**
 * A KMS user as the store knows it: the user identity, its public identities (SIP URIs), the key id (IDRpsk, hex) of
 * its active pre-shared key, and its rights. Never holds key bytes.
 */
public record KmsUser(
        String userId,
        boolean enabled,
        boolean canCreateConferences,
        List<String> identities,
        String activeKeyIdHex,
        int keyBits,
        Instant createdAt) {

    public KmsUser {
        identities = List.copyOf(identities);
    }
}
