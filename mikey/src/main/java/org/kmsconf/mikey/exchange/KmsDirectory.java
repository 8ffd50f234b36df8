package org.kmsconf.mikey.exchange;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kmsconf.mikey.crypto.KeyMaterial;

/**
 * What the KMS side of the protocol needs to know about users and policy. The KMS module implements it over its
 * store; the protocol code never sees SQL or HTTP. Public identities are SIP URIs as carried in IDR payloads.
 */
public interface KmsDirectory {

    /** A user's pre-shared key, named by the IDRpsk key identifier the user sends. */
    record UserKey(String user, KeyMaterial psk) {
        public UserKey {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(psk, "psk");
        }

        @Override
        public String toString() {
            return "UserKey[" + user + ", psk redacted]";
        }
    }

    /** The PSK named by an IDRpsk ID data, with the KMS user it belongs to. */
    Optional<UserKey> pskById(byte[] keyId);

    /** The KMS user identity owning a public identity, if the KMS knows it. */
    Optional<String> userOf(String publicIdentity);

    /** Is {@code publicIdentity} one of {@code user}'s public identities? */
    default boolean isIdentityOf(String user, String publicIdentity) {
        return userOf(publicIdentity).map(user::equals).orElse(false);
    }

    /** Policy: may {@code user}, as {@code initiatorUri}, obtain a ticket for these responders (IDRr)? */
    PolicyDecision mayRequest(String user, String initiatorUri, List<String> responders);

    /**
     * Policy: may {@code user}, as {@code resolverUri}, resolve a ticket of {@code initiatorUri} naming
     * {@code responders}? Called after the protocol checks (the resolver is a recipient, or a focus URI the named
     * factory may create).
     */
    PolicyDecision mayResolve(String user, String resolverUri, String initiatorUri, List<String> responders);

    /**
     * Conference system rule (TR 33.829 §5.3.3.3.1): may conference factory {@code factoryUri} create conference
     * (focus) URI {@code focusUri}, by naming rule or explicit list?
     */
    boolean factoryMayCreate(String factoryUri, String focusUri);
}
