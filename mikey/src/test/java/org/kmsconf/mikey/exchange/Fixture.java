package org.kmsconf.mikey.exchange;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.replay.ReplayCache;
import org.kmsconf.mikey.replay.ReplayKey;

/** An in-memory KMS with users alice, bob, carol, dave and the conference system, and a settable clock. */
final class Fixture {
    static final String KMS = "sip:kms@operator";
    static final String ALICE = "sip:alice@operator";
    static final String BOB = "sip:bob@operator";
    static final String CAROL = "sip:carol@operator";
    static final String DAVE = "sip:dave@operator";
    static final String FACTORY = "sip:factory.conference1@operator";
    static final String FOCUS7 = "sip:focus7.conference1@operator";

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The KMS's view of users; policy answers can be overridden per test. */
    static final class Directory implements KmsDirectory {
        final Map<String, UserKey> pskById = new HashMap<>();
        final Map<String, String> userOf = new HashMap<>();
        PolicyDecision request = PolicyDecision.allow();
        PolicyDecision resolve = PolicyDecision.allow();
        /** The shared replay guard's answer; accepts everything unless a test sets it. */
        BiPredicate<ReplayKey, Instant> sharedGuard = (k, expiry) -> true;
        /**
         * The directory callbacks in the order the protocol made them (firstSeen, mayRequest, mayResolve); synchronized
         * like the next list, since a KMS serves concurrent requests (ExchangeProperties): an ArrayList added to from
         * several threads can throw, which the protocol answers as an internal error.
         */
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        /** Every PSK copy handed to the protocol, to check that it destroyed them. */
        final List<KeyMaterial> handedOut = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Optional<UserKey> pskById(byte[] keyId) {
            // a fresh copy per call: the protocol destroys what it is handed (KmsDirectory.pskById)
            Optional<UserKey> k = Optional.ofNullable(pskById.get(new String(keyId, StandardCharsets.UTF_8)))
                    .map(u -> new UserKey(u.user(), u.psk().copy()));
            k.ifPresent(u -> handedOut.add(u.psk()));
            return k;
        }

        @Override
        public Optional<String> userOf(String publicIdentity) {
            if (publicIdentity.matches("sip:focus\\d+\\.conference1@operator")) {
                return Optional.of("conference-system");
            }
            return Optional.ofNullable(userOf.get(publicIdentity));
        }

        @Override
        public PolicyDecision mayRequest(String user, String initiatorUri, List<String> responders) {
            calls.add("mayRequest");
            return request;
        }

        @Override
        public PolicyDecision mayResolve(String user, String resolverUri, String initiatorUri, List<String> responders) {
            calls.add("mayResolve");
            return resolve;
        }

        @Override
        public boolean firstSeen(ReplayKey key, Instant expiry) {
            calls.add("firstSeen");
            return sharedGuard.test(key, expiry);
        }

        /** Naming rule of TR 33.829: factory.X may create focusN.X. */
        @Override
        public boolean factoryMayCreate(String factoryUri, String focusUri) {
            if (!factoryUri.startsWith("sip:factory.")) {
                return false;
            }
            String suffix = factoryUri.substring("sip:factory.".length());
            return Pattern.matches("sip:focus\\d+\\." + Pattern.quote(suffix), focusUri);
        }
    }

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    final SecureRandom random;
    final Directory directory = new Directory();
    final Map<String, KeyMaterial> psks = new HashMap<>();
    final Map<String, byte[]> pskIds = new HashMap<>();
    final KeyMaterial tpk;
    final KmsProtocol kms;
    final KmsSettings kmsSettings;

    Fixture() {
        this(new SecureRandom());
    }

    /** With a given randomness source (a deterministic one gives a reproducible transcript). */
    Fixture(SecureRandom random) {
        this.random = random;
        this.tpk = KeyMaterial.of(bytes(32));
        user("alice", ALICE);
        user("bob", BOB);
        user("carol", CAROL);
        user("dave", DAVE);
        user("conference-system", FACTORY);
        kmsSettings = KmsSettings.of(KMS, new TicketProtectionKeys(
                List.of(new TicketProtectionKeys.Tpk("tpk-1".getBytes(StandardCharsets.UTF_8), tpk))));
        kms = new KmsProtocol(kmsSettings, directory, context());
    }

    private void user(String name, String uri) {
        KeyMaterial psk = KeyMaterial.of(bytes(32));
        String id = name + "-psk";
        directory.pskById.put(id, new KmsDirectory.UserKey(name, psk));
        directory.userOf.put(uri, name);
        psks.put(uri, psk);
        pskIds.put(uri, id.getBytes(StandardCharsets.UTF_8));
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A party's own context: the shared clock, its own replay cache (±300 s). */
    PartyContext context() {
        return context(clock);
    }

    /** A party with its own clock (for skew tests). */
    PartyContext context(Clock own) {
        return new PartyContext(own, random, new ReplayCache(1000, Duration.ofSeconds(300), own));
    }

    /** REQUEST exchange for {@code uri} naming {@code responders}. */
    TicketGrant ticket(String uri, AlgorithmSet set, String... responders) {
        return ticket(kms, KMS, uri, set, responders);
    }

    TicketGrant ticket(KmsProtocol at, String kmsUri, String uri, AlgorithmSet set, String... responders) {
        TicketRequest req = TicketRequest.create(TicketRequest.Spec.conferencing(uri, kmsUri, pskIds.get(uri),
                List.of(responders), set), psks.get(uri), context());
        return req.processResponse(at.handle(req.message()).response());
    }

    /** TRANSFER_INIT of {@code from} to {@code to} with a fresh ticket naming {@code responders}. */
    byte[] transferInit(String from, String to, AlgorithmSet set, String... responders) {
        return TransferInitiator.create(ticket(from, set, responders),
                new TransferInitiator.Spec(from, to, List.of(Ssrc.of(0x1234))), context()).message();
    }

    /** Resolve a received TRANSFER_INIT as {@code ownUri}, authenticating with {@code pskOwner}'s PSK. */
    TransferResponder resolve(byte[] transferInit, String ownUri, String pskOwner, PartyContext ctx) {
        TransferResponder r = TransferResponder.receive(transferInit, ctx);
        byte[] resolveInit = r.resolveInit(ownUri, KMS, pskIds.get(pskOwner), psks.get(pskOwner));
        r.processResolveResponse(kms.handle(resolveInit).response());
        return r;
    }
}
