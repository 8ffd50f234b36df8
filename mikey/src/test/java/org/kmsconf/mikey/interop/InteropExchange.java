package org.kmsconf.mikey.interop;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.KmsDirectory;
import org.kmsconf.mikey.exchange.KmsProtocol;
import org.kmsconf.mikey.exchange.KmsSettings;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.mikey.exchange.PolicyDecision;
import org.kmsconf.mikey.exchange.Profile;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketProtectionKeys;
import org.kmsconf.mikey.exchange.TicketRequest;
import org.kmsconf.mikey.exchange.TransferInitiator;
import org.kmsconf.mikey.exchange.TransferResponder;
import org.kmsconf.mikey.exchange.TransferResponse;
import org.kmsconf.mikey.exchange.TransferResult;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.payload.TicketFlag;
import org.kmsconf.mikey.replay.ReplayCache;

/**
 * Real messages of the public exchange API for the interop tests: a whole mode-1 exchange with key forking
 * (REQUEST, TRANSFER, RESOLVE) between alice, bob and an in-memory KMS, plus the error messages the profile sends
 * (the KMS refusing a ticket without key forking, error 15 with a V; the responder's error after resolving).
 */
final class InteropExchange {
    static final String KMS = "sip:kms@operator";
    static final String ALICE = "sip:alice@operator";
    static final String BOB = "sip:bob@operator";

    /** One message with a label naming where it comes from. */
    record Message(String label, byte[] bytes) {
    }

    private InteropExchange() {
    }

    private static final class Directory implements KmsDirectory {
        final Map<String, UserKey> pskById = new HashMap<>();
        final Map<String, String> userOf = new HashMap<>();

        @Override
        public Optional<UserKey> pskById(byte[] keyId) {
            return Optional.ofNullable(pskById.get(new String(keyId, StandardCharsets.UTF_8)))
                    .map(u -> new UserKey(u.user(), u.psk().copy())); // the protocol destroys what it is handed
        }

        @Override
        public Optional<String> userOf(String publicIdentity) {
            return Optional.ofNullable(userOf.get(publicIdentity));
        }

        @Override
        public PolicyDecision mayRequest(String user, String initiatorUri, List<String> responders) {
            return PolicyDecision.allow();
        }

        @Override
        public PolicyDecision mayResolve(String user, String resolverUri, String initiatorUri,
                List<String> responders) {
            return PolicyDecision.allow();
        }

        @Override
        public boolean factoryMayCreate(String factoryUri, String focusUri) {
            return false;
        }
    }

    /**
     * The messages of one exchange in the given algorithm set, with {@code mLines} audio m-lines (2 crypto sessions
     * each), in the order they are sent, followed by the two error messages.
     */
    static List<Message> messages(AlgorithmSet set, int mLines) {
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
        Directory dir = new Directory();
        Map<String, KeyMaterial> psks = new HashMap<>();
        for (String[] u : new String[][] {{"alice", ALICE}, {"bob", BOB}}) {
            byte[] k = new byte[32];
            random.nextBytes(k);
            psks.put(u[1], KeyMaterial.of(k));
            dir.pskById.put(u[0] + "-psk", new KmsDirectory.UserKey(u[0], KeyMaterial.of(k)));
            dir.userOf.put(u[1], u[0]);
        }
        byte[] tpk = new byte[32];
        random.nextBytes(tpk);
        KmsProtocol kms = new KmsProtocol(KmsSettings.of(KMS, new TicketProtectionKeys(List.of(
                new TicketProtectionKeys.Tpk("tpk-1".getBytes(StandardCharsets.UTF_8), KeyMaterial.of(tpk))))),
                dir, context(clock, random));

        List<Message> out = new ArrayList<>();
        TicketRequest req = TicketRequest.create(new TicketRequest.Spec(ALICE, KMS,
                "alice-psk".getBytes(StandardCharsets.UTF_8), List.of(BOB), set, clock.instant(),
                clock.instant().plus(Duration.ofHours(8)), Profile.FLAGS), psks.get(ALICE), context(clock, random));
        byte[] reqResp = kms.handle(req.message()).response();
        TicketGrant grant = req.processResponse(reqResp);
        out.add(new Message("REQUEST_INIT_PSK", req.message()));
        out.add(new Message("REQUEST_RESP", reqResp));

        List<Ssrc> aliceSsrcs = new ArrayList<>();
        List<Ssrc> bobSsrcs = new ArrayList<>();
        for (int i = 0; i < mLines; i++) {
            aliceSsrcs.add(Ssrc.of(0x11223344 + i));
            bobSsrcs.add(Ssrc.of(0x55667788 + i));
        }
        TransferInitiator alice = TransferInitiator.create(grant, new TransferInitiator.Spec(ALICE, BOB, aliceSsrcs),
                context(clock, random));
        TransferResponder bob = TransferResponder.receive(alice.message(), context(clock, random));
        byte[] resolveInit = bob.resolveInit(BOB, KMS, "bob-psk".getBytes(StandardCharsets.UTF_8), psks.get(BOB));
        byte[] resolveResp = kms.handle(resolveInit).response();
        bob.processResolveResponse(resolveResp);
        TransferResponse resp = bob.respond(bobSsrcs);
        TransferResult atAlice = alice.processResponse(resp.message());
        if (!atAlice.keys(1).sameKeysAs(resp.result().keys(1))) {
            throw new AssertionError("the exchange did not agree on keys");
        }
        out.add(new Message("TRANSFER_INIT", alice.message()));
        out.add(new Message("RESOLVE_INIT_PSK", resolveInit));
        out.add(new Message("RESOLVE_RESP", resolveResp));
        out.add(new Message("TRANSFER_RESP", resp.message()));
        out.add(new Message("responder error (Invalid SP)", bob.errorMessage(ErrorCode.INVALID_SP)));

        EnumSet<TicketFlag> noForking = EnumSet.copyOf(Profile.FLAGS);
        noForking.remove(TicketFlag.I);
        TicketRequest refused = TicketRequest.create(new TicketRequest.Spec(ALICE, KMS,
                "alice-psk".getBytes(StandardCharsets.UTF_8), List.of(BOB), set, null, null, noForking),
                psks.get(ALICE), context(clock, random));
        out.add(new Message("KMS error (Invalid TPpar)", kms.handle(refused.message()).response()));
        return out;
    }

    private static PartyContext context(Clock clock, SecureRandom random) {
        return new PartyContext(clock, random, new ReplayCache(1000, Duration.ofSeconds(300), clock));
    }
}
