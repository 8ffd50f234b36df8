package org.kmsconf.mikey.exchange;

import java.time.Instant;
import java.util.Optional;
import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyDerivation.Direction;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.Macs;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.Randr;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.payload.TsType;
import org.kmsconf.mikey.payload.Verification;
import org.kmsconf.mikey.replay.PartitionedReplayCache;
import org.kmsconf.mikey.replay.ReplayCache;
import org.kmsconf.mikey.replay.ReplayKey;

/**
 * How the KMS accepts an initial message (RFC 3830 §5.4, RFC 6043 §5.1, §5.3), before anything of its own exchange:
 * payloads in the order of the checks, addressee, algorithms, timestamp within the skew, the sender's key, a
 * read-only replay look-up, the MAC; and, once the exchange has checked everything that depends on the message
 * alone, {@link #record} in the sender's replay partition and through the directory.
 */
final class KmsAuthenticator {
    private final String kmsUri;
    private final KmsDirectory directory;
    private final PartyContext ctx;
    private final PartitionedReplayCache replay;

    KmsAuthenticator(String kmsUri, KmsDirectory directory, PartyContext ctx, PartitionedReplayCache replay) {
        this.kmsUri = kmsUri;
        this.directory = directory;
        this.ctx = ctx;
        this.replay = replay;
    }

    /** The received IDR of a role every message of our profile carries (RFC 6043 allows omitting it). */
    private static Idr requireIdr(MikeyMessage m, IdRole role) {
        return m.idr(role).orElseThrow(() -> KmsRefusal.MISSING_IDENTITY.refuse(m.dataType() + " without " + role));
    }

    private static <T extends Payload> T require(MikeyMessage m, Class<T> type, String what) {
        return m.first(type).orElseThrow(() -> KmsRefusal.MISSING_PAYLOAD.refuse(m.dataType() + " without " + what));
    }

    private static Randr requireRandr(MikeyMessage m, RandRole role) {
        return m.randr(role).orElseThrow(() -> KmsRefusal.MISSING_PAYLOAD.refuse(m.dataType() + " without " + role));
    }

    private static Verification requireClosingV(MikeyMessage m) {
        if (m.payloads().isEmpty() || !(m.last() instanceof Verification v)) {
            throw KmsRefusal.NO_V.refuse(m.dataType() + " does not end with a V payload");
        }
        if (v.authAlg() == MacAlg.NULL) {
            throw KmsRefusal.NULL_MAC.refuse(m.dataType() + " with a NULL MAC");
        }
        return v;
    }

    /** The key of the sender: named by IDRpsk, or (RFC 6043 §5.1, §5.3: IDRpsk absent) the current key of its identity. */
    private KmsDirectory.UserKey senderKey(Idr sender, Optional<Idr> idrpsk) {
        if (idrpsk.isPresent()) {
            return directory.pskById(idrpsk.get().data())
                    .orElseThrow(() -> KmsRefusal.UNKNOWN_KEY.refuse("unknown IDRpsk"));
        }
        return directory.pskOfIdentity(sender.asString())
                .orElseThrow(() -> KmsRefusal.UNKNOWN_KEY.refuse("no IDRpsk, and " + sender.role()
                        + " names no user with a key"));
    }

    /**
     * Reads an initial message in the order of the checks (T, RANDR, the sender's IDR, IDRkms, the body, the closing
     * V; then addressee and algorithms), authenticates it and checks its RAND's length.
     */
    <P extends Payload> KmsInitial<P> read(MikeyMessage m, byte[] requestBytes, KmsAttempt a, RandRole randRole,
            IdRole senderRole, Class<P> bodyType, String bodyName) {
        Timestamp t = require(m, Timestamp.class, "T");
        a.requestT = t;
        Randr rand = requireRandr(m, randRole);
        Idr sender = requireIdr(m, senderRole);
        a.identity = sender.asString();
        Idr idrkms = requireIdr(m, IdRole.IDRkms);
        P body = require(m, bodyType, bodyName);
        Optional<Idr> idrpsk = m.idr(IdRole.IDRpsk);
        Verification v = requireClosingV(m);
        checkAddressedToUs(idrkms);
        AlgorithmSet set = setOf(m.header().prfFunc(), v);
        KmsDirectory.UserKey uk = authenticate(m, requestBytes, a, set, sender, idrkms, idrpsk, rand, v);
        checkRandLength(rand.rand(), set);
        return new KmsInitial<>(m, t, rand, sender, body, set, uk);
    }

