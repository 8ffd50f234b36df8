package org.kmsconf.bench.mikey;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.KmsDirectory;
import org.kmsconf.mikey.exchange.KmsProtocol;
import org.kmsconf.mikey.exchange.KmsSettings;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.mikey.exchange.PolicyDecision;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketProtectionKeys;
import org.kmsconf.mikey.exchange.TicketRequest;
import org.kmsconf.mikey.exchange.TransferInitiator;
import org.kmsconf.mikey.exchange.TransferResponder;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.replay.ReplayCache;

/**
 * An in-memory KMS (the protocol core, no store, no HTTP) with a creator, a participant and the conference system,
 * on a fixed clock so that pre-built messages stay inside the ±300 s window however long a benchmark runs.
 * Everything here is setup: benchmarks measure only the calls they make on it.
 */
final class BenchWorld {
    static final String KMS = "sip:kms.operator.example";
    static final String ALICE = "sip:alice@operator.example";
    static final String BOB = "sip:bob@operator.example";
    static final String FACTORY = "sip:factory.conference1@operator.example";
    static final String FOCUS = "sip:focus7.conference1@operator.example";

    final AlgorithmSet set;
    final Clock clock = Clock.fixed(Instant.parse("2026-11-27T02:00:00Z"), ZoneOffset.UTC);
    final SecureRandom random = new SecureRandom();
    final Map<String, KeyMaterial> psks = new HashMap<>();
    final Map<String, byte[]> pskIds = new HashMap<>();
    final Directory directory = new Directory();
    final KmsSettings settings;

    BenchWorld(AlgorithmSet set) {
        this.set = set;
        user("alice", ALICE);
        user("bob", BOB);
        user("conference-system", FACTORY);
        settings = KmsSettings.of(KMS, new TicketProtectionKeys(List.of(
                new TicketProtectionKeys.Tpk("tpk-1".getBytes(StandardCharsets.US_ASCII), KeyMaterial.of(bytes(32))))));
    }

    /** A party context with its own replay cache large enough for a whole benchmark pool. */
    PartyContext context() {
        return new PartyContext(clock, random, new ReplayCache(1 << 20, Duration.ofSeconds(300), clock));
    }

    /** A fresh KMS (fresh replay cache) over the same users and ticket protection key. */
    KmsProtocol kms() {
        return new KmsProtocol(settings, directory, context());
    }

    TicketRequest request(String uri, String... responders) {
        return TicketRequest.create(TicketRequest.Spec.conferencing(uri, KMS, pskIds.get(uri), List.of(responders), set),
                psks.get(uri), context());
    }

    TicketGrant grant(KmsProtocol kms, String uri, String... responders) {
        TicketRequest req = request(uri, responders);
        return req.processResponse(kms.handle(req.message()).response());
    }

    byte[] transferInit(TicketGrant grant, String from, String to) {
        return TransferInitiator.create(grant, new TransferInitiator.Spec(from, to, List.of(Ssrc.of(0x11223344))),
                context()).message();
    }

    /** RESOLVE_INIT of the focus for a received TRANSFER_INIT (the focus is the conference system's identity). */
    byte[] resolveInit(byte[] transferInit) {
        return TransferResponder.receive(transferInit, context()).resolveInit(FOCUS, KMS, pskIds.get(FACTORY),
                psks.get(FACTORY));
    }

    private void user(String name, String uri) {
        KeyMaterial psk = KeyMaterial.of(bytes(set.keyBytes()));
        String id = name + "-psk";
        directory.keys.put(id, new KmsDirectory.UserKey(name, psk));
        directory.users.put(uri, name);
        psks.put(uri, psk);
        pskIds.put(uri, id.getBytes(StandardCharsets.US_ASCII));
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Users, identities and an allow-all policy with the TR 33.829 factory -> focus naming rule. */
    static final class Directory implements KmsDirectory {
        final Map<String, UserKey> keys = new HashMap<>();
        final Map<String, String> users = new HashMap<>();

        @Override
        public Optional<UserKey> pskById(byte[] keyId) {
            return Optional.ofNullable(keys.get(new String(keyId, StandardCharsets.US_ASCII)))
                    .map(u -> new UserKey(u.user(), u.psk().copy())); // the protocol destroys what it is handed
        }

        @Override
        public Optional<String> userOf(String publicIdentity) {
            if (publicIdentity.startsWith("sip:focus") && publicIdentity.endsWith(".conference1@operator.example")) {
                return Optional.of("conference-system");
            }
            return Optional.ofNullable(users.get(publicIdentity));
        }

        @Override
        public PolicyDecision mayRequest(String user, String initiatorUri, List<String> responders) {
            return PolicyDecision.allow();
        }

        @Override
        public PolicyDecision mayResolve(String user, String resolverUri, String initiatorUri, List<String> responders) {
            return PolicyDecision.allow();
        }

        @Override
        public boolean factoryMayCreate(String factoryUri, String focusUri) {
            return factoryUri.equals(FACTORY) && focusUri.startsWith("sip:focus")
                    && focusUri.endsWith(".conference1@operator.example");
        }
    }
}
