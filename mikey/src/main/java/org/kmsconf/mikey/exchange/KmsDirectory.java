package org.kmsconf.mikey.exchange;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.replay.ReplayKey;

/**
 * What the KMS side of the protocol needs to know about users and policy. The KMS module implements it over its
 * store; the protocol code never sees SQL or HTTP. Public identities are SIP URIs as carried in IDR payloads.
 */
public interface KmsDirectory {

    /**
     * A user's pre-shared key, named by the IDRpsk key identifier the user sends. {@link KmsProtocol} owns the
     * {@code psk} it receives from {@link #pskById}: it destroys it once the message is answered.
     */
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

    /**
     * The PSK named by an IDRpsk ID data, with the KMS user it belongs to. Ownership passes to the caller:
     * {@link KmsProtocol#handle} destroys the returned key ({@link KeyMaterial#destroy()}) when it has answered the
     * message, whatever the outcome. So return a fresh {@link KeyMaterial} on every call (e.g. a
     * {@link KeyMaterial#copy()} of a key the directory keeps), never a shared instance.
     */
    Optional<UserKey> pskById(byte[] keyId);

    /**
     * The current PSK of the KMS user owning {@code publicIdentity}, for a REQUEST_INIT_PSK / RESOLVE_INIT_PSK without
     * IDRpsk (RFC 6043 §5.1, §5.3: [IDRpsk] is optional; the KMS then finds the key from IDRi / IDRr). Called before the
     * message is authenticated, with an identity the sender chose: an implementation must not cost a database query
     * per unknown identity. Ownership of the key passes to the caller as for {@link #pskById}. The default knows no
     * keys by identity (such requests are refused as an unknown key).
     */
    default Optional<UserKey> pskOfIdentity(String publicIdentity) {
        return Optional.empty();
    }

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

    /**
     * Replay guard shared with other receivers (e.g. several KMS nodes on one database), RFC 3830 §5.4. Called once
     * per REQUEST_INIT/RESOLVE_INIT, right after its MAC was verified and this KMS's own replay cache accepted and
     * recorded it, and before any policy check, ticket issue or resolve. Must atomically record {@code key} and
     * answer whether no receiver had recorded it before; {@code false} refuses the message exactly as the local
     * replay cache refuses a replay (Invalid TS, error without V). Keep the record until {@code expiry}: after it
     * the message's timestamp lies outside the allowed clock skew. A {@link RuntimeException} thrown here propagates
     * out of {@link KmsProtocol#handle} unanswered, since freshness is then unknown.
     *
     * <p>The default (a single receiver) accepts everything: the local replay cache is the whole guard.
     */
    default boolean firstSeen(ReplayKey key, Instant expiry) {
        return true;
    }

    /**
     * {@link #firstSeen(ReplayKey, Instant)} knowing the authenticated user whose replay partition recorded the
     * message (a durable journal restores it into that partition after a restart). The KMS calls this one; the
     * default delegates.
     */
    default boolean firstSeen(String user, ReplayKey key, Instant expiry) {
        return firstSeen(key, expiry);
    }
}