    /**
     * The authentication every initial message gets: timestamp within the skew, the sender's key, a read-only look-up
     * in the sender's replay partition (a replay is refused before any MAC is computed), the MAC over the message and
     * the identities of RFC 6043 Table 5.2. Records nothing: {@link #record} does, once every check that depends on
     * the message alone has passed. Once it returns, the attempt holds the auth key, so refusals carry a V; the
     * sender's identity is then checked to be one of the authenticated user's.
     */
    private KmsDirectory.UserKey authenticate(MikeyMessage m, byte[] requestBytes, KmsAttempt a, AlgorithmSet set,
            Idr sender, Idr idrkms, Optional<Idr> idrpsk, Randr rand, Verification v) {
        Timestamp t = a.requestT;
        if (t.tsType() == TsType.COUNTER || !replay.withinSkew(t.toInstant())) {
            throw KmsRefusal.OUTSIDE_SKEW.refuse("timestamp outside the allowed clock skew of "
                    + replay.skew().toSeconds() + " s");
        }
        KmsDirectory.UserKey uk = senderKey(sender, idrpsk);
        a.psk = uk.psk();
        ReplayKey rk = Exchanges.replayKey(sender, m, t);
        if (replay.contains(uk.user(), rk)) {
            throw KmsRefusal.REPLAYED.refuse("replayed message");
        }
        KeyMaterial auth = KeyDerivation.authKey(set.prf(), uk.psk(), Direction.INITIAL, m.header().csbId(),
                KmsInitial.randOf(rand, RandRole.RANDRi), KmsInitial.randOf(rand, RandRole.RANDRr), v.authAlg());
        String name = m.header().dataType().name();
        int base = requestBytes.length - v.authAlg().macBytes();
        if (!Macs.verify(v.authAlg(), auth, v.mac(), requestBytes, 0, base, sender.data(), idrkms.data())) {
            auth.destroy();
            throw KmsRefusal.MAC_FAILED.refuse(name + ": MAC verification failed");
        }
        a.authKey = auth;
        a.macAlg = v.authAlg();
        a.user = uk.user();
        if (!directory.isIdentityOf(uk.user(), sender.asString())) {
            throw KmsRefusal.IDENTITY_NOT_USERS.refuse(sender.role() + " " + sender.asString()
                    + " is not an identity of user " + uk.user());
        }
        return uk;
    }

    /**
     * RFC 3830 §5.4 last step, for a message that authenticated and passed every check of its own: remember it in the
     * sender's partition, then through the directory (durable before the answer, shared between nodes). A refusal
     * here carries no V, like any replay refusal.
     */
    void record(KmsAttempt a, MikeyMessage m, Idr sender) {
        ReplayKey rk = Exchanges.replayKey(sender, m, a.requestT);
        ReplayCache.Verdict v = replay.record(a.user, rk);
        switch (v) {
            case ACCEPTED -> { }
            case OUTSIDE_SKEW -> throw KmsRefusal.OUTSIDE_SKEW.refuse("timestamp left the allowed clock skew");
            case REPLAYED -> throw KmsRefusal.REPLAYED.refuse("replayed message");
            case FULL -> throw KmsRefusal.REPLAY_STATE_FULL.refuse("replay partition of user " + a.user
                    + " is full within the skew window; refusing this user until entries expire");
        }
        Instant now = ctx.clock().instant();
        Instant latest = rk.timestamp().isAfter(now) ? rk.timestamp() : now;
        boolean first;
        try {
            first = directory.firstSeen(a.user, rk, latest.plus(replay.skew()));
        } catch (RuntimeException e) {
            throw new SharedReplayFailure(e);
        }
        if (!first) {
            throw KmsRefusal.REPLAYED.refuse("replayed message (already seen before a restart or by another node)");
        }
    }

    /** A failure of {@link KmsDirectory#firstSeen}: propagated out of {@link KmsProtocol#handle}, not answered. */
    static final class SharedReplayFailure extends RuntimeException {
        final RuntimeException cause;

        SharedReplayFailure(RuntimeException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    private void checkAddressedToUs(Idr idrkms) {
        if (!idrkms.asString().equals(kmsUri)) {
            throw KmsRefusal.OTHER_KMS.refuse("message addressed to KMS " + idrkms.asString());
        }
    }

    /** The algorithm set implied by the HDR PRF; the V MAC must belong to it (no mixing, RFC 6043 §6.2). */
    private static AlgorithmSet setOf(PrfFunc prf, Verification v) {
        AlgorithmSet set = AlgorithmSet.forPrf(prf);
        if (v.authAlg() != set.macAlg()) {
            throw KmsRefusal.MAC_OUTSIDE_SET.refuse(v.authAlg() + " cannot be used with PRF " + prf);
        }
        return set;
    }

    /** RFC 6043 §6.1 entropy: the single RAND entering the message keys is at least as long as the keys (>= 128 bit). */
    private static void checkRandLength(byte[] rand, AlgorithmSet set) {
        if (rand.length < set.keyBytes()) {
            throw KmsRefusal.RAND_TOO_SHORT.refuse("RAND of " + rand.length + " bytes is shorter than the "
                    + set.keyBytes() + "-byte keys it protects");
        }
    }
}
